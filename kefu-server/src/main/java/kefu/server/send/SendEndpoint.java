package kefu.server.send;

import java.util.Optional;
import kefu.protocol.Decoded;
import kefu.protocol.WxError;
import kefu.protocol.media.MediaRules;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.protocol.send.SendRequest;
import kefu.protocol.typing.TypingState;
import kefu.protocol.window.SendDecision;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.token.TokenEndpoints;
import kefu.server.token.TokenEndpoints.Authorized;
import kefu.server.user.ConversationEvents;
import kefu.server.user.MessageViews;
import kefu.store.App;
import kefu.store.Direction;
import kefu.store.MediaItem;
import kefu.store.Store;
import kefu.store.StoredMessage;

/**
 * {@code POST /cgi-bin/message/custom/send} (spec §3). Checks in order: method (43002), token (41001/40001/42001),
 * permission (48001), body (44002/47001/40008/44004/45002), user (40003), media and card appid (40007/40013), then
 * the window (45015/45047). The window decision, its decrement, the stored message and the end of any typing
 * state are one transaction: an errcode 0 means all of it is on disk.
 */
public final class SendEndpoint {
  static final int BODY_LIMIT = 1024 * 1024;

  private final TokenEndpoints tokens;
  private final Store store;
  private final MessageCodec codec;
  private final ConversationEvents events;

  public SendEndpoint(TokenEndpoints tokens, Store store, MessageCodec codec, ConversationEvents events) {
    this.tokens = tokens;
    this.store = store;
    this.codec = codec;
    this.events = events;
  }

  public Reply send(WxCall call) {
    Decoded<Authorized<SendRequest>> in = tokens.authorizeCustomerService(call, BODY_LIMIT, codec::decodeSend,
        (tx, authorized) -> {
          App app = authorized.app();
          SendRequest request = authorized.request();
          call.identify(app.appid(), request.touser());
          if (tx.users().find(app.appid(), request.touser()).isEmpty()) {
            return WxError.INVALID_OPENID;
          }
          return checkReferences(request.message(), app, call, tx.media()::find);
        });
    if (in instanceof Decoded.Bad<Authorized<SendRequest>> bad) {
      return Reply.error(bad.error());
    }
    App app = ((Decoded.Ok<Authorized<SendRequest>>) in).value().app();
    SendRequest request = ((Decoded.Ok<Authorized<SendRequest>>) in).value().request();
    Object outcome = store.inTransaction(tx -> {
      SendDecision decision = tx.windows().consume(app.appid(), request.touser(), call.now());
      if (decision instanceof SendDecision.Denied denied) {
        return denied.error();
      }
      TypingState typing = tx.typing().find(app.appid(), request.touser());
      tx.typing().put(app.appid(), request.touser(), typing.exchangedAt(call.now()));
      return tx.messages().append(app.appid(), request.touser(), Direction.TO_USER, request.message(), call.now());
    });
    if (outcome instanceof WxError error) {
      return Reply.error(error);
    }
    events.publish(app.appid(), request.touser(), "message", MessageViews.of((StoredMessage) outcome));
    return Reply.OK;
  }

  /** The media a message refers to must be the app's own and alive; a card's appid must be the app's own. */
  public static WxError checkReferences(Message message, App app, WxCall call,
                                 java.util.function.Function<String, Optional<MediaItem>> media) {
    String mediaId = null;
    if (message instanceof Message.Image image) {
      mediaId = image.mediaId();
    } else if (message instanceof Message.MiniProgramPage card) {
      if (card.appid() != null && !card.appid().equals(app.appid())) {
        return WxError.INVALID_APPID;
      }
      mediaId = card.thumbMediaId();
    }
    if (mediaId == null) {
      return WxError.OK;
    }
    Optional<MediaItem> item = media.apply(mediaId);
    if (item.isEmpty() || !item.get().appid().equals(app.appid())
        || MediaRules.isExpired(item.get().createdAt(), call.now())) {
      return WxError.INVALID_MEDIA_ID;
    }
    return WxError.OK;
  }
}
