package kefu.protocol.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import kefu.protocol.Json;

/**
 * Push bodies and requests (spec §6.3, §6.4).
 *
 * <p><b>Plaintext.</b> XML: root {@code <xml>}, compact, strings in CDATA, integers bare. JSON: a compact flat object
 * with the same PascalCase keys, {@code CreateTime} and {@code MsgId} as numbers. Both put the elements in the order
 * of spec §6.3 (the order of WxJava's {@code WxMaMessage} fixtures): {@code ToUserName, FromUserName, CreateTime,
 * MsgType}, then
 * <ul>
 *   <li>text: {@code Content, MsgId};
 *   <li>image: {@code PicUrl, MediaId, MsgId};
 *   <li>miniprogrampage: {@code MsgId, Title, AppId, PagePath, ThumbUrl, ThumbMediaId};
 *   <li>event: {@code Event} ({@code user_enter_tempsession}), {@code SessionFrom}; events carry no MsgId.
 * </ul>
 * In XML a {@code "]]>"} inside a value is split across two CDATA sections, a carriage return is written as the
 * character reference {@code &#13;} between sections (XML parsers turn a raw CR into LF, even inside CDATA), and a
 * character XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF, lone surrogates) becomes U+FFFD.
 *
 * <p><b>Envelopes.</b> Plain mode sends the plaintext. Secure mode sends only {@code ToUserName} and {@code Encrypt}.
 * Compatible mode ("明文、密文共存"; spec §6.4 and §12.8 leave the exact layout open) sends <b>the plaintext with
 * {@code Encrypt} appended as the last member</b>:
 * <pre>{@code
 * JSON: {"ToUserName":…,"FromUserName":…,"CreateTime":…,"MsgType":…,…,"Encrypt":"…"}
 * XML:  <xml><ToUserName>…</ToUserName>…<MsgId>…</MsgId><Encrypt><![CDATA[…]]></Encrypt></xml>
 * }</pre>
 * so that a receiver reading plaintext fields and one reading only {@code Encrypt} (WxJava's
 * {@code WxMaMessage.fromEncryptedXml}/{@code fromEncryptedJson}) both work.
 *
 * <p>{@link #toJson}/{@link #fromJson} store an event in the outbox; the stored form is the JSON plaintext.
 */
public final class PushCodec {
  public static final String XML_CONTENT_TYPE = "text/xml; charset=utf-8";
  public static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";
  static final String ENTER_EVENT = "user_enter_tempsession";

  private PushCodec() {}

  /** The event's plaintext body in {@code format}. */
  public static String plaintext(PushEvent event, PushFormat format) {
    return format == PushFormat.XML ? xml(event, null) : Json.write(object(event));
  }

  /** JSON form for storage in the outbox. */
  public static String toJson(PushEvent event) {
    return plaintext(event, PushFormat.JSON);
  }

