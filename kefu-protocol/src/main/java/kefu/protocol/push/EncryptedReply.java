package kefu.protocol.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import kefu.protocol.Json;

/**
 * An encrypted reply from the developer's server (spec §6.4): {@code Encrypt}, and {@code MsgSignature} =
 * {@code sha1(sort(Token, TimeStamp, Nonce, Encrypt))} over the reply's <b>own</b> {@code TimeStamp} and
 * {@code Nonce}. JSON: {@code {"Encrypt":"…","MsgSignature":"…","TimeStamp":<int>,"Nonce":"…"}}; XML: the same
 * elements under {@code <xml>}, strings in CDATA, TimeStamp bare. Vector: spec §10.1 (encrypted reply).
 */
public record EncryptedReply(String encrypt, String msgSignature, long timeStamp, String nonce) {
  public EncryptedReply {
    Objects.requireNonNull(encrypt, "encrypt");
    Objects.requireNonNull(msgSignature, "msgSignature");
    Objects.requireNonNull(nonce, "nonce");
  }

  /**
   * Encrypts {@code plaintext} with {@code cipher} (whose appid becomes the trailer) and signs it.
   *
   * @param random16 the 16-character random prefix of the FullStr (see {@link PushCipher#randomPrefix})
   */
  public static EncryptedReply seal(String plaintext, PushCipher cipher, String token, long timeStamp, String nonce,
                                    String random16) {
    String encrypt = cipher.encrypt(plaintext, random16);
    return new EncryptedReply(encrypt, Signatures.msgSignature(token, String.valueOf(timeStamp), nonce, encrypt),
        timeStamp, nonce);
  }

  /** The envelope's body in {@code format}, compact. */
  public String render(PushFormat format) {
    if (format == PushFormat.JSON) {
      ObjectNode o = Json.newObject();
      o.put("Encrypt", encrypt);
      o.put("MsgSignature", msgSignature);
      o.put("TimeStamp", timeStamp);
      o.put("Nonce", nonce);
      return Json.write(o);
    }
    StringBuilder x = new StringBuilder(encrypt.length() + 200).append("<xml>");
    TransferReply.cdata(x, "Encrypt", encrypt);
    TransferReply.cdata(x, "MsgSignature", msgSignature);
    x.append("<TimeStamp>").append(timeStamp).append("</TimeStamp>");
    TransferReply.cdata(x, "Nonce", nonce);
    return x.append("</xml>").toString();
  }
}
