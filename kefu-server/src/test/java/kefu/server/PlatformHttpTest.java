package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import kefu.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The platform API under {@code /kefu/v1}: apps, simulated users, introspection, clock, reset, journal. */
class PlatformHttpTest {
  static final String APPS = "/kefu/v1/apps/";
  static final String DEMO = TestKefu.DEMO.appid();

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void health_answers_ok() {
    assertThat(kefu.get("/kefu/v1/health").text()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void apps_are_created_updated_and_listed() {
    TestKefu.Response created = kefu.put(APPS + "wxnewapp000000001",
        "{\"secret\":\"s3cret\",\"original_id\":\"gh_0123456789ab\",\"rules\":{\"name\":\"bench\","
            + "\"enter\":{\"count\":1,\"seconds\":60},\"message\":{\"count\":1000000,\"seconds\":172800}}}");
    assertThat(created.json().path("rules").path("message").path("count").asInt()).isEqualTo(1_000_000);
    assertThat(created.json().path("customer_service").asBoolean()).isTrue();
    kefu.put(APPS + "wxnewapp000000001", "{\"customer_service\":false}");
    JsonNode app = kefu.get(APPS + "wxnewapp000000001").json();
    assertThat(app.has("secret")).as("kefu keeps only the secret's hash, and shows not even that").isFalse();
    assertThat(app.path("customer_service").asBoolean()).isFalse();
    assertThat(app.path("rules").path("name").asText()).isEqualTo("bench");
    assertThat(kefu.get("/kefu/v1/apps").json().path("apps")).extracting(a -> a.path("appid").asText())
        .containsExactly("wxkefudemo00000001", "wxnewapp000000001");
  }

  @Test
  void invalid_app_settings_are_refused_with_the_property_named_and_nothing_saved() {
    TestKefu.Response r = kefu.put(APPS + "wxnewapp000000001", "{\"secret\":\"s\",\"rules\":\"weekly\"}");
    assertThat(r.errcode()).isEqualTo(47001);
    assertThat(r.errmsg()).contains("rules");
    assertThat(kefu.put(APPS + "wxnewapp000000001", "{}").errmsg()).contains("secret is required");
    assertThat(kefu.put(APPS + "wxnewapp000000001", "{\"secret\":\"s\",\"rules\":{\"name\":\"x\","
        + "\"enter\":{\"count\":-1,\"seconds\":60},\"message\":{\"count\":5,\"seconds\":60}}}").errmsg())
        .contains("rules.enter");
    assertThat(kefu.get(APPS + "wxnewapp000000001").errcode()).isEqualTo(40013);
  }

  @Test
  void users_get_wechat_like_openids_or_their_own() {
    String openid = kefu.newUser();
    assertThat(openid).hasSize(28).startsWith("o").matches("[A-Za-z0-9_-]+");
    TestKefu.Response own = kefu.post(APPS + DEMO + "/users", "{\"openid\":\"o-alice\",\"nickname\":\"Alice\"}");
    assertThat(own.json().path("openid").asText()).isEqualTo("o-alice");
    assertThat(own.json().path("created").asBoolean()).isTrue();
    assertThat(kefu.post(APPS + DEMO + "/users", "{\"openid\":\"o-alice\"}").json().path("created").asBoolean())
        .isFalse();
    assertThat(kefu.post(APPS + DEMO + "/users", "{\"openid\":\"bad id!\"}").errcode()).isEqualTo(40003);
    assertThat(kefu.post(APPS + "wxnobody/users", "").errcode()).isEqualTo(40013);
    assertThat(kefu.get(APPS + DEMO + "/users").json().path("users")).hasSize(2);
  }

  @Test
  void a_user_can_send_an_image_and_a_card() {
    String alice = kefu.newUser();
    String png = Base64.getEncoder().encodeToString(MediaHttpTest.PNG);
    TestKefu.Response image = kefu.post(APPS + DEMO + "/users/" + alice + "/messages",
        "{\"msgtype\":\"image\",\"image\":{\"data_base64\":\"" + png + "\"}}");
    assertThat(image.errcode()).isZero();
    assertThat(image.json().path("msgid").asLong()).isPositive();
    String mediaId = kefu.conversation(alice).get(0).path("image").path("media_id").asText();
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + kefu.token() + "&media_id=" + mediaId).bytes())
        .isEqualTo(MediaHttpTest.PNG);
    TestKefu.Response card = kefu.post(APPS + DEMO + "/users/" + alice + "/messages",
        "{\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"商品\",\"pagepath\":\"pages/item?id=1\","
            + "\"thumb_media_id\":\"" + mediaId + "\"}}");
    assertThat(card.json().path("window").path("remaining").asInt()).isEqualTo(5);
    assertThat(kefu.post(APPS + DEMO + "/users/" + alice + "/messages",
        "{\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"url\":\"u\"}}").errcode()).isEqualTo(40008);
    assertThat(kefu.post(APPS + DEMO + "/users/" + alice + "/messages",
        "{\"msgtype\":\"image\",\"image\":{\"data_base64\":\"bm90IGFuIGltYWdl\"}}").errcode()).isEqualTo(40005);
  }

