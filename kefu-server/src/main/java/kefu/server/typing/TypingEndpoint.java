package kefu.server.typing;

import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.typing.TypingCommand;
import kefu.protocol.typing.TypingDecision;
import kefu.protocol.typing.TypingRequest;
import kefu.protocol.typing.TypingRules;
import kefu.protocol.typing.TypingState;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.token.TokenEndpoints;
import kefu.server.token.TokenEndpoints.Authorized;
import kefu.server.user.ConversationEvents;
import kefu.store.App;
import kefu.store.Store;

/**
 * {@code POST /cgi-bin/message/custom/typing} and {@code /cgi-bin/message/custom/business/typing}, which behave the
 * same (spec §4). Typing consumes no quota.
 */
public final class TypingEndpoint {
  private static final int BODY_LIMIT = 64 * 1024;

  private final TokenEndpoints tokens;
  private final Store store;
  private final ConversationEvents events;

  public TypingEndpoint(TokenEndpoints tokens, Store store, ConversationEvents events) {
    this.tokens = tokens;
    this.store = store;
    this.events = events;
  }

  public Reply typing(WxCall call) {
    Decoded<Authorized<TypingRequest>> in = tokens.authorizeCustomerService(call, BODY_LIMIT, TypingRequest::decode,
        (tx, authorized) -> {
          call.identify(authorized.app().appid(), authorized.request().touser());
          return tx.users().find(authorized.app().appid(), authorized.request().touser()).isEmpty()
              ? WxError.INVALID_OPENID : WxError.OK;
        });
    if (in instanceof Decoded.Bad<Authorized<TypingRequest>> bad) {
      return Reply.error(bad.error());
    }
    App app = ((Decoded.Ok<Authorized<TypingRequest>>) in).value().app();
    TypingRequest request = ((Decoded.Ok<Authorized<TypingRequest>>) in).value().request();
    String appid = app.appid();
    String openid = request.touser();
    TypingDecision decision = store.inTransaction(tx -> {
      TypingDecision d = TypingRules.onCommand(request.command(), tx.windows().find(appid, openid),
          tx.typing().find(appid, openid), call.now());
      if (d instanceof TypingDecision.Allowed allowed) {
        tx.typing().put(appid, openid, allowed.next());
      }
      return d;
    });
    if (decision instanceof TypingDecision.Denied denied) {
      return Reply.error(denied.error());
    }
    TypingState next = ((TypingDecision.Allowed) decision).next();
    events.publish(appid, openid, "typing", Json.newObject()
        .put("typing", request.command() == TypingCommand.TYPING)
        .put("until_ms", next.typingUntil() == null ? 0 : next.typingUntil().toEpochMilli()));
    return Reply.OK;
  }

}
