package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session-window rules as a developer's backend meets them through {@code custom/send}. */
class SendWindowHttpTest {
  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String token;
  String alice;

  @BeforeEach
  void start() {
    token = kefu.token();
    alice = kefu.newUser();
  }

  @Test
  void a_user_who_never_interacted_cannot_be_sent_to() {
    TestKefu.Response r = kefu.sendText(token, alice, "hello");
    assertThat(r.errcode()).isEqualTo(45015);
    assertThat(r.errmsg()).matches("response out of time limit or subscription is canceled rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
  }

  @Test
  void sixth_send_after_a_user_message_gets_45047() {
    kefu.says(alice, "hi");
    for (int i = 0; i < 5; i++) {
      assertThat(kefu.sendText(token, alice, "ok " + i).text()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
    }
    TestKefu.Response sixth = kefu.sendText(token, alice, "one more");
    assertThat(sixth.errcode()).isEqualTo(45047);
    assertThat(sixth.errmsg()).startsWith("out of response count limit rid: ");
  }

  @Test
  void the_window_after_a_message_closes_after_48_hours() {
    kefu.says(alice, "hi");
    kefu.advance(Duration.ofHours(48).minusSeconds(1));
    token = kefu.token();
    assertThat(kefu.sendText(token, alice, "just in time").errcode()).isZero();
    kefu.advance(Duration.ofSeconds(1));
    assertThat(kefu.sendText(token, alice, "late").errcode()).isEqualTo(45015);
  }

  @Test
  void entering_the_chat_allows_one_send_within_a_minute_under_the_seed_rule() {
    kefu.enters(alice);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(1);
    assertThat(kefu.sendText(token, alice, "welcome").errcode()).isZero();
    assertThat(kefu.sendText(token, alice, "again").errcode()).isEqualTo(45047);
    kefu.advance(Duration.ofMinutes(1));
    assertThat(kefu.sendText(token, alice, "late").errcode()).isEqualTo(45015);
  }

  @Test
  void entering_the_chat_allows_two_sends_under_the_current_rule() {
    kefu.put("/kefu/v1/apps/" + TestKefu.DEMO.appid(), "{\"rules\":\"current\"}");
    kefu.enters(alice);
    assertThat(kefu.sendText(token, alice, "one").errcode()).isZero();
    assertThat(kefu.sendText(token, alice, "two").errcode()).isZero();
    assertThat(kefu.sendText(token, alice, "three").errcode()).isEqualTo(45047);
  }

  @Test
  void entering_during_a_48_hour_window_does_not_shrink_it() {
    kefu.says(alice, "hi");
    kefu.sendText(token, alice, "1");
    kefu.enters(alice);
    JsonNode w = kefu.window(alice);
    assertThat(w.path("remaining").asInt()).isEqualTo(4);
    assertThat(w.path("seconds_left").asLong()).isEqualTo(Duration.ofHours(48).toSeconds());
    assertThat(w.path("granted_by").asText()).isEqualTo("message");
  }

  @Test
  void a_new_message_restores_the_allowance_without_accumulating() {
    kefu.says(alice, "hi");
    kefu.sendText(token, alice, "1");
    kefu.sendText(token, alice, "2");
    kefu.says(alice, "again");
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
  }

  @Test
  void the_window_reports_sends_left_and_when_it_closes() {
    kefu.says(alice, "hi");
    kefu.sendText(token, alice, "1");
    JsonNode w = kefu.window(alice);
    assertThat(w.path("open").asBoolean()).isTrue();
    assertThat(w.path("remaining").asInt()).isEqualTo(4);
    assertThat(w.path("rule").asText()).isEqualTo("seed");
    assertThat(w.path("expires_at").asLong())
        .isEqualTo(kefu.clock.instant().plus(Duration.ofHours(48)).getEpochSecond());
  }

  @Test
  void failed_sends_consume_nothing() {
    kefu.says(alice, "hi");
    assertThat(kefu.post("/cgi-bin/message/custom/send?access_token=" + token,
        "{\"touser\":\"" + alice + "\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"nope\"}}").errcode())
        .isEqualTo(40007);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
  }

  @Test
  void a_successful_send_is_stored_in_the_conversation_after_the_user_message() {
    kefu.says(alice, "你好");
    kefu.sendText(token, alice, "您好，有什么可以帮您？");
    List<JsonNode> conversation = kefu.conversation(alice);
    assertThat(conversation).hasSize(2);
    assertThat(conversation.get(0).path("direction").asText()).isEqualTo("from_user");
    assertThat(conversation.get(0).path("text").path("content").asText()).isEqualTo("你好");
    assertThat(conversation.get(1).path("direction").asText()).isEqualTo("to_user");
    assertThat(conversation.get(1).path("text").path("content").asText()).isEqualTo("您好，有什么可以帮您？");
    assertThat(conversation.get(1).path("msgid").asLong()).isGreaterThan(conversation.get(0).path("msgid").asLong());
  }

  @Test
  void a_body_is_read_as_utf8_json_whatever_its_content_type_says() {
    kefu.says(alice, "hi");
    String body = "{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"表单\"}}";
    for (String type : List.of("application/json; charset=UTF-8", "application/x-www-form-urlencoded",
        "text/plain")) {
      assertThat(kefu.post("/cgi-bin/message/custom/send?access_token=" + token,
          body.getBytes(StandardCharsets.UTF_8), type).errcode()).as(type).isZero();
    }
  }
}
