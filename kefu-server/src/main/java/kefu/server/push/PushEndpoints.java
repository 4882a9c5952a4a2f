package kefu.server.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultCodec;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.store.PushAttempt;
import kefu.store.Store;

/**
 * {@code GET /kefu/v1/apps/{appid}/pushes?openid=&status=&limit=}: the push journal, the push debugger's data. Each
 * attempt shows what was sent (URL, query, headers, body, the strings signed and both signatures, the plaintext
 * before encryption), what came back, and the verdict with its reason. {@code status} filters on the outcome
 * (delivered, transfer, abnormal, timeout, error, delayed); {@code fault} marks an attempt a fault rule changed.
 */
public final class PushEndpoints {
  private static final int MAX_LIMIT = 1000;

  private final Store store;

  public PushEndpoints(Store store) {
    this.store = store;
  }

  public Reply journal(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    int limit;
    try {
      limit = call.query("limit").filter(s -> !s.isEmpty()).map(Integer::parseInt).orElse(100);
    } catch (NumberFormatException e) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "limit must be an integer");
    }
    String openid = call.query("openid").filter(s -> !s.isEmpty()).orElse(null);
    String status = call.query("status").filter(s -> !s.isEmpty()).orElse(null);
    ObjectNode o = Json.newObject();
    ArrayNode attempts = o.putArray("pushes");
    store.read(tx -> tx.pushJournal().query(appid, openid, status, Math.max(1, Math.min(limit, MAX_LIMIT))))
        .forEach(a -> attempts.add(view(a)));
    return Reply.json(o);
  }

  static ObjectNode view(PushAttempt a) {
    ObjectNode o = Json.newObject();
    o.put("id", a.id());
    o.put("outbox_id", a.outboxId());
    o.put("openid", a.openid());
    o.put("msgid", a.msgId());
    o.put("attempt", a.attempt());
    o.put("at_ms", a.at().toEpochMilli());
    o.put("outcome", a.outcome());
    o.put("reason", a.reason());
    o.set("fault", FaultCodec.render(a.fault()));
    ObjectNode request = o.putObject("request");
    request.put("url", a.url());
    request.put("query", a.query());
    request.put("headers", a.requestHeaders());
    request.put("body", a.requestBody());
    request.put("plaintext", a.plaintext());
    ObjectNode signing = o.putObject("signature");
    signing.put("canonical", a.canonical());
    signing.put("signature", a.signature());
    signing.put("msg_canonical", a.msgCanonical());
    signing.put("msg_signature", a.msgSignature());
    ObjectNode response = o.putObject("response");
    response.put("status", a.status());
    response.put("body", a.responseBody());
    response.put("latency_ms", a.latencyMicros() / 1000.0);
    return o;
  }
}
