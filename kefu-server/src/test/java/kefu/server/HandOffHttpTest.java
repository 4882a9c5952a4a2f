package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.bean.WxMaMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import kefu.server.push.DeliveryOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hand-off to human agents (spec §7), end to end over HTTP. */
class HandOffHttpTest {
  static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String TRANSFER = "<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[gh]]>"
      + "</FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withDelivery(
      new DeliveryOptions(Duration.ofMillis(700), 3, Duration.ZERO)));
  DeveloperServer developer;
  String alice;

  @BeforeEach
  void start() throws Exception {
    developer = new DeveloperServer();
    alice = kefu.newUser();
    kefu.put(APP + "/agents/kf001", "{\"nickname\":\"小王\",\"status\":\"online\"}");
  }

  @AfterEach
  void stop() {
    developer.close();
  }

  void pushTo(String format) throws Exception {
    kefu.put(APP, "{\"push\":{\"url\":\"" + developer.url() + "\",\"token\":\"kefutoken\",\"format\":\"" + format
        + "\"}}");
    developer.take(WAIT);
  }

  JsonNode queue() {
    return kefu.get(APP + "/queue").json();
  }

  String contentOf(DeveloperServer.Received r) {
    return WxMaMessage.fromXml(r.body()).getContent();
  }

  @Test
  void transfer_queue_accept_then_the_agent_gets_the_messages_until_the_session_idles_out() throws Exception {
    pushTo("xml");
    developer.thenAnswer(DeveloperServer.Answer.of(TRANSFER));
    kefu.says(alice, "转人工");
    assertThat(contentOf(developer.takePush(WAIT))).isEqualTo("转人工");
    Awaitility.await().atMost(WAIT).until(() -> queue().path("waiting").size() == 1);

    kefu.says(alice, "还在吗");
    assertThat(contentOf(developer.takePush(WAIT))).as("a waiting user is still pushed").isEqualTo("还在吗");

    JsonNode accepted = kefu.post(APP + "/agents/kf001/accept", "").json();
    assertThat(accepted.path("openid").asText()).isEqualTo(alice);
    assertThat(accepted.path("agent").asText()).isEqualTo("kf001");
    assertThat(queue().path("waiting")).isEmpty();
    assertThat(queue().path("active").get(0).path("agent").asText()).isEqualTo("kf001");

    assertThat(kefu.says(alice, "人工你好").json().path("routed_to").asText()).isEqualTo("agent");
    TestKefu.Response reply = kefu.post(APP + "/agents/kf001/messages",
        "{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"您好，我是小王\"}}");
    assertThat(reply.errcode()).isZero();
    assertThat(kefu.conversation(alice)).extracting(m -> m.path("direction").asText())
        .containsExactly("from_user", "from_user", "from_user", "from_agent");

    kefu.advance(Duration.ofMinutes(30));
    Awaitility.await().atMost(WAIT).until(() -> queue().path("active").isEmpty());
    kefu.says(alice, "人呢");
    assertThat(contentOf(developer.takePush(WAIT))).as("pushes resume after 30 idle minutes").isEqualTo("人呢");
    assertThat(developer.pendingRequests()).as("the message to the agent was never pushed").isZero();
  }

  @Test
  void events_are_never_transferred() throws Exception {
    pushTo("xml");
    developer.thenAnswer(DeveloperServer.Answer.of(TRANSFER));
    kefu.enters(alice);
    developer.takePush(WAIT);
    Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(kefu.get(APP + "/pushes?status=abnormal").json()
        .path("pushes").path(0).path("reason").asText()).contains("only allowed in reply to a user message"));
    assertThat(queue().path("waiting")).isEmpty();
  }

  @Test
  void with_push_disabled_user_messages_go_straight_to_the_queue() {
    assertThat(kefu.says(alice, "有人吗").json().path("routed_to").asText()).isEqualTo("queue");
    assertThat(queue().path("waiting").get(0).path("openid").asText()).isEqualTo(alice);
  }

  @Test
  void agents_are_checked() {
    kefu.says(alice, "有人吗");
    assertThat(kefu.post(APP + "/agents/nobody/accept", "").errcode()).isEqualTo(65401);
    kefu.put(APP + "/agents/kf002", "{\"status\":\"offline\"}");
    assertThat(kefu.post(APP + "/agents/kf002/accept", "").errcode()).isEqualTo(409);
    assertThat(kefu.post(APP + "/agents/kf001/messages", "{\"touser\":\"" + alice
        + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}").errcode()).as("not held yet").isEqualTo(409);
    kefu.post(APP + "/agents/kf001/accept", "{\"openid\":\"" + alice + "\"}");
    assertThat(kefu.post(APP + "/agents/kf002/accept", "").errmsg()).contains("offline");
    kefu.advance(Duration.ofHours(48));
    kefu.says(alice, "still here");
    kefu.advance(Duration.ofHours(48).minusSeconds(1));
    TestKefu.Response r = kefu.post(APP + "/agents/kf001/messages", "{\"touser\":\"" + alice
        + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
    assertThat(r.errcode()).as("idle session closed after 30 min").isEqualTo(409);
    assertThat(kefu.get(APP + "/agents").json().path("agents")).extracting(a -> a.path("account").asText())
        .containsExactly("kf001", "kf002");
    assertThat(kefu.put(APP + "/agents/bad%20name", "{}").errcode()).isEqualTo(65401);
  }

  @Test
  void an_agent_writes_only_within_48_hours_of_the_users_last_message_without_a_count_limit() {
    kefu.says(alice, "有人吗");
    kefu.post(APP + "/agents/kf001/accept", "");
    for (int i = 0; i < 8; i++) {
      assertThat(kefu.post(APP + "/agents/kf001/messages", "{\"touser\":\"" + alice
          + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"reply " + i + "\"}}").errcode()).isZero();
    }
    assertThat(kefu.post("/kefu/v1/apps/" + TestKefu.DEMO.appid() + "/sessions/" + alice + "/close", "").errcode())
        .isZero();
    assertThat(queue().path("active")).isEmpty();
  }

  @Test
  void an_app_has_at_most_100_agents() {
    for (int i = 2; i <= 100; i++) {
      assertThat(kefu.put(APP + "/agents/kf" + i, "{}").json().path("account").asText()).isEqualTo("kf" + i);
    }
    TestKefu.Response refused = kefu.put(APP + "/agents/kf101", "{}");
    assertThat(refused.errcode()).isEqualTo(409);
    assertThat(refused.errmsg()).contains("at most 100");
    assertThat(kefu.put(APP + "/agents/kf001", "{\"status\":\"offline\"}").errcode()).as("updating is fine").isZero();
    assertThat(kefu.get(APP + "/agents").json().path("agents")).hasSize(100);
  }

  @Test
  void agents_see_waiting_users_and_messages_live() throws Exception {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        kefu.uri(APP + "/agents/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.put(line);
        }
      } catch (Exception e) {
        // the stream ends with the test
      }
    });
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("event:ready");
    kefu.says(alice, "有人吗");
    kefu.post(APP + "/agents/kf001/accept", "");
    kefu.says(alice, "你好");
    kefu.post(APP + "/sessions/" + alice + "/close", "");
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 40 && !seen.toString().contains("session_closed"); i++) {
      String line = lines.poll(5, TimeUnit.SECONDS);
      assertThat(line).as("an event within 5 s; so far: %s", seen).isNotNull();
      seen.append(line).append('\n');
    }
    assertThat(seen.toString()).contains("event:waiting").contains("event:accepted").contains("event:message")
        .contains("你好").contains("event:session_closed");
    stream.body().close();
    reader.interrupt();
  }
}
