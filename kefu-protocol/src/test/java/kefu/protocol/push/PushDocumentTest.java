package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a push the way the developer's server receives it (spec §6.3, §6.4, §10.1, §10.5). */
class PushDocumentTest {
  /** The RECV reference text push, indented as in the doc. */
  private static final String RECV_TEXT = "<xml>\n  <ToUserName><![CDATA[toUser]]></ToUserName>\n"
      + "  <FromUserName><![CDATA[fromUser]]></FromUserName>\n  <CreateTime>1482048670</CreateTime>\n"
      + "  <MsgType><![CDATA[text]]></MsgType>\n  <Content><![CDATA[this is a test]]></Content>\n"
      + "  <MsgId>1234567890123456</MsgId>\n</xml>\n";

  private static PushDocument.Read.Fields fields(String body) {
    PushDocument.Read read = PushDocument.read(body);
    assertThat(read).isInstanceOf(PushDocument.Read.Fields.class);
    return (PushDocument.Read.Fields) read;
  }

  private static PushDocument.Typed typed(String body) {
    return PushDocument.event(fields(body).values());
  }

  private static String bad(PushDocument.Read read) {
    assertThat(read).isInstanceOf(PushDocument.Read.Bad.class);
    return ((PushDocument.Read.Bad) read).reason();
  }

  @Test
  void the_recv_reference_text_push_reads_as_a_text_message() {
    assertThat(fields(RECV_TEXT).format()).isEqualTo(PushFormat.XML);
    assertThat(typed(RECV_TEXT)).isEqualTo(new PushDocument.Typed.Known(
        new PushEvent.Text("toUser", "fromUser", 1482048670L, "this is a test", 1234567890123456L)));
  }

  @Test
  void the_computed_secure_xml_vector_decrypts_to_a_text_message() {
    PushCipher.Opened opened = new PushCipher(PushVectors.DOC_KEY, PushVectors.DOC_APPID)
        .decrypt(PushVectors.COMPUTED_ENCRYPT);
    String msg = ((PushCipher.Opened.Ok) opened).message();

    assertThat(typed(msg)).isEqualTo(new PushDocument.Typed.Known(PushVectors.COMPUTED_EVENT));
  }

  @Test
  void the_docs_debug_demo_event_is_unknown_not_malformed() {
    assertThat(fields(PushVectors.DOC_PUSH_MSG).format()).isEqualTo(PushFormat.JSON);
    assertThat(fields(PushVectors.DOC_PUSH_MSG).get("debug_str")).contains("hello world");
    assertThat(typed(PushVectors.DOC_PUSH_MSG)).isEqualTo(new PushDocument.Typed.Unknown("event", "debug_demo"));
  }

  @Test
  void a_message_type_kefu_does_not_model_is_unknown() {
    String voice = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
        + "<CreateTime>1</CreateTime><MsgType><![CDATA[voice]]></MsgType><MsgId>5</MsgId></xml>";
    assertThat(typed(voice)).isEqualTo(new PushDocument.Typed.Unknown("voice", null));
  }

  @Test
  void the_secure_envelope_is_just_fields() {
    String envelope = "{\"ToUserName\":\"gh_97417a04a28d\",\"Encrypt\":\"" + PushVectors.DOC_PUSH_ENCRYPT + "\"}";
    assertThat(fields(envelope).values()).containsOnlyKeys("ToUserName", "Encrypt");
    assertThat(PushDocument.event(fields(envelope).values())).isInstanceOf(PushDocument.Typed.Bad.class);
  }

  @Test
  void text_keeps_its_spaces_and_cdata_sections_and_character_references_are_joined() {
    String xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime> 7 </CreateTime>"
        + "<MsgType>text</MsgType><Content><![CDATA[  a]]]]><![CDATA[>b]]>&#13;<![CDATA[c  ]]></Content>"
        + "<MsgId>9</MsgId></xml>";
    assertThat(typed(xml)).isEqualTo(new PushDocument.Typed.Known(
        new PushEvent.Text("gh_1", "o1", 7, "  a]]>b\rc  ", 9)));
  }

