package kefu.protocol.push;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The decisions of {@link DeveloperReply#parse} (spec §6.4, §6.5, §7); the documents themselves are read by
 * {@link ReplyDocument}.
 */
final class ReplyCodec {
  static final String TRANSFER = "transfer_customer_service";

  private ReplyCodec() {}

  static DeveloperReply parse(byte[] body, PushSettings settings, String appid, boolean forEvent) {
    if (body == null || body.length == 0) {
      return new DeveloperReply.Success();
    }
    if (body.length > DeveloperReply.MAX_BYTES) {
      return abnormal("the reply is " + body.length + " bytes, more than the " + DeveloperReply.MAX_BYTES
          + " allowed");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return abnormal("the reply is not UTF-8");
    }
    text = (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
    if (isSuccess(text)) {
      return new DeveloperReply.Success();
    }
    ReplyDocument.Read read = ReplyDocument.read(text);
    if (read instanceof ReplyDocument.Read.Bad bad) {
      return abnormal(bad.reason());
    }
    ReplyDocument.Read.Fields fields = (ReplyDocument.Read.Fields) read;
    boolean encrypted = fields.get("Encrypt") != null;
    if (encrypted) {
      if (settings.mode() == PushMode.PLAIN) {
        return abnormal("the reply is encrypted but the push mode is plain");
      }
      Opening opening = open(fields, settings, appid);
      if (opening.outcome() != null) {
        return opening.outcome();
      }
      fields = opening.inner();
    }
    String msgType = fields.get("MsgType");
    if (msgType == null || msgType.isEmpty()) {
      return abnormal("the reply is not \"success\", empty or a " + TRANSFER + " message: it has no MsgType");
    }
    if (!msgType.equals(TRANSFER)) {
      return abnormal("mini programs accept no passive reply but " + TRANSFER + ": got MsgType "
          + (msgType.length() > 40 ? ReplyDocument.preview(msgType) : msgType));
    }
    if (forEvent) {
      return abnormal(TRANSFER + " is only allowed in reply to a user message");
    }
    if (settings.mode() == PushMode.SECURE && !encrypted) {
      return abnormal("in secure mode a " + TRANSFER + " reply must be encrypted");
    }
    String kfAccount = fields.get("TransInfo/KfAccount");
    return new DeveloperReply.Transfer(kfAccount == null || kfAccount.isEmpty() ? null : kfAccount);
  }

  private static DeveloperReply abnormal(String reason) {
    return new DeveloperReply.Abnormal(reason);
  }

  private static boolean isSuccess(String stripped) {
    return stripped.isEmpty() || stripped.equals("success");
  }

  /** Either the inner fields of an encrypted envelope, or the reply's outcome (abnormal, or an encrypted success). */
  private record Opening(ReplyDocument.Read.Fields inner, DeveloperReply outcome) {}

  private static Opening open(ReplyDocument.Read.Fields envelope, PushSettings settings, String appid) {
    for (String name : new String[] {"MsgSignature", "TimeStamp", "Nonce"}) {
      if (envelope.get(name) == null) {
        return new Opening(null, abnormal("the encrypted reply has Encrypt but no " + name));
      }
    }
    Optional<String> keyProblem = PushCipher.checkKey(settings.encodingAesKey());
    if (keyProblem.isPresent()) {
      return new Opening(null, abnormal("cannot open the encrypted reply: " + keyProblem.get()));
    }
    String encrypt = envelope.get("Encrypt");
    String expected = Signatures.msgSignature(settings.token(), envelope.get("TimeStamp"), envelope.get("Nonce"),
        encrypt);
    String got = envelope.get("MsgSignature");
    if (!expected.equals(got)) {
      return new Opening(null, abnormal("MsgSignature mismatch: expected " + expected + ", got " + got));
    }
    PushCipher.Opened opened = new PushCipher(settings.encodingAesKey(), appid).decrypt(encrypt);
    if (opened instanceof PushCipher.Opened.Failed failed) {
      return new Opening(null, abnormal(failed.reason()));
    }
    String inner = ((PushCipher.Opened.Ok) opened).message().strip();
    if (isSuccess(inner)) {
      return new Opening(null, new DeveloperReply.Success());
    }
    ReplyDocument.Read read = ReplyDocument.read(inner);
    if (read instanceof ReplyDocument.Read.Bad bad) {
      return new Opening(null, abnormal("in the decrypted reply: " + bad.reason()));
    }
    return new Opening((ReplyDocument.Read.Fields) read, null);
  }
}
