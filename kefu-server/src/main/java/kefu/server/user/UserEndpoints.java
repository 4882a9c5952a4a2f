package kefu.server.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.media.ImageFormat;
import kefu.protocol.media.MediaRules;
import kefu.protocol.push.PushCodec;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.protocol.typing.TypingState;
import kefu.protocol.user.OpenId;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.server.agent.HandOff;
import kefu.server.http.Endpoints;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.push.PushEvents;
import kefu.store.App;
import kefu.store.Direction;
import kefu.store.MediaItem;
import kefu.store.Store;
import kefu.store.StoredMessage;
import kefu.store.User;

/**
 * The simulated WeChat user and the introspection of a conversation, under {@code /kefu/v1/apps/{appid}/users}:
 * create a user, enter the chat, send text, an image or a mini-program card (each grants its window allowance),
 * read the conversation and the window, and follow it live as Server-Sent Events.
 */
public final class UserEndpoints {
  private static final int BODY_LIMIT = MediaRules.MAX_IMAGE_BYTES * 2;
  private static final int DEFAULT_CONVERSATION_LIMIT = 200;
  private static final int MAX_CONVERSATION_LIMIT = 1000;

  private final Store store;
  private final RandomGenerator secureRandom;
  private final MessageCodec codec;
  private final ConversationEvents events;
  private final HandOff handOff;
  private final Runnable pushWake;

  public UserEndpoints(Store store, RandomGenerator secureRandom, MessageCodec codec,
                       ConversationEvents events, HandOff handOff, Runnable pushWake) {
    this.store = store;
    this.secureRandom = secureRandom;
    this.codec = codec;
    this.events = events;
    this.handOff = handOff;
    this.pushWake = pushWake;
  }

  public Reply list(WxCall call) {
    Optional<App> app = app(call);
    if (app.isEmpty()) {
      return Reply.error(WxError.INVALID_APPID, "no app " + call.pathParam("appid"));
    }
    ObjectNode o = Json.newObject();
    ArrayNode users = o.putArray("users");
    store.read(tx -> tx.users().list(app.get().appid())).forEach(u -> users.addObject()
        .put("openid", u.openid()).put("nickname", u.nickname()).put("created_at", u.createdAt().getEpochSecond()));
    return Reply.json(o);
  }