  /** The event stored by {@link #toJson}; empty on anything unrecognised (never throws). */
  public static Optional<PushEvent> fromJson(String json) {
    if (json == null) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (!(root instanceof ObjectNode)) {
      return Optional.empty();
    }
    Optional<String> toUser = Json.text(root, "ToUserName");
    Optional<String> fromUser = Json.text(root, "FromUserName");
    Optional<Long> createTime = integer(root, "CreateTime");
    Optional<String> msgType = Json.text(root, "MsgType");
    if (toUser.isEmpty() || fromUser.isEmpty() || createTime.isEmpty() || msgType.isEmpty()) {
      return Optional.empty();
    }
    String to = toUser.get();
    String from = fromUser.get();
    long time = createTime.get();
    switch (msgType.get()) {
      case "event": {
        Optional<String> sessionFrom = Json.text(root, "SessionFrom");
        if (!Json.text(root, "Event").equals(Optional.of(ENTER_EVENT)) || sessionFrom.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new PushEvent.UserEnteredSession(to, from, time, sessionFrom.get()));
      }
      case "text": {
        Optional<String> content = Json.text(root, "Content");
        Optional<Long> msgId = integer(root, "MsgId");
        if (content.isEmpty() || msgId.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new PushEvent.Text(to, from, time, content.get(), msgId.get()));
      }
      case "image": {
        Optional<String> picUrl = Json.text(root, "PicUrl");
        Optional<String> mediaId = Json.text(root, "MediaId");
        Optional<Long> msgId = integer(root, "MsgId");
        if (picUrl.isEmpty() || mediaId.isEmpty() || msgId.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new PushEvent.Image(to, from, time, picUrl.get(), mediaId.get(), msgId.get()));
      }
      case "miniprogrampage": {
        Optional<Long> msgId = integer(root, "MsgId");
        Optional<String> title = Json.text(root, "Title");
        Optional<String> appId = Json.text(root, "AppId");
        Optional<String> pagePath = Json.text(root, "PagePath");
        Optional<String> thumbUrl = Json.text(root, "ThumbUrl");
        Optional<String> thumbMediaId = Json.text(root, "ThumbMediaId");
        if (msgId.isEmpty() || title.isEmpty() || appId.isEmpty() || pagePath.isEmpty() || thumbUrl.isEmpty()
            || thumbMediaId.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new PushEvent.MiniProgramPage(to, from, time, title.get(), appId.get(), pagePath.get(),
            thumbUrl.get(), thumbMediaId.get(), msgId.get()));
      }
      default:
        return Optional.empty();
    }
  }

  /**
   * The full push request for these settings (spec §6.3, §6.4); see the class comment for the bodies.
   * {@code signature} is always the 3-value signature; in compatible and secure mode the query adds {@code openid},
   * {@code encrypt_type=aes} and {@code msg_signature}.
   *
   * @param appid the mini program's appid, the trailer of the encrypted FullStr
   * @param random16 the 16-character random prefix of the FullStr (unused in plain mode)
   * @throws IllegalArgumentException when the mode encrypts and the settings' EncodingAESKey is unusable (settings
   *     are validated with {@link PushCipher#checkKey} when saved)
   */
  public static PushRequest request(PushEvent event, PushSettings settings, String appid, String timestamp,
                                    String nonce, String random16) {
    PushFormat format = settings.format();
    String plaintext = plaintext(event, format);
    String canonical = Signatures.canonicalHidingToken(settings.token(), timestamp, nonce);
    String signature = Signatures.signature(settings.token(), timestamp, nonce);
    String query = "signature=" + encode(signature) + "&timestamp=" + encode(timestamp) + "&nonce=" + encode(nonce);
    String contentType = format == PushFormat.XML ? XML_CONTENT_TYPE : JSON_CONTENT_TYPE;
    if (!settings.mode().encrypts()) {
      return new PushRequest(query, plaintext, contentType, plaintext, canonical, signature, null, null, null);
    }
    String encrypt = new PushCipher(settings.encodingAesKey(), appid).encrypt(plaintext, random16);
    String msgCanonical = Signatures.canonicalHidingToken(settings.token(), timestamp, nonce, encrypt);
    String msgSignature = Signatures.msgSignature(settings.token(), timestamp, nonce, encrypt);
    query += "&openid=" + encode(event.fromUser()) + "&encrypt_type=aes&msg_signature=" + encode(msgSignature);
    String body;
    if (settings.mode() == PushMode.SECURE) {
      if (format == PushFormat.XML) {
        StringBuilder xml = new StringBuilder("<xml>");
        cdata(xml, "ToUserName", event.toUser());
        cdata(xml, "Encrypt", encrypt);
        body = xml.append("</xml>").toString();
      } else {
        ObjectNode envelope = Json.newObject();
        envelope.put("ToUserName", event.toUser());
        envelope.put("Encrypt", encrypt);
        body = Json.write(envelope);
      }
    } else if (format == PushFormat.XML) {
      body = xml(event, encrypt);
    } else {
      body = Json.write(object(event).put("Encrypt", encrypt));
    }
    return new PushRequest(query, body, contentType, plaintext, canonical, signature, msgCanonical, msgSignature,
        encrypt);
  }

