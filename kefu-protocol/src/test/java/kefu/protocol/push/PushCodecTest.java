package kefu.protocol.push;

import static kefu.protocol.push.PushVectors.COMPUTED_ENCRYPT;
import static kefu.protocol.push.PushVectors.COMPUTED_EVENT;
import static kefu.protocol.push.PushVectors.COMPUTED_MSG;
import static kefu.protocol.push.PushVectors.COMPUTED_RANDOM;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cn.binarywang.wx.miniapp.bean.WxMaMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Push bodies and requests (spec §6.3, §6.4) and the vectors of §10.1 and §10.5. */
class PushCodecTest {
  private static final String GH = "gh_97417a04a28d";
  private static final String OPENID = "o9AgO5Kd5ggOC-bXrbNODIiE3bGY";
  private static final PushEvent ENTER = new PushEvent.UserEnteredSession(GH, OPENID, 1714112445L, "from-button");
  private static final PushEvent IMAGE =
      new PushEvent.Image(GH, OPENID, 1714112445L, "http://mmbiz.qpic.cn/x", "MEDIA", 22876340532172986L);
  private static final PushEvent CARD = new PushEvent.MiniProgramPage(GH, OPENID, 1714112445L, "Title", "wx1",
      "pages/index/index?a=1&b=2", "", "", 7L);

  private static PushSettings settings(PushFormat format, PushMode mode) {
    return new PushSettings("https://dev.example/push", DOC_TOKEN, mode == PushMode.PLAIN ? null : DOC_KEY, format,
        mode, true);
  }

  // --- plaintext

  @Test
  void an_xml_text_push_is_the_computed_vector_byte_for_byte() {
    assertThat(PushCodec.plaintext(COMPUTED_EVENT, PushFormat.XML)).isEqualTo(COMPUTED_MSG);
  }

  @Test
  void a_json_text_push_is_compact_with_numbers() {
    assertThat(PushCodec.plaintext(COMPUTED_EVENT, PushFormat.JSON)).isEqualTo(
        "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\","
            + "\"CreateTime\":1714112445,\"MsgType\":\"text\",\"Content\":\"hello\",\"MsgId\":24602000000000001}");
  }

  @Test
  void an_enter_event_has_event_and_session_from_and_no_msg_id() {
    assertThat(PushCodec.plaintext(ENTER, PushFormat.XML)).isEqualTo(
        "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA["
            + "o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA["
            + "event]]></MsgType><Event><![CDATA[user_enter_tempsession]]></Event><SessionFrom><![CDATA[from-button]]>"
            + "</SessionFrom></xml>");
    assertThat(PushCodec.plaintext(ENTER, PushFormat.JSON)).isEqualTo(
        "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\","
            + "\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"user_enter_tempsession\","
            + "\"SessionFrom\":\"from-button\"}");
  }

  @Test
  void an_image_push_has_pic_url_media_id_then_msg_id() {
    assertThat(PushCodec.plaintext(IMAGE, PushFormat.XML)).endsWith(
        "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl>"
            + "<MediaId><![CDATA[MEDIA]]></MediaId><MsgId>22876340532172986</MsgId></xml>");
  }

  @Test
  void a_card_push_has_msg_id_first_then_the_card_fields_with_empty_thumbs() {
    assertThat(PushCodec.plaintext(CARD, PushFormat.XML)).endsWith(
        "<MsgType><![CDATA[miniprogrampage]]></MsgType><MsgId>7</MsgId><Title><![CDATA[Title]]></Title>"
            + "<AppId><![CDATA[wx1]]></AppId><PagePath><![CDATA[pages/index/index?a=1&b=2]]></PagePath>"
            + "<ThumbUrl><![CDATA[]]></ThumbUrl><ThumbMediaId><![CDATA[]]></ThumbMediaId></xml>");
    assertThat(PushCodec.plaintext(CARD, PushFormat.JSON)).endsWith(
        "\"MsgType\":\"miniprogrampage\",\"MsgId\":7,\"Title\":\"Title\",\"AppId\":\"wx1\","
            + "\"PagePath\":\"pages/index/index?a=1&b=2\",\"ThumbUrl\":\"\",\"ThumbMediaId\":\"\"}");
  }

