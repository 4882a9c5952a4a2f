package kefu.protocol.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import kefu.protocol.Json;

/**
 * The developer's {@code transfer_customer_service} reply to a user-message push (spec §7): {@code ToUserName} is the
 * user's openid (the push's {@code FromUserName}), {@code FromUserName} the mini program's original id (the push's
 * {@code ToUserName}), {@code CreateTime} Unix seconds. {@code kfAccount}, when not null, names an agent in
 * {@code <TransInfo><KfAccount>} (the Official Account form; spec §12.9 leaves it open for mini programs).
 *
 * <p>XML is the doc's form; JSON carries the same fields as one object, {@code TransInfo} nested (spec §7 recommends
 * platforms accept both). In secure mode the rendered reply is the plaintext of an {@link EncryptedReply}. kefu's
 * own {@link DeveloperReply#parse} reads both forms back.
 */
public record TransferReply(String openid, String originalId, long createTime, String kfAccount) {
  public static final String MSG_TYPE = ReplyCodec.TRANSFER;

  public TransferReply {
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(originalId, "originalId");
  }

  /** The reply to {@code push}: its sender becomes the addressee. */
  public static TransferReply to(PushEvent push, long createTime, String kfAccount) {
    return new TransferReply(push.fromUser(), push.toUser(), createTime, kfAccount);
  }

  /** The reply's body in {@code format}, compact. */
  public String render(PushFormat format) {
    if (format == PushFormat.JSON) {
      ObjectNode o = Json.newObject();
      o.put("ToUserName", openid);
      o.put("FromUserName", originalId);
      o.put("CreateTime", createTime);
      o.put("MsgType", MSG_TYPE);
      if (kfAccount != null) {
        o.putObject("TransInfo").put("KfAccount", kfAccount);
      }
      return Json.write(o);
    }
    StringBuilder x = new StringBuilder(256).append("<xml>");
    cdata(x, "ToUserName", openid);
    cdata(x, "FromUserName", originalId);
    x.append("<CreateTime>").append(createTime).append("</CreateTime>");
    cdata(x, "MsgType", MSG_TYPE);
    if (kfAccount != null) {
      x.append("<TransInfo>");
      cdata(x, "KfAccount", kfAccount);
      x.append("</TransInfo>");
    }
    return x.append("</xml>").toString();
  }

  /**
   * {@code <name><![CDATA[value]]></name>} for any value, the way {@link PushCodec} writes one: {@code "]]>"} split
   * across two sections, a carriage return as {@code &#13;} between sections, and characters XML 1.0 cannot carry
   * replaced by U+FFFD.
   */
  static void cdata(StringBuilder x, String name, String value) {
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
}