  @Test
  void the_clock_advances_sets_and_freezes() {
    long before = kefu.get("/kefu/v1/clock").json().path("now_ms").asLong();
    JsonNode after = kefu.post("/kefu/v1/clock", "{\"advance_seconds\":3600}").json();
    assertThat(after.path("now_ms").asLong()).isEqualTo(before + 3_600_000);
    assertThat(after.path("frozen").asBoolean()).isTrue();
    assertThat(kefu.post("/kefu/v1/clock", "{\"set_ms\":1714112445000}").json().path("now_ms").asLong())
        .isEqualTo(1714112445000L);
    assertThat(kefu.post("/kefu/v1/clock", "{\"frozen\":false}").json().path("frozen").asBoolean()).isFalse();
    assertThat(kefu.post("/kefu/v1/clock", "{\"advance_seconds\":\"soon\"}").errcode()).isEqualTo(47001);
    assertThat(kefu.post("/kefu/v1/clock", "{}").errcode()).isEqualTo(47001);
  }

  @Test
  void reset_empties_everything_but_the_apps() {
    String alice = kefu.newUser();
    kefu.says(alice, "hi");
    assertThat(kefu.post("/kefu/v1/reset", "").errcode()).isZero();
    assertThat(kefu.get(APPS + DEMO + "/users").json().path("users")).isEmpty();
    assertThat(kefu.get(APPS + DEMO).json().path("appid").asText()).isEqualTo(DEMO);
    assertThat(kefu.token()).isNotEmpty();
  }

  @Test
  void the_journal_lists_wechat_calls_newest_first_with_filters() {
    String token = kefu.token();
    String alice = kefu.newUser();
    kefu.sendText(token, alice, "no window");
    kefu.get("/cgi-bin/token?appid=wxnobody");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
        kefu.get("/kefu/v1/journal").json().path("entries").size() == 3);
    JsonNode entries = kefu.get("/kefu/v1/journal").json().path("entries");
    assertThat(entries.get(0).path("errcode").asInt()).isEqualTo(40013);
    assertThat(entries.get(1).path("path").asText()).isEqualTo("/cgi-bin/message/custom/send");
    assertThat(entries.get(1).path("openid").asText()).isEqualTo(alice);
    assertThat(entries.get(1).path("appid").asText()).isEqualTo(DEMO);
    assertThat(entries.get(1).path("errcode").asInt()).isEqualTo(45015);
    assertThat(entries.get(1).has("latency_ms")).isTrue();
    assertThat(kefu.get("/kefu/v1/journal?errcode=45015").json().path("entries")).hasSize(1);
    assertThat(kefu.get("/kefu/v1/journal?path=/cgi-bin/token&limit=1").json().path("entries")).hasSize(1);
    assertThat(kefu.get("/kefu/v1/journal?appid=wxnobody").json().path("entries")).hasSize(1);
  }

  @Test
  void unknown_paths_get_a_json_404() {
    TestKefu.Response r = kefu.get("/cgi-bin/nothing/here");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.errmsg()).startsWith("no such path: GET /cgi-bin/nothing/here rid: ");
    assertThat(kefu.send(HttpRequest.newBuilder(kefu.uri("/kefu/v1/apps")).DELETE()).status()).isEqualTo(404);
  }

  @Test
  void conversation_events_stream_new_messages_and_typing() throws Exception {
    String alice = kefu.newUser();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(
        kefu.uri(APPS + DEMO + "/users/" + alice + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.put(line);
        }
      } catch (Exception e) {
        // the stream ends when the test closes the server
      }
    });
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("event:ready");
    kefu.says(alice, "hello there");
    String token = kefu.token();
    kefu.post("/cgi-bin/message/custom/typing?access_token=" + token,
        "{\"touser\":\"" + alice + "\",\"command\":\"Typing\"}");
    kefu.sendText(token, alice, "answer");
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 50 && !seen.toString().contains("answer"); i++) {
      String line = lines.poll(5, TimeUnit.SECONDS);
      assertThat(line).as("an event within 5 s").isNotNull();
      seen.append(line).append('\n');
    }
    assertThat(seen.toString()).contains("event:message").contains("hello there").contains("event:typing")
        .contains("\"typing\":true").contains("answer");
    stream.body().close();
    reader.interrupt();
  }

  @Test
  void a_non_loopback_bind_without_an_admin_token_refuses_to_start() {
    assertThatThrownBy(() -> ServerConfig.defaults().withBind("0.0.0.0").validate())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEFU_ADMIN_TOKEN");
  }

  @Test
  void with_an_admin_token_the_platform_api_needs_it(@TempDir Path other) {
    try (TestKefu secured = TestKefu.start(ServerConfig.defaults().withPort(0).withDataDir(other)
        .withAdminToken("let-me-in-please"))) {
      TestKefu.Response denied = secured.get("/kefu/v1/apps");
      assertThat(denied.status()).isEqualTo(401);
      assertThat(denied.errcode()).isEqualTo(401);
      assertThat(secured.send(HttpRequest.newBuilder(secured.uri("/kefu/v1/apps"))
          .header("Authorization", "Bearer let-me-in-please")).json().path("apps")).hasSize(1);
      assertThat(secured.get("/kefu/v1/health").status()).isEqualTo(200);
      assertThat(secured.token()).as("the WeChat API needs no admin token").isNotEmpty();
    }
  }
}