  @Test
  void a_cdata_terminator_in_a_value_is_split_across_two_sections() {
    var text = new PushEvent.Text(GH, OPENID, 1L, "a]]>b", 1L);

    String xml = PushCodec.plaintext(text, PushFormat.XML);

    assertThat(xml).contains("<Content><![CDATA[a]]]]><![CDATA[>b]]></Content>");
    assertThat(WxMaMessage.fromXml(xml).getContent()).isEqualTo("a]]>b");
  }

  @Test
  void a_carriage_return_survives_xml_as_a_character_reference() {
    var text = new PushEvent.Text(GH, OPENID, 1L, "a\r\nb", 1L);

    String xml = PushCodec.plaintext(text, PushFormat.XML);

    assertThat(xml).contains("<Content><![CDATA[a]]>&#13;<![CDATA[\nb]]></Content>");
    assertThat(WxMaMessage.fromXml(xml).getContent()).isEqualTo("a\r\nb");
  }

  @Test
  void characters_xml_cannot_carry_become_the_replacement_character() {
    var text = new PushEvent.Text(GH, OPENID, 1L, "a\u0000b\uFFFEc\uD800d😀", 1L);

    assertThat(WxMaMessage.fromXml(PushCodec.plaintext(text, PushFormat.XML)).getContent())
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd😀");
  }

  // --- storage form

  @Test
  void the_stored_form_is_the_json_plaintext_and_reads_back() {
    for (PushEvent event : new PushEvent[] {COMPUTED_EVENT, ENTER, IMAGE, CARD}) {
      assertThat(PushCodec.toJson(event)).isEqualTo(PushCodec.plaintext(event, PushFormat.JSON));
      assertThat(PushCodec.fromJson(PushCodec.toJson(event))).contains(event);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "[]", "{", "{}", "{\"ToUserName\":\"gh\"}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"voice\",\"MsgId\":1}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":\"1\",\"MsgType\":\"text\",\"Content\":\"x\",\"MsgId\":1}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",\"Content\":\"x\"}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",\"Content\":1,\"MsgId\":1}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1.5,\"MsgType\":\"text\",\"Content\":\"x\",\"MsgId\":1}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",\"Content\":\"x\","
          + "\"MsgId\":99999999999999999999}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"event\",\"Event\":\"subscribe\","
          + "\"SessionFrom\":\"\"}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"image\",\"PicUrl\":\"u\",\"MsgId\":1}",
      "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"miniprogrampage\",\"MsgId\":1}"})
  void anything_unrecognised_reads_as_nothing(String json) {
    assertThat(PushCodec.fromJson(json)).isEmpty();
  }

  @Test
  void a_null_stored_form_reads_as_nothing() {
    assertThat(PushCodec.fromJson(null)).isEqualTo(Optional.empty());
  }

  // --- requests

  @Test
  void a_plain_request_carries_signature_timestamp_and_nonce_and_the_plaintext() {
    PushRequest r = PushCodec.request(COMPUTED_EVENT, settings(PushFormat.JSON, PushMode.PLAIN), DOC_APPID,
        "1714037059", "486452656", COMPUTED_RANDOM);

    assertThat(r.query())
        .isEqualTo("signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656");
    assertThat(r.body()).isEqualTo(PushCodec.plaintext(COMPUTED_EVENT, PushFormat.JSON)).isEqualTo(r.plaintext());
    assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(r.canonical()).as("the Token hidden where it sorted").isEqualTo("1714037059486452656{token}");
    assertThat(r.signature()).isEqualTo("899cf89e464efb63f54ddac96b0a0a235f53aa78");
    assertThat(r.msgCanonical()).isNull();
    assertThat(r.msgSignature()).isNull();
    assertThat(r.encrypt()).isNull();
  }