  /** A query-string value, percent-encoded as UTF-8 (a space as {@code %20}). */
  static String encode(String value) {
    return URLEncoder.encode(Objects.requireNonNull(value), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static ObjectNode object(PushEvent event) {
    ObjectNode o = Json.newObject();
    o.put("ToUserName", event.toUser());
    o.put("FromUserName", event.fromUser());
    o.put("CreateTime", event.createTime());
    o.put("MsgType", event.msgType());
    if (event instanceof PushEvent.Text t) {
      o.put("Content", t.content());
      o.put("MsgId", t.msgId());
    } else if (event instanceof PushEvent.Image i) {
      o.put("PicUrl", i.picUrl());
      o.put("MediaId", i.mediaId());
      o.put("MsgId", i.msgId());
    } else if (event instanceof PushEvent.MiniProgramPage p) {
      o.put("MsgId", p.msgId());
      o.put("Title", p.title());
      o.put("AppId", p.appId());
      o.put("PagePath", p.pagePath());
      o.put("ThumbUrl", p.thumbUrl());
      o.put("ThumbMediaId", p.thumbMediaId());
    } else if (event instanceof PushEvent.UserEnteredSession e) {
      o.put("Event", ENTER_EVENT);
      o.put("SessionFrom", e.sessionFrom());
    } else {
      throw new IllegalArgumentException("unknown push event " + event);
    }
    return o;
  }

  /** The XML plaintext; with {@code encrypt} non-null, the compatible-mode body. */
  private static String xml(PushEvent event, String encrypt) {
    StringBuilder x = new StringBuilder(256).append("<xml>");
    cdata(x, "ToUserName", event.toUser());
    cdata(x, "FromUserName", event.fromUser());
    bare(x, "CreateTime", event.createTime());
    cdata(x, "MsgType", event.msgType());
    if (event instanceof PushEvent.Text t) {
      cdata(x, "Content", t.content());
      bare(x, "MsgId", t.msgId());
    } else if (event instanceof PushEvent.Image i) {
      cdata(x, "PicUrl", i.picUrl());
      cdata(x, "MediaId", i.mediaId());
      bare(x, "MsgId", i.msgId());
    } else if (event instanceof PushEvent.MiniProgramPage p) {
      bare(x, "MsgId", p.msgId());
      cdata(x, "Title", p.title());
      cdata(x, "AppId", p.appId());
      cdata(x, "PagePath", p.pagePath());
      cdata(x, "ThumbUrl", p.thumbUrl());
      cdata(x, "ThumbMediaId", p.thumbMediaId());
    } else if (event instanceof PushEvent.UserEnteredSession e) {
      cdata(x, "Event", ENTER_EVENT);
      cdata(x, "SessionFrom", e.sessionFrom());
    } else {
      throw new IllegalArgumentException("unknown push event " + event);
    }
    if (encrypt != null) {
      cdata(x, "Encrypt", encrypt);
    }
    return x.append("</xml>").toString();
  }

  private static void bare(StringBuilder x, String name, long value) {
    x.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
  }

  /** {@code <name><![CDATA[value]]></name>}, safe for any value (see the class comment). */
  private static void cdata(StringBuilder x, String name, String value) {
    x.append('<').append(name).append("><![CDATA[");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ']' && value.startsWith("]]>", i)) {
        x.append("]]]]><![CDATA[>");
        i += 2;
      } else if (c == '\r') {
        x.append("]]>&#13;<![CDATA[");
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        x.append(c).append(value.charAt(i + 1));
        i++;
      } else if (c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
        x.append(c);
      } else {
        x.append('\uFFFD');
      }
    }
    x.append("]]></").append(name).append('>');
  }

  private static Optional<Long> integer(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n != null && n.isIntegralNumber() && n.canConvertToLong() ? Optional.of(n.longValue()) : Optional.empty();
  }
}