  @Test
  void create_time_and_msg_id_may_be_strings_of_digits_in_json() {
    String json = "{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o1\",\"CreateTime\":\"1714112445\",\"MsgType\":\"text\","
        + "\"Content\":\"hi\",\"MsgId\":\"24602000000000001\"}";
    assertThat(typed(json)).isEqualTo(new PushDocument.Typed.Known(
        new PushEvent.Text("gh_1", "o1", 1714112445L, "hi", 24602000000000001L)));
  }

  @Test
  void a_card_may_have_empty_or_absent_thumbnails() {
    String json = "{\"ToUserName\":\"gh_1\",\"FromUserName\":\"o1\",\"CreateTime\":1,\"MsgType\":\"miniprogrampage\","
        + "\"MsgId\":3,\"Title\":\"t\",\"AppId\":\"wx1\",\"PagePath\":\"pages/a\",\"ThumbUrl\":\"\"}";
    assertThat(typed(json)).isEqualTo(new PushDocument.Typed.Known(
        new PushEvent.MiniProgramPage("gh_1", "o1", 1, "t", "wx1", "pages/a", "", "", 3)));
  }

  @Test
  void missing_or_broken_fields_are_named() {
    PushDocument.Typed noTime = PushDocument.event(Map.of("ToUserName", "a", "FromUserName", "b", "MsgType", "text"));
    assertThat(((PushDocument.Typed.Bad) noTime).reason()).contains("CreateTime");
    PushDocument.Typed noId = PushDocument.event(Map.of("ToUserName", "a", "FromUserName", "b", "CreateTime", "1",
        "MsgType", "text", "Content", "x"));
    assertThat(((PushDocument.Typed.Bad) noId).reason()).contains("MsgId");
    PushDocument.Typed badId = PushDocument.event(Map.of("ToUserName", "a", "FromUserName", "b", "CreateTime", "1",
        "MsgType", "text", "Content", "x", "MsgId", "99999999999999999999"));
    assertThat(((PushDocument.Typed.Bad) badId).reason()).contains("MsgId");
    PushDocument.Typed badTime = PushDocument.event(Map.of("ToUserName", "a", "FromUserName", "b",
        "CreateTime", "1.5", "MsgType", "event"));
    assertThat(((PushDocument.Typed.Bad) badTime).reason()).contains("CreateTime");
  }

  @Test
  void a_doctype_is_refused_before_parsing() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<xml><Content>&x;</Content></xml>";
    assertThat(bad(PushDocument.read(xxe))).contains("DOCTYPE");
  }

  @Test
  void repeated_names_are_malformed_in_both_formats() {
    assertThat(bad(PushDocument.read("<xml><MsgType>text</MsgType><MsgType>event</MsgType></xml>")))
        .contains("MsgType");
    assertThat(bad(PushDocument.read("{\"MsgType\":\"text\",\"MsgType\":\"event\"}"))).contains("MsgType");
  }

  @Test
  void the_format_is_sniffed_and_can_be_required() {
    assertThat(fields("\uFEFF \n{\"a\":1}").format()).isEqualTo(PushFormat.JSON);
    assertThat(bad(PushDocument.read("<xml></xml>", PushFormat.JSON))).contains("expected json");
    assertThat(bad(PushDocument.read("success"))).contains("neither XML nor JSON");
    assertThat(bad(PushDocument.read("  "))).contains("empty");
    assertThat(bad(PushDocument.read(null))).contains("empty");
    assertThat(bad(PushDocument.read("<xml><a>"))).contains("malformed XML");
    assertThat(bad(PushDocument.read("[1]"))).contains("neither");
    assertThat(bad(PushDocument.read("{\"a\":"))).contains("malformed JSON");
  }
}
