package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code custom/typing} and {@code custom/business/typing}, spec §4. */
class TypingHttpTest {
  static final String RID = " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String token;
  String alice;

  @BeforeEach
  void start() {
    token = kefu.token();
    alice = kefu.newUser();
  }

  TestKefu.Response typing(String path, String command) {
    return kefu.post(path + "?access_token=" + token,
        "{\"touser\":\"" + alice + "\",\"command\":\"" + command + "\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/cgi-bin/message/custom/typing", "/cgi-bin/message/custom/business/typing"})
  void typing_follows_the_rules_on_both_paths(String path) {
    assertThat(typing(path, "Typing").errmsg()).as("no window").matches(
        "response out of time limit or subscription is canceled" + RID);
    kefu.says(alice, "hi");
    assertThat(typing(path, "Typing").text()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
    assertThat(typing(path, "Typing").errmsg()).matches("you are already typing" + RID);
    kefu.advance(Duration.ofSeconds(15));
    assertThat(typing(path, "Typing").errcode()).as("typing lasted 15 s").isZero();
    kefu.advance(Duration.ofSeconds(16));
    assertThat(typing(path, "Typing").errmsg()).as("31 s after the exchange").matches(
        "need sending message to user, or recving message from user in the last 30 seconds before typing" + RID);
    assertThat(typing(path, "typing").errmsg()).matches("invalid command" + RID);
    assertThat(typing(path, "CancelTyping").errcode()).isZero();
  }

  @Test
  void a_send_cancels_typing_and_typing_consumes_no_quota() {
    kefu.says(alice, "hi");
    assertThat(typing("/cgi-bin/message/custom/typing", "Typing").errcode()).isZero();
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
    kefu.sendText(token, alice, "answer");
    assertThat(kefu.get("/kefu/v1/apps/" + TestKefu.DEMO.appid() + "/users/" + alice + "/conversation").json()
        .path("typing").path("typing").asBoolean()).isFalse();
    assertThat(typing("/cgi-bin/message/custom/typing", "Typing").errcode()).as("the send was an exchange").isZero();
  }

  @Test
  void typing_errors() {
    kefu.says(alice, "hi");
    assertThat(kefu.get("/cgi-bin/message/custom/typing?access_token=" + token).errcode()).isEqualTo(43002);
    assertThat(kefu.post("/cgi-bin/message/custom/typing?access_token=" + token, "").errcode()).isEqualTo(44002);
    assertThat(kefu.post("/cgi-bin/message/custom/typing?access_token=" + token, "{\"touser\":\"" + alice + "\"}")
        .errcode()).isEqualTo(47001);
    assertThat(kefu.post("/cgi-bin/message/custom/typing?access_token=" + token,
        "{\"touser\":\"nobody\",\"command\":\"Typing\"}").errcode()).isEqualTo(40003);
    assertThat(kefu.post("/cgi-bin/message/custom/typing", "{\"touser\":\"" + alice + "\",\"command\":\"Typing\"}")
        .errcode()).isEqualTo(41001);
    kefu.put("/kefu/v1/apps/" + TestKefu.DEMO.appid(), "{\"customer_service\":false}");
    assertThat(typing("/cgi-bin/message/custom/typing", "Typing").errcode()).isEqualTo(48001);
  }
}
