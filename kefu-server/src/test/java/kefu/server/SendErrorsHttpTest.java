package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every {@code custom/send} error of spec §3.3/§9, with its exact errmsg, and every message type accepted. */
class SendErrorsHttpTest {
  static final String RID = " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String token;
  String alice;

  @BeforeEach
  void start() {
    token = kefu.token();
    alice = kefu.newUser();
    kefu.says(alice, "hi");
  }

  TestKefu.Response send(String body) {
    return kefu.post("/cgi-bin/message/custom/send?access_token=" + token, body);
  }

  String uploadImage() {
    return MediaHttpTest.upload(kefu, token, MediaHttpTest.PNG).json().path("media_id").asText();
  }

  @Test
  void every_message_type_is_accepted() {
    String media = uploadImage();
    assertThat(send("{\"touser\":\"" + alice + "\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + media + "\"}}")
        .errcode()).isZero();
    assertThat(send("{\"touser\":\"" + alice + "\",\"msgtype\":\"link\",\"link\":{\"title\":\"Happy Day\","
        + "\"description\":\"Is Really A Happy Day\",\"url\":\"https://example.com\",\"thumb_url\":\"https://example.com/t.png\"}}")
        .errcode()).isZero();
    assertThat(send("{\"touser\":\"" + alice + "\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
        + "\"pagepath\":\"pages/index/index?foo=bar\",\"thumb_media_id\":\"" + media + "\"}}").errcode()).isZero();
    assertThat(send("{\"touser\":\"" + alice + "\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
        + "\"appid\":\"" + TestKefu.DEMO.appid() + "\",\"pagepath\":\"p\",\"thumb_media_id\":\"" + media + "\"}}")
        .errcode()).isZero();
    assertThat(kefu.conversation(alice)).extracting(m -> m.path("msgtype").asText())
        .containsExactly("text", "image", "link", "miniprogrampage", "miniprogrampage");
  }

  @Test
  void an_empty_body_gets_44002() {
    assertThat(send("").errmsg()).matches("empty post data" + RID);
  }

  @Test
  void malformed_bodies_get_47001() {
    for (String bad : new String[] {"{", "[]", "\"text\"", "touser=x&msgtype=text", "{\"touser\":1,\"msgtype\":\"text\"}",
        "{\"touser\":\"" + alice + "\",\"msgtype\":\"text\"}",
        "{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":5}}",
        "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}", "{\"a\":1} trailing"}) {
      TestKefu.Response r = send(bad);
      assertThat(r.errmsg()).as(bad).matches("data format error" + RID);
    }
  }

  @Test
  void an_unknown_openid_gets_40003() {
    TestKefu.Response r = kefu.sendText(token, "o_nobody_at_all_00000000000", "x");
    assertThat(r.errmsg()).matches("invalid openid" + RID);
  }

  @Test
  void another_apps_user_gets_40003() {
    kefu.put("/kefu/v1/apps/wxotherapp0000001", "{\"secret\":\"othersecret\"}");
    String bob = kefu.post("/kefu/v1/apps/wxotherapp0000001/users", "").json().path("openid").asText();
    assertThat(kefu.sendText(token, bob, "x").errcode()).isEqualTo(40003);
  }

  @Test
  void unknown_and_official_account_only_types_get_40008() {
    for (String type : new String[] {"news", "voice", "mpnews", "nonsense"}) {
      TestKefu.Response r = send("{\"touser\":\"" + alice + "\",\"msgtype\":\"" + type + "\",\"" + type + "\":{}}");
      assertThat(r.errmsg()).as(type).matches("invalid message type" + RID);
    }
  }

  @Test
  void empty_text_gets_44004() {
    assertThat(kefu.sendText(token, alice, "").errmsg()).matches("empty content" + RID);
  }

  @Test
  void text_over_2048_utf8_bytes_gets_45002() {
    assertThat(kefu.sendText(token, alice, "字".repeat(682) + "ab").errcode()).isZero(); // 2048 bytes
    assertThat(kefu.sendText(token, alice, "字".repeat(683)).errmsg()).matches("content size out of limit" + RID);
  }

  @Test
  void unknown_and_expired_media_get_40007() {
    String media = uploadImage();
    String image = "{\"touser\":\"" + alice + "\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"%s\"}}";
    assertThat(send(image.formatted("nope")).errmsg()).matches("invalid media_id" + RID);
    kefu.advance(Duration.ofDays(3));
    token = kefu.token();
    kefu.says(alice, "still here");
    assertThat(send(image.formatted(media)).errcode()).isEqualTo(40007);
    assertThat(send("{\"touser\":\"" + alice + "\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
        + "\"pagepath\":\"p\",\"thumb_media_id\":\"" + media + "\"}}").errcode()).isEqualTo(40007);
  }

  @Test
  void a_card_for_another_mini_program_gets_40013() {
    String media = uploadImage();
    TestKefu.Response r = send("{\"touser\":\"" + alice + "\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
        + "{\"title\":\"t\",\"appid\":\"wxsomeoneelse\",\"pagepath\":\"p\",\"thumb_media_id\":\"" + media + "\"}}");
    assertThat(r.errmsg()).matches("invalid appid" + RID);
  }

  @Test
  void an_app_without_the_permission_gets_48001() {
    kefu.put("/kefu/v1/apps/" + TestKefu.DEMO.appid(), "{\"customer_service\":false}");
    assertThat(kefu.sendText(token, alice, "x").errmsg()).matches("api unauthorized" + RID);
  }

  @Test
  void the_checks_run_in_order_token_then_permission_then_body_then_user() {
    String malformedForNobody = "{\"touser\":\"o_nobody_at_all_00000000000\",\"msgtype\":\"text\"}";
    assertThat(kefu.post("/cgi-bin/message/custom/send?access_token=not-a-token", malformedForNobody).errcode())
        .isEqualTo(40001);
    assertThat(send(malformedForNobody).errcode()).isEqualTo(47001);
    assertThat(kefu.sendText(token, "o_nobody_at_all_00000000000", "x").errcode()).isEqualTo(40003);
    kefu.put("/kefu/v1/apps/" + TestKefu.DEMO.appid(), "{\"customer_service\":false}");
    assertThat(send(malformedForNobody).errcode()).isEqualTo(48001);
  }

  @Test
  void get_on_send_gets_43002() {
    TestKefu.Response r = kefu.get("/cgi-bin/message/custom/send?access_token=" + token);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.errmsg()).matches("require POST method" + RID);
  }

  @Test
  void an_oversized_body_gets_47001_and_stores_nothing() {
    String huge = "{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":\""
        + "x".repeat(2 * 1024 * 1024) + "\"}}";
    assertThat(send(huge).errcode()).isEqualTo(47001);
    assertThat(kefu.conversation(alice)).hasSize(1);
  }
}
