package kefu.server.fault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultCodec;
import kefu.protocol.fault.FaultRule;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.store.Store;

/**
 * {@code /kefu/v1/faults}: {@code POST} adds a rule ({@link FaultCodec} gives its JSON), {@code GET} lists the rules
 * with their uses, what is left and their state, {@code DELETE} removes all of them, {@code DELETE …/{id}} one. Both
 * deletes answer how many rules they removed (0 for an id that is not there: deleting is idempotent). A change
 * applies on this node before the answer, and is announced to the others ({@link Faults#changed}).
 */
public final class FaultEndpoints {
  /** Rules kept at most, used up or not: a forgotten rule should not pile up for ever. */
  public static final int MAX_RULES = 100;
  private static final int BODY_LIMIT = 64 * 1024;

  private final Store store;
  private final Faults faults;

  public FaultEndpoints(Store store, Faults faults) {
    this.store = store;
    this.faults = faults;
  }

  public Reply add(WxCall call) {
    Optional<ObjectNode> body = call.body(BODY_LIMIT).flatMap(Json::object);
    if (body.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "expected a JSON object");
    }
    FaultCodec.Parsed parsed = FaultCodec.parse(body.get(), call.now());
    if (parsed.rule() == null) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, parsed.problem());
    }
    FaultRule added = store.inTransaction(tx -> tx.faultRules().all().size() >= MAX_RULES ? null
        : tx.faultRules().add(parsed.rule()));
    if (added == null) {
      return Reply.error(WxError.CONFLICT, "there are " + MAX_RULES + " fault rules already; remove some with"
          + " DELETE /kefu/v1/faults/{id} or DELETE /kefu/v1/faults");
    }
    faults.changed();
    return Reply.json(FaultCodec.render(added, call.now()));
  }

  public Reply list(WxCall call) {
    ObjectNode o = Json.newObject();
    ArrayNode list = o.putArray("faults");
    store.read(tx -> tx.faultRules().all()).forEach(r -> list.add(FaultCodec.render(r, call.now())));
    return Reply.json(o);
  }

  public Reply remove(WxCall call) {
    long id;
    try {
      id = Long.parseLong(call.pathParam("id"));
    } catch (NumberFormatException e) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "a fault rule id is a number, was '" + call.pathParam("id") + "'");
    }
    return removed(store.inTransaction(tx -> tx.faultRules().remove(id)) ? 1 : 0);
  }

  public Reply removeAll(WxCall call) {
    return removed(store.inTransaction(tx -> tx.faultRules().removeAll()));
  }

  private Reply removed(int count) {
    if (count > 0) {
      faults.changed();
    }
    return Reply.json(Json.newObject().put("errcode", 0).put("errmsg", WxError.OK.message()).put("removed", count));
  }
}
