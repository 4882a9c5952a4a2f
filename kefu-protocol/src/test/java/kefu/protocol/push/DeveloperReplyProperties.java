package kefu.protocol.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link DeveloperReply#parse} never throws, and reads any transfer a WxJava developer sends (spec §6.4, §7). */
class DeveloperReplyProperties {
  private static final PushSettings SECURE =
      new PushSettings("https://dev.example/push", DOC_TOKEN, DOC_KEY, PushFormat.XML, PushMode.SECURE, true);

  @Property(tries = 500)
  void any_bytes_in_any_mode_give_a_reply_and_never_throw(
      @ForAll("noise") byte[] body, @ForAll PushMode mode, @ForAll boolean forEvent) {
    var settings = new PushSettings("https://dev.example/push", DOC_TOKEN, DOC_KEY, PushFormat.JSON, mode, true);

    assertThat(DeveloperReply.parse(body, settings, DOC_APPID, forEvent)).isNotNull();
  }

  @Property(tries = 200)
  void a_transfer_encrypted_by_wxjava_names_its_agent(@ForAll("agents") String agent) {
    String inner = "<xml><ToUserName><![CDATA[o1]]></ToUserName><FromUserName><![CDATA[gh_1]]></FromUserName>"
        + "<CreateTime>1</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType>"
        + "<TransInfo><KfAccount><![CDATA[" + agent + "]]></KfAccount></TransInfo></xml>";
    String envelope = new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID).encrypt(inner);

    assertThat(DeveloperReply.parse(envelope.getBytes(UTF_8), SECURE, DOC_APPID, false))
        .isEqualTo(new DeveloperReply.Transfer(agent));
  }

  @Property(tries = 200)
  void any_other_msg_signature_is_a_mismatch(@ForAll("hex40") String forged) {
    var context = new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID)
        .encryptContext("<xml><MsgType>transfer_customer_service</MsgType></xml>");
    String body = "{\"Encrypt\":\"" + context.getEncrypt() + "\",\"MsgSignature\":\"" + forged + "\",\"TimeStamp\":"
        + context.getTimeStamp() + ",\"Nonce\":\"" + context.getNonce() + "\"}";
    Assume.that(!forged.equals(context.getSignature()));

    assertThat(DeveloperReply.parse(body.getBytes(UTF_8), SECURE, DOC_APPID, false)).isEqualTo(
        new DeveloperReply.Abnormal("MsgSignature mismatch: expected " + context.getSignature() + ", got " + forged));
  }

  @Provide
  Arbitrary<String> agents() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_").ofMinLength(1).ofMaxLength(16)
        .map(name -> name + "@gh_97417a04a28d");
  }

  @Provide
  Arbitrary<String> hex40() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(40);
  }

  /** Random bytes, random text, and valid replies with a few bytes overwritten. */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(128);
    Arbitrary<byte[]> text = PushArbitraries.unicode().map(s -> s.getBytes(UTF_8));
    Arbitrary<byte[]> damaged = Arbitraries.of(
            "<xml><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>",
            "{\"MsgType\":\"transfer_customer_service\",\"TransInfo\":{\"KfAccount\":\"a@b\"}}",
            new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID).encrypt("<xml><MsgType>transfer_customer_service</MsgType></xml>"),
            "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", "success")
        .flatMap(valid -> Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(3).flatMap(at ->
            Arbitraries.bytes().list().ofSize(3).map(values -> {
              byte[] body = valid.getBytes(UTF_8);
              for (int i = 0; i < at.size(); i++) {
                body[at.get(i) % body.length] = values.get(i);
              }
              return body;
            })));
    return Arbitraries.oneOf(random, text, damaged);
  }
}