  @Test
  void a_secure_xml_request_is_the_computed_vector() {
    PushRequest r = PushCodec.request(COMPUTED_EVENT, settings(PushFormat.XML, PushMode.SECURE), DOC_APPID,
        "1714112445", "415670741", COMPUTED_RANDOM);

    assertThat(r.encrypt()).isEqualTo(COMPUTED_ENCRYPT);
    assertThat(r.plaintext()).isEqualTo(COMPUTED_MSG);
    assertThat(r.query()).isEqualTo("signature=6c5c811b55cc85e0e1b54100749188c20beb3f5d&timestamp=1714112445"
        + "&nonce=415670741&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes"
        + "&msg_signature=777570ccf56f0b25c233d0b6061bdc83c8b7b277");
    assertThat(r.body()).isEqualTo("<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA["
        + COMPUTED_ENCRYPT + "]]></Encrypt></xml>");
    assertThat(r.contentType()).isEqualTo("text/xml; charset=utf-8");
    assertThat(r.msgCanonical()).isEqualTo(Signatures.canonical(DOC_TOKEN, "1714112445", "415670741", COMPUTED_ENCRYPT)
        .replace(DOC_TOKEN, Signatures.TOKEN_MASK)).doesNotContain(DOC_TOKEN);
    assertThat(r.msgSignature()).isEqualTo("777570ccf56f0b25c233d0b6061bdc83c8b7b277");
  }

  @Test
  void a_secure_json_request_sends_to_user_name_and_encrypt_only() {
    PushRequest r = PushCodec.request(COMPUTED_EVENT, settings(PushFormat.JSON, PushMode.SECURE), DOC_APPID,
        "1714112445", "415670741", COMPUTED_RANDOM);

    assertThat(r.body()).isEqualTo("{\"ToUserName\":\"gh_97417a04a28d\",\"Encrypt\":\"" + r.encrypt() + "\"}");
    assertThat(new PushCipher(DOC_KEY, DOC_APPID).decrypt(r.encrypt()))
        .isEqualTo(new PushCipher.Opened.Ok(PushCodec.plaintext(COMPUTED_EVENT, PushFormat.JSON), DOC_APPID));
  }

  @Test
  void a_compatible_request_sends_the_plaintext_with_encrypt_appended() {
    PushRequest xml = PushCodec.request(COMPUTED_EVENT, settings(PushFormat.XML, PushMode.COMPAT), DOC_APPID,
        "1714112445", "415670741", COMPUTED_RANDOM);
    PushRequest json = PushCodec.request(COMPUTED_EVENT, settings(PushFormat.JSON, PushMode.COMPAT), DOC_APPID,
        "1714112445", "415670741", COMPUTED_RANDOM);

    assertThat(xml.body()).isEqualTo(COMPUTED_MSG.replace("</xml>", "")
        + "<Encrypt><![CDATA[" + COMPUTED_ENCRYPT + "]]></Encrypt></xml>");
    assertThat(xml.query()).endsWith("&encrypt_type=aes&msg_signature=777570ccf56f0b25c233d0b6061bdc83c8b7b277");
    String plainJson = PushCodec.plaintext(COMPUTED_EVENT, PushFormat.JSON);
    assertThat(json.body()).isEqualTo(
        plainJson.substring(0, plainJson.length() - 1) + ",\"Encrypt\":\"" + json.encrypt() + "\"}");
  }

  @Test
  void query_values_are_percent_encoded() {
    var odd = new PushEvent.Text(GH, "o a+b&c=d/é", 1L, "x", 1L);

    PushRequest r = PushCodec.request(odd, settings(PushFormat.XML, PushMode.SECURE), DOC_APPID, "1", "n o",
        COMPUTED_RANDOM);

    assertThat(r.query()).contains("&nonce=n%20o&").contains("&openid=o%20a%2Bb%26c%3Dd%2F%C3%A9&");
    assertThat(r.signature()).isEqualTo(Signatures.signature(DOC_TOKEN, "1", "n o"));
  }

  @Test
  void an_encrypting_mode_without_a_usable_key_is_a_bug_of_the_caller() {
    var broken = new PushSettings("https://dev.example/push", DOC_TOKEN, null, PushFormat.XML, PushMode.SECURE, true);

    assertThatIllegalArgumentException().isThrownBy(
        () -> PushCodec.request(ENTER, broken, DOC_APPID, "1", "2", COMPUTED_RANDOM));
  }
}
