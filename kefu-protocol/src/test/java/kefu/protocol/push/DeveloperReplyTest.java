package kefu.protocol.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the developer's server answers to a push (spec §6.4, §6.5, §7). */
class DeveloperReplyTest {
  private static final PushSettings PLAIN = settings(PushMode.PLAIN);
  private static final PushSettings COMPAT = settings(PushMode.COMPAT);
  private static final PushSettings SECURE = settings(PushMode.SECURE);

  /** The transfer reply of spec §7, verbatim. */
  private static final String TRANSFER_XML = "<xml><ToUserName><![CDATA[touser]]></ToUserName><FromUserName><![CDATA["
      + "fromuser]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]>"
      + "</MsgType></xml>";
  private static final String TRANSFER_JSON = "{\"ToUserName\":\"touser\",\"FromUserName\":\"fromuser\","
      + "\"CreateTime\":1399197672,\"MsgType\":\"transfer_customer_service\"}";
  private static final String TEXT_REPLY = "<xml><ToUserName><![CDATA[touser]]></ToUserName><FromUserName><![CDATA["
      + "fromuser]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      + "<Content><![CDATA[hi]]></Content></xml>";

  private static PushSettings settings(PushMode mode) {
    return new PushSettings("https://dev.example/push", DOC_TOKEN, DOC_KEY, PushFormat.JSON, mode, true);
  }

  private static DeveloperReply parse(String body, PushSettings settings) {
    return DeveloperReply.parse(body.getBytes(UTF_8), settings, DOC_APPID, false);
  }

  private static String reason(DeveloperReply reply) {
    assertThat(reply).isInstanceOf(DeveloperReply.Abnormal.class);
    return ((DeveloperReply.Abnormal) reply).reason();
  }

  // --- success

  @ParameterizedTest
  @ValueSource(strings = {"success", "success\n", " \r\n success \t", "", " ", "\n\n", "\uFEFFsuccess"})
  void success_or_an_empty_body_is_success_in_every_mode(String body) {
    for (PushSettings s : new PushSettings[] {PLAIN, COMPAT, SECURE}) {
      assertThat(parse(body, s)).isEqualTo(new DeveloperReply.Success());
      assertThat(DeveloperReply.parse(body.getBytes(UTF_8), s, DOC_APPID, true))
          .isEqualTo(new DeveloperReply.Success());
    }
  }