  public Reply create(WxCall call) {
    Optional<App> app = app(call);
    if (app.isEmpty()) {
      return Reply.error(WxError.INVALID_APPID, "no app " + call.pathParam("appid"));
    }
    Optional<JsonNode> body = optionalBody(call);
    if (body.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "the body must be empty or a JSON object");
    }
    JsonNode spec = body.get();
    String openid;
    if (spec.has("openid")) {
      if (!spec.get("openid").isTextual() || !OpenId.isWellFormed(spec.get("openid").textValue())) {
        return Reply.error(WxError.INVALID_OPENID, "openid must be 1 to 64 characters of [A-Za-z0-9_-]");
      }
      openid = spec.get("openid").textValue();
    } else {
      openid = OpenId.newOpenId(secureRandom);
    }
    if (spec.has("nickname") && !spec.get("nickname").isTextual()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "nickname must be a string");
    }
    String nickname = spec.path("nickname").asText("");
    User user = new User(app.get().appid(), openid, nickname, call.now());
    boolean created = store.inTransaction(tx -> tx.users().create(user));
    return Reply.json(Json.newObject().put("openid", openid).put("created", created));
  }

  public Reply enter(WxCall call) {
    Decoded<User> user = user(call);
    if (user instanceof Decoded.Bad<User> bad) {
      return Reply.error(bad.error(), "no such app or user");
    }
    User u = ((Decoded.Ok<User>) user).value();
    Optional<JsonNode> body = optionalBody(call);
    if (body.isEmpty() || (body.get().has("session_from") && !body.get().get("session_from").isTextual())) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "the body must be empty or {\"session_from\":\"…\"}");
    }
    App app = app(call).orElseThrow();
    String sessionFrom = body.get().path("session_from").asText("");
    Window window = store.inTransaction(tx -> {
      Window next = app.rules().onTrigger(tx.windows().find(u.appid(), u.openid()), Trigger.ENTER, call.now());
      tx.windows().put(u.appid(), u.openid(), next);
      if (app.push().active()) {
        tx.outbox().enqueue(u.appid(), u.openid(), PushCodec.toJson(
            PushEvents.entered(app, u.openid(), call.now().getEpochSecond(), sessionFrom)), 0, call.now());
      }
      return next;
    });
    if (app.push().active()) {
      pushWake.run();
    }
    ObjectNode event = Json.newObject().put("session_from", sessionFrom)
        .put("created_at", call.now().getEpochSecond());
    events.publish(u.appid(), u.openid(), "enter", event);
    ObjectNode reply = Json.newObject().put("errcode", 0).put("errmsg", "ok");
    reply.set("window", windowView(app, window, call.now()));
    return Reply.json(reply);
  }

  public Reply message(WxCall call) {
    Decoded<User> user = user(call);
    if (user instanceof Decoded.Bad<User> bad) {
      return Reply.error(bad.error(), "no such app or user");
    }
    User u = ((Decoded.Ok<User>) user).value();
    App app = app(call).orElseThrow();
    Optional<byte[]> bytes = call.body(BODY_LIMIT);
    if (bytes.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "body larger than " + BODY_LIMIT + " bytes");
    }
    Optional<ObjectNode> root = Json.object(bytes.get());
    if (root.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "the body must be a JSON object");
    }
    MediaItem upload = null;
    JsonNode image = root.get().get("image");
    if ("image".equals(root.get().path("msgtype").asText()) && image != null && image.has("data_base64")) {
      Decoded<MediaItem> decoded = inlineImage(image.get("data_base64"), app, call.now());
      if (decoded instanceof Decoded.Bad<MediaItem> bad) {
        return Reply.error(bad.error(), "image.data_base64 must be a base64 JPEG, PNG, GIF or BMP");
      }
      upload = ((Decoded.Ok<MediaItem>) decoded).value();
      ((ObjectNode) image).put("media_id", upload.mediaId());
    }
    Decoded<Message> decoded = codec.decodeMessage(root.get(), MessageCodec.USER_TYPES);
    if (decoded instanceof Decoded.Bad<Message> bad) {
      return Reply.error(bad.error(), "expected {\"msgtype\":\"text\"|\"image\"|\"miniprogrampage\", …}");
    }
    Message message = ((Decoded.Ok<Message>) decoded).value();
    if (upload == null && message instanceof Message.Image i && !mediaOf(app, i.mediaId(), call.now())) {
      return Reply.error(WxError.INVALID_MEDIA_ID, "image.media_id is not a live image of this app");
    }
    MediaItem media = upload;
    URI base = call.request().requestedUri().toUri();
    record Sent(StoredMessage message, Window window, HandOff.Routed routed) {}
    Sent sent = store.inTransaction(tx -> {
      if (media != null) {
        tx.media().put(media);
      }
      StoredMessage stored = tx.messages().append(u.appid(), u.openid(), Direction.FROM_USER, message, call.now());
      Window next = app.rules().onTrigger(tx.windows().find(u.appid(), u.openid()), Trigger.MESSAGE, call.now());
      tx.windows().put(u.appid(), u.openid(), next);
      TypingState typing = tx.typing().find(u.appid(), u.openid());
      tx.typing().put(u.appid(), u.openid(), new TypingState(call.now(), typing.typingUntil()));
      HandOff.Routed routed = handOff.onUserMessage(tx, app, u.openid(), call.now());
      if (routed.route() == HandOff.Route.PUSH) {
        tx.outbox().enqueue(u.appid(), u.openid(), PushCodec.toJson(PushEvents.of(app, stored, base)),
            stored.msgId(), call.now());
      }
      return new Sent(stored, next, routed);
    });
    if (sent.routed().route() == HandOff.Route.PUSH) {
      pushWake.run();
    }
    ObjectNode view = MessageViews.of(sent.message());
    events.publish(u.appid(), u.openid(), "message", view);
    if (sent.routed().agentEvent() != null) {
      ObjectNode agentView = HandOff.view(sent.routed().session(), call.now());
      agentView.set("message", view);
      handOff.publish(u.appid(), sent.routed().agentEvent(), agentView);
    }
    ObjectNode reply = Json.newObject().put("errcode", 0).put("errmsg", "ok").put("msgid", sent.message().msgId())
        .put("routed_to", sent.routed().route().name().toLowerCase(java.util.Locale.ROOT));
    reply.set("window", windowView(app, sent.window(), call.now()));
    return Reply.json(reply);
  }

  public Reply conversation(WxCall call) {
    Decoded<User> user = user(call);
    if (user instanceof Decoded.Bad<User> bad) {
      return Reply.error(bad.error(), "no such app or user");
    }
    User u = ((Decoded.Ok<User>) user).value();
    int limit;
    try {
      limit = call.query("limit").map(Integer::parseInt).orElse(DEFAULT_CONVERSATION_LIMIT);
    } catch (NumberFormatException e) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "limit must be an integer");
    }
    int bounded = Math.max(1, Math.min(limit, MAX_CONVERSATION_LIMIT));
    record View(java.util.List<StoredMessage> messages, TypingState typing) {}
    View view = store.read(tx -> new View(tx.messages().conversation(u.appid(), u.openid(), bounded),
        tx.typing().find(u.appid(), u.openid())));
    ObjectNode o = Json.newObject().put("appid", u.appid()).put("openid", u.openid());
    ArrayNode messages = o.putArray("messages");
    view.messages().forEach(m -> messages.add(MessageViews.of(m)));
    o.putObject("typing").put("typing", view.typing().isTyping(call.now()))
        .put("until_ms", view.typing().isTyping(call.now()) ? view.typing().typingUntil().toEpochMilli() : 0);
    return Reply.json(o);
  }

  public Reply window(WxCall call) {
    Decoded<User> user = user(call);
    if (user instanceof Decoded.Bad<User> bad) {
      return Reply.error(bad.error(), "no such app or user");
    }
    User u = ((Decoded.Ok<User>) user).value();
    App app = app(call).orElseThrow();
    Window w = store.read(tx -> tx.windows().find(u.appid(), u.openid()));
    return Reply.json(windowView(app, w, call.now()));
  }

  /** {@code GET …/events}: the conversation's new messages and typing changes as Server-Sent Events. */
  public void events(ServerRequest req, ServerResponse res, Endpoints endpoints) throws InterruptedException {
    WxCall call = endpoints.begin(req);
    Decoded<User> user = user(call);
    if (user instanceof Decoded.Bad<User> bad) {
      Endpoints.render(call, Reply.error(bad.error(), "no such app or user"), res);
      return;
    }
    User u = ((Decoded.Ok<User>) user).value();
    events.stream(u.appid(), u.openid(), Json.newObject().put("openid", u.openid()), res);
  }

  static ObjectNode windowView(App app, Window w, Instant now) {
    ObjectNode o = Json.newObject();
    boolean open = w.isOpen(now);
    o.put("open", open);
    o.put("remaining", w.remainingAt(now));
    if (open) {
      o.put("expires_at", w.closesAt().getEpochSecond());
      o.put("expires_at_ms", w.closesAt().toEpochMilli());
      o.put("seconds_left", Math.max(0, w.closesAt().getEpochSecond() - now.getEpochSecond()));
    } else {
      o.putNull("expires_at");
      o.putNull("expires_at_ms");
      o.put("seconds_left", 0);
    }
    o.put("rule", app.rules().name());
    if (w.grantedBy() != null && open) {
      o.put("granted_by", w.grantedBy().wireName());
    } else {
      o.putNull("granted_by");
    }
    return o;
  }

  private boolean mediaOf(App app, String mediaId, Instant now) {
    return store.read(tx -> tx.media().find(mediaId))
        .filter(m -> m.appid().equals(app.appid()) && !MediaRules.isExpired(m.createdAt(), now)).isPresent();
  }

  private Decoded<MediaItem> inlineImage(JsonNode data, App app, Instant now) {
    if (!data.isTextual()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(data.textValue());
    } catch (IllegalArgumentException e) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    Decoded<ImageFormat> format = MediaRules.checkUpload(bytes);
    if (format instanceof Decoded.Bad<ImageFormat> bad) {
      return Decoded.bad(bad.error());
    }
    return Decoded.ok(new MediaItem(MediaRules.newMediaId(secureRandom), app.appid(),
        ((Decoded.Ok<ImageFormat>) format).value(), bytes, now));
  }

  private Optional<App> app(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    return store.read(tx -> tx.apps().find(appid));
  }

  private Decoded<User> user(WxCall call) {
    String appid = call.pathParam("appid");
    String openid = call.pathParam("openid");
    call.identify(appid, openid);
    return store.read(tx -> {
      if (tx.apps().find(appid).isEmpty()) {
        return Decoded.<User>bad(WxError.INVALID_APPID);
      }
      return tx.users().find(appid, openid).<Decoded<User>>map(Decoded::ok)
          .orElseGet(() -> Decoded.bad(WxError.INVALID_OPENID));
    });
  }

  /** An empty body reads as {}; otherwise it must be a JSON object. */
  private static Optional<JsonNode> optionalBody(WxCall call) {
    Optional<byte[]> bytes = call.body(64 * 1024);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (Json.isBlank(bytes.get())) {
      return Optional.of(Json.newObject());
    }
    return Json.object(bytes.get()).map(o -> o);
  }
}
