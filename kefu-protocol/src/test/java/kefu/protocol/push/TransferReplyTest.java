package kefu.protocol.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The developer's transfer reply and the encrypted reply envelope (spec §6.4, §7, §10.1). */
class TransferReplyTest {
  private static final PushCipher CIPHER = new PushCipher(DOC_KEY, DOC_APPID);

  private static PushSettings settings(PushFormat format, PushMode mode) {
    return new PushSettings("https://dev.example/wx", DOC_TOKEN, DOC_KEY, format, mode, true);
  }

  @Test
  void the_xml_reply_has_the_shape_of_spec_section_7() {
    assertThat(new TransferReply("touser", "fromuser", 1399197672L, null).render(PushFormat.XML)).isEqualTo(
        "<xml><ToUserName><![CDATA[touser]]></ToUserName><FromUserName><![CDATA[fromuser]]></FromUserName>"
            + "<CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>");
  }

  @Test
  void the_json_reply_has_the_same_fields_and_a_nested_trans_info() {
    assertThat(new TransferReply("touser", "fromuser", 1399197672L, "kf1@test").render(PushFormat.JSON)).isEqualTo(
        "{\"ToUserName\":\"touser\",\"FromUserName\":\"fromuser\",\"CreateTime\":1399197672,"
            + "\"MsgType\":\"transfer_customer_service\",\"TransInfo\":{\"KfAccount\":\"kf1@test\"}}");
  }

  @Test
  void a_reply_to_a_push_swaps_the_sender_and_the_addressee() {
    PushEvent push = new PushEvent.Text("gh_97417a04a28d", "o-alice", 1, "hi", 7);
    assertThat(TransferReply.to(push, 99, null)).isEqualTo(new TransferReply("o-alice", "gh_97417a04a28d", 99, null));
  }

  @ParameterizedTest
  @EnumSource(PushFormat.class)
  void kefu_reads_the_plain_reply_in_plain_and_compatible_mode(PushFormat format) {
    for (String account : new String[] {null, "kf1@test", "a]]>b"}) {
      byte[] body = new TransferReply("o-alice", "gh_1", 1, account).render(format).getBytes(UTF_8);
      for (PushMode mode : new PushMode[] {PushMode.PLAIN, PushMode.COMPAT}) {
        assertThat(DeveloperReply.parse(body, settings(format, mode), DOC_APPID, false))
            .isEqualTo(new DeveloperReply.Transfer(account));
      }
    }
  }

  @Test
  void the_encrypted_reply_of_the_push_doc_is_reproduced() {
    EncryptedReply reply = EncryptedReply.seal(PushVectors.DOC_REPLY_MSG, CIPHER, DOC_TOKEN, 1713424427L,
        "415670741", PushVectors.DOC_REPLY_RANDOM);

    assertThat(reply.encrypt()).isEqualTo(PushVectors.DOC_REPLY_ENCRYPT);
    assertThat(reply.msgSignature()).isEqualTo("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1");
    assertThat(reply.render(PushFormat.JSON)).isEqualTo("{\"Encrypt\":\"" + PushVectors.DOC_REPLY_ENCRYPT
        + "\",\"MsgSignature\":\"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1\",\"TimeStamp\":1713424427,"
        + "\"Nonce\":\"415670741\"}");
  }

  @ParameterizedTest
  @EnumSource(PushFormat.class)
  void kefu_reads_the_sealed_transfer_in_secure_and_compatible_mode(PushFormat format) {
    String plain = new TransferReply("o-alice", "gh_1", 1714112445L, "kf1@test").render(format);
    byte[] body = EncryptedReply.seal(plain, CIPHER, DOC_TOKEN, 1714112446L, "12345", "0123456789abcdef")
        .render(format).getBytes(UTF_8);
    for (PushMode mode : new PushMode[] {PushMode.SECURE, PushMode.COMPAT}) {
      assertThat(DeveloperReply.parse(body, settings(format, mode), DOC_APPID, false))
          .isEqualTo(new DeveloperReply.Transfer("kf1@test"));
    }
  }

  @Test
  void wxjava_verifies_and_opens_the_xml_envelope() {
    String plain = new TransferReply("o-alice", "gh_1", 1714112445L, null).render(PushFormat.XML);
    EncryptedReply reply = EncryptedReply.seal(plain, CIPHER, DOC_TOKEN, 1714112446L, "415670741",
        "0123456789abcdef");

    String opened = new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID).decryptXml(reply.msgSignature(),
        String.valueOf(reply.timeStamp()), reply.nonce(), reply.render(PushFormat.XML));
    assertThat(opened).isEqualTo(plain);
  }
}