  @Test
  void a_null_body_is_an_empty_one() {
    assertThat(DeveloperReply.parse(null, SECURE, DOC_APPID, false)).isEqualTo(new DeveloperReply.Success());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SUCCESS", "Success", "success!", "ok", "hello", "\"success\"", "[1]"})
  void other_words_are_abnormal(String body) {
    assertThat(reason(parse(body, PLAIN))).contains("neither \"success\", empty, XML nor JSON");
  }

  // --- plain transfers

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"PLAIN", "COMPAT"})
  void the_spec_s_transfer_xml_is_a_transfer_without_an_agent(PushMode mode) {
    assertThat(parse(TRANSFER_XML, settings(mode))).isEqualTo(new DeveloperReply.Transfer(null));
  }

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"PLAIN", "COMPAT"})
  void the_same_fields_as_json_are_a_transfer(PushMode mode) {
    assertThat(parse(TRANSFER_JSON, settings(mode))).isEqualTo(new DeveloperReply.Transfer(null));
  }

  @Test
  void indented_xml_with_surrounding_whitespace_is_a_transfer() {
    String pretty = "\n  <xml>\n  <ToUserName><![CDATA[touser]]></ToUserName>\n  <MsgType>\n"
        + "    <![CDATA[transfer_customer_service]]>\n  </MsgType>\n</xml>\n";
    assertThat(parse(pretty, PLAIN)).isEqualTo(new DeveloperReply.Transfer(null));
  }

  @Test
  void trans_info_kf_account_names_the_agent_in_xml_and_json() {
    String xml = TRANSFER_XML.replace("</xml>",
        "<TransInfo><KfAccount><![CDATA[test1@test]]></KfAccount></TransInfo></xml>");
    String json = TRANSFER_JSON.replace("}", ",\"TransInfo\":{\"KfAccount\":\"test1@test\"}}");

    assertThat(parse(xml, PLAIN)).isEqualTo(new DeveloperReply.Transfer("test1@test"));
    assertThat(parse(json, PLAIN)).isEqualTo(new DeveloperReply.Transfer("test1@test"));
  }

  @Test
  void an_empty_kf_account_names_no_agent() {
    String xml = TRANSFER_XML.replace("</xml>", "<TransInfo><KfAccount></KfAccount></TransInfo></xml>");
    assertThat(parse(xml, PLAIN)).isEqualTo(new DeveloperReply.Transfer(null));
  }

  @Test
  void a_plain_transfer_in_secure_mode_is_abnormal() {
    assertThat(reason(parse(TRANSFER_XML, SECURE))).isEqualTo(
        "in secure mode a transfer_customer_service reply must be encrypted");
    assertThat(reason(parse(TRANSFER_JSON, SECURE))).isEqualTo(
        "in secure mode a transfer_customer_service reply must be encrypted");
  }

  @Test
  void a_transfer_in_reply_to_an_event_is_abnormal() {
    assertThat(reason(DeveloperReply.parse(TRANSFER_XML.getBytes(UTF_8), PLAIN, DOC_APPID, true)))
        .isEqualTo("transfer_customer_service is only allowed in reply to a user message");
    assertThat(reason(DeveloperReply.parse(encryptedXml(TRANSFER_XML, DOC_APPID).getBytes(UTF_8), SECURE, DOC_APPID,
        true))).isEqualTo("transfer_customer_service is only allowed in reply to a user message");
  }

  // --- passive replies

  @Test
  void a_passive_text_reply_is_abnormal() {
    assertThat(reason(parse(TEXT_REPLY, PLAIN)))
        .isEqualTo("mini programs accept no passive reply but transfer_customer_service: got MsgType text");
    assertThat(reason(parse("{\"MsgType\":\"text\",\"Content\":\"hi\"}", PLAIN)))
        .startsWith("mini programs accept no passive reply but transfer_customer_service");
  }

  @Test
  void a_document_without_msg_type_is_abnormal() {
    assertThat(reason(parse("<xml><Content>hi</Content></xml>", PLAIN))).contains("no MsgType");
    assertThat(reason(parse("{}", PLAIN))).contains("no MsgType");
  }

  // --- encrypted transfers

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"SECURE", "COMPAT"})
  void an_encrypted_xml_transfer_is_a_transfer(PushMode mode) {
    assertThat(parse(encryptedXml(TRANSFER_XML, DOC_APPID), settings(mode))).isEqualTo(
        new DeveloperReply.Transfer(null));
  }

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"SECURE", "COMPAT"})
  void an_encrypted_json_transfer_is_a_transfer(PushMode mode) {
    assertThat(parse(encryptedJson(TRANSFER_JSON, DOC_APPID, "1713424427", "415670741"), settings(mode)))
        .isEqualTo(new DeveloperReply.Transfer(null));
  }

  @Test
  void an_encrypted_json_envelope_may_carry_an_xml_transfer_with_an_agent() {
    String inner = TRANSFER_XML.replace("</xml>", "<TransInfo><KfAccount>kf2001@gh</KfAccount></TransInfo></xml>");
    assertThat(parse(encryptedJson(inner, DOC_APPID, "1", "n"), SECURE))
        .isEqualTo(new DeveloperReply.Transfer("kf2001@gh"));
  }

  @Test
  void a_transfer_encrypted_by_wxjava_is_a_transfer() {
    String envelope = new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID).encrypt(TRANSFER_XML);

    assertThat(parse(envelope, SECURE)).isEqualTo(new DeveloperReply.Transfer(null));
  }

  @Test
  void the_push_doc_s_encrypted_reply_verifies_and_decrypts_but_is_no_transfer() {
    String body = "{\"Encrypt\":\"" + PushVectors.DOC_REPLY_ENCRYPT + "\",\"MsgSignature\":"
        + "\"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1\",\"TimeStamp\":1713424427,\"Nonce\":\"415670741\"}";

    assertThat(reason(parse(body, SECURE))).contains("no MsgType").doesNotContain("MsgSignature");
  }

  @Test
  void an_encrypted_success_is_success() {
    assertThat(parse(encryptedJson("success", DOC_APPID, "1", "n"), SECURE)).isEqualTo(new DeveloperReply.Success());
  }

  @Test
  void a_bad_msg_signature_is_abnormal_and_says_what_was_expected() {
    String body = encryptedXml(TRANSFER_XML, DOC_APPID).replace("<MsgSignature><![CDATA[",
        "<MsgSignature><![CDATA[12345").replaceAll("12345[0-9a-f]{40}", "12345");
    String encrypt = body.replaceAll("(?s).*<Encrypt><!\\[CDATA\\[([^\\]]*)]]>.*", "$1");
    String expected = Signatures.msgSignature(DOC_TOKEN, "1713424427", "415670741", encrypt);

    assertThat(reason(parse(body, SECURE))).isEqualTo("MsgSignature mismatch: expected " + expected + ", got 12345");
  }

  @Test
  void a_signature_over_other_timestamp_or_nonce_is_abnormal() {
    String body = encryptedJson(TRANSFER_JSON, DOC_APPID, "1713424427", "415670741")
        .replace("\"Nonce\":\"415670741\"", "\"Nonce\":\"415670742\"");
    assertThat(reason(parse(body, SECURE))).startsWith("MsgSignature mismatch: expected ");
  }

  @Test
  void a_reply_encrypted_for_another_appid_is_abnormal() {
    assertThat(reason(parse(encryptedXml(TRANSFER_XML, "wxOTHER0000000000"), SECURE)))
        .isEqualTo("appid mismatch: got wxOTHER0000000000");
  }

  @Test
  void an_undecryptable_encrypt_is_abnormal_with_the_cipher_s_reason() {
    String encrypt = "not base64!";
    String body = "{\"Encrypt\":\"" + encrypt + "\",\"MsgSignature\":\""
        + Signatures.msgSignature(DOC_TOKEN, "1", "n", encrypt) + "\",\"TimeStamp\":1,\"Nonce\":\"n\"}";
    assertThat(reason(parse(body, SECURE))).isEqualTo("not base64");
  }

  @Test
  void an_envelope_missing_a_field_is_abnormal() {
    assertThat(reason(parse("{\"Encrypt\":\"abc\",\"TimeStamp\":1,\"Nonce\":\"n\"}", SECURE)))
        .contains("no MsgSignature");
  }

  @Test
  void an_encrypted_reply_in_plain_mode_is_abnormal() {
    assertThat(reason(parse(encryptedXml(TRANSFER_XML, DOC_APPID), PLAIN))).contains("plain");
  }

  @Test
  void an_encrypted_reply_without_a_usable_key_is_abnormal() {
    var keyless = new PushSettings("https://dev.example/push", DOC_TOKEN, null, PushFormat.XML, PushMode.SECURE, true);
    assertThat(reason(parse(encryptedXml(TRANSFER_XML, DOC_APPID), keyless))).contains("EncodingAESKey");
  }

  @Test
  void garbage_inside_the_envelope_is_abnormal() {
    assertThat(reason(parse(encryptedJson("{oops", DOC_APPID, "1", "n"), SECURE)))
        .startsWith("in the decrypted reply: malformed JSON");
  }

  // --- garbage and limits

  @ParameterizedTest
  @ValueSource(strings = {"<xml>", "<xml><MsgType>transfer_customer_service</xml>", "<xml></xml><xml></xml>",
      "<xml>&undefined;</xml>", "{", "{\"MsgType\":}", "{\"MsgType\":\"a\",\"MsgType\":\"b\"}",
      "<<<<", "{}}"})
  void malformed_xml_or_json_is_abnormal(String body) {
    assertThat(reason(parse(body, COMPAT))).startsWith("malformed");
  }

  @Test
  void bytes_that_are_not_utf8_are_abnormal() {
    assertThat(reason(DeveloperReply.parse(new byte[] {'<', (byte) 0xC3, (byte) 0x28}, PLAIN, DOC_APPID, false)))
        .isEqualTo("the reply is not UTF-8");
  }

  @Test
  void a_reply_over_64_kib_is_abnormal_even_if_it_is_mostly_whitespace() {
    byte[] body = new byte[DeveloperReply.MAX_BYTES + 1];
    Arrays.fill(body, (byte) ' ');
    System.arraycopy("success".getBytes(UTF_8), 0, body, 0, 7);

    assertThat(reason(DeveloperReply.parse(body, PLAIN, DOC_APPID, false))).contains("65537 bytes");
  }

  @Test
  void a_reply_of_exactly_64_kib_is_read() {
    byte[] body = new byte[DeveloperReply.MAX_BYTES];
    Arrays.fill(body, (byte) ' ');
    System.arraycopy("success".getBytes(UTF_8), 0, body, 0, 7);

    assertThat(DeveloperReply.parse(body, PLAIN, DOC_APPID, false)).isEqualTo(new DeveloperReply.Success());
  }

  // --- hostile XML

  @ParameterizedTest
  @ValueSource(strings = {
      "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
          + "<xml><MsgType>transfer_customer_service</MsgType><Content>&xxe;</Content></xml>",
      "<!DOCTYPE xml SYSTEM \"file:///etc/passwd\"><xml><MsgType>transfer_customer_service</MsgType></xml>",
      "<!-- c --><!doctype xml SYSTEM \"http://127.0.0.1:1/x.dtd\"><xml/>",
      "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><xml/>"})
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void a_doctype_makes_the_reply_abnormal_and_reads_no_file(String body) {
    String reason = reason(parse(body, PLAIN));

    assertThat(reason).contains("DOCTYPE").doesNotContain("root:");
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void billion_laughs_is_abnormal_and_fast() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    b.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
    for (int i = 2; i <= 9; i++) {
      b.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        b.append("&lol").append(i - 1).append(';');
      }
      b.append("\">");
    }
    b.append("]><xml><MsgType>transfer_customer_service</MsgType><Content>&lol9;</Content></xml>");

    assertThat(reason(parse(b.toString(), PLAIN))).contains("DOCTYPE");
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.SECONDS)
  void deeply_nested_xml_is_abnormal() {
    String body = "<a>".repeat(5000) + "</a>".repeat(5000);
    assertThat(reason(parse(body, PLAIN))).startsWith("malformed XML");
  }

  // --- building encrypted replies the way a developer's SDK does

  private static String encryptedXml(String inner, String appid) {
    String encrypt = new PushCipher(DOC_KEY, appid).encrypt(inner, "0123456789abcdef");
    String signature = Signatures.msgSignature(DOC_TOKEN, "1713424427", "415670741", encrypt);
    return "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt><MsgSignature><![CDATA[" + signature
        + "]]></MsgSignature><TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>";
  }

  private static String encryptedJson(String inner, String appid, String timestamp, String nonce) {
    String encrypt = new PushCipher(DOC_KEY, appid).encrypt(inner, "fedcba9876543210");
    String signature = Signatures.msgSignature(DOC_TOKEN, timestamp, nonce, encrypt);
    return "{\"Encrypt\":\"" + encrypt + "\",\"MsgSignature\":\"" + signature + "\",\"TimeStamp\":" + timestamp
        + ",\"Nonce\":\"" + nonce + "\"}";
  }
}
