package kefu.protocol.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;

/**
 * JSON codec for messages in WeChat's send shape ({@code {"msgtype":"text","text":{"content":…}}}), spec §3.1.
 *
 * <p>Decoding checks, in order: empty body → 44002; not a JSON object, a field of the wrong type, or a required
 * field or type object missing → 47001; unknown {@code msgtype} (including the Official-Account-only types) → 40008;
 * empty text → 44004; text longer than the limit in UTF-8 bytes → 45002. The choices for the UNCERTAIN cases of
 * spec §12.3/§12.4 are documented in the README.
 */
public final class MessageCodec {
  /** Default text limit in UTF-8 bytes (WeCom's and the OA passive-reply figure, spec §3.3). */
  public static final int DEFAULT_TEXT_LIMIT_BYTES = 2048;

  /** What the developer may send. */
  public static final Set<String> SEND_TYPES = Set.of("text", "image", "link", "miniprogrampage");
  /** What a mini-program user can send. */
  public static final Set<String> USER_TYPES = Set.of("text", "image", "miniprogrampage");

  private final int textLimitBytes;

  public MessageCodec(int textLimitBytes) {
    if (textLimitBytes <= 0) {
      throw new IllegalArgumentException("text limit must be positive, was " + textLimitBytes);
    }
    this.textLimitBytes = textLimitBytes;
  }

  /** Decodes a {@code custom/send} body. */
  public Decoded<SendRequest> decodeSend(byte[] body) {
    Decoded<ObjectNode> decoded = Json.requestObject(body);
    if (decoded instanceof Decoded.Bad<ObjectNode> bad) {
      return Decoded.bad(bad.error());
    }
    ObjectNode root = ((Decoded.Ok<ObjectNode>) decoded).value();
    Optional<String> touser = Json.text(root, "touser");
    if (touser.isEmpty()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    Decoded<Message> message = decodeMessage(root, SEND_TYPES);
    if (message instanceof Decoded.Ok<Message> ok) {
      return Decoded.ok(new SendRequest(touser.get(), ok.value()));
    }
    return Decoded.bad(((Decoded.Bad<Message>) message).error());
  }

  /** Decodes a message object of one of {@code allowed} types from a parsed body. */
  public Decoded<Message> decodeMessage(JsonNode root, Set<String> allowed) {
    Optional<String> msgtype = Json.text(root, "msgtype");
    if (msgtype.isEmpty()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    String type = msgtype.get();
    if (!allowed.contains(type)) {
      return Decoded.bad(WxError.INVALID_MESSAGE_TYPE);
    }
    JsonNode obj = root.get(type);
    if (obj == null || !obj.isObject()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    return switch (type) {
      case "text" -> text(obj);
      case "image" -> required(obj, "media_id").map(m -> Decoded.<Message>ok(new Message.Image(m)))
          .orElseGet(() -> Decoded.bad(WxError.DATA_FORMAT_ERROR));
      case "link" -> link(obj);
      default -> miniProgramPage(obj);
    };
  }

  private Decoded<Message> text(JsonNode obj) {
    JsonNode content = obj.get("content");
    if (content == null || !content.isTextual()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    String text = content.textValue();
    if (text.isEmpty()) {
      return Decoded.bad(WxError.EMPTY_CONTENT);
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > textLimitBytes) {
      return Decoded.bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT);
    }
    return Decoded.ok(new Message.Text(text));
  }

  private static Decoded<Message> link(JsonNode obj) {
    Optional<String> title = required(obj, "title");
    Optional<String> description = optionalText(obj, "description");
    Optional<String> url = required(obj, "url");
    Optional<String> thumbUrl = optionalText(obj, "thumb_url");
    if (title.isEmpty() || description.isEmpty() || url.isEmpty() || thumbUrl.isEmpty()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    return Decoded.ok(new Message.Link(title.get(), description.get(), url.get(), thumbUrl.get()));
  }

  private static Decoded<Message> miniProgramPage(JsonNode obj) {
    Optional<String> title = required(obj, "title");
    Optional<String> pagePath = required(obj, "pagepath");
    Optional<String> thumb = required(obj, "thumb_media_id");
    JsonNode appid = obj.get("appid");
    if (title.isEmpty() || pagePath.isEmpty() || thumb.isEmpty()
        || (appid != null && !appid.isTextual() && !appid.isNull())) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    String app = appid == null || appid.isNull() || appid.textValue().isEmpty() ? null : appid.textValue();
    return Decoded.ok(new Message.MiniProgramPage(title.get(), pagePath.get(), thumb.get(), app));
  }

  /** A non-empty string field. */
  private static Optional<String> required(JsonNode obj, String field) {
    return Json.text(obj, field).filter(s -> !s.isEmpty());
  }

  /** A string field that may be absent (then empty string) but not of another type. */
  private static Optional<String> optionalText(JsonNode obj, String field) {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return Optional.of("");
    }
    return n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
  }

  /** The message in WeChat's send shape, without {@code touser}. */
  public static ObjectNode encode(Message message) {
    ObjectNode root = Json.newObject();
    root.put("msgtype", message.type());
    ObjectNode obj = root.putObject(message.type());
    if (message instanceof Message.Text t) {
      obj.put("content", t.content());
    } else if (message instanceof Message.Image i) {
      obj.put("media_id", i.mediaId());
    } else if (message instanceof Message.Link l) {
      obj.put("title", l.title()).put("description", l.description())
          .put("url", l.url()).put("thumb_url", l.thumbUrl());
    } else if (message instanceof Message.MiniProgramPage p) {
      obj.put("title", p.title()).put("pagepath", p.pagePath()).put("thumb_media_id", p.thumbMediaId());
      if (p.appid() != null) {
        obj.put("appid", p.appid());
      }
    }
    return root;
  }
}
