package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With an admin token, every platform path but health needs {@code Authorization: Bearer <token>}: the JSON API,
 * the live event streams, the paths spelled in other ways; the WeChat API, the console pages and the public media do
 * not. Anything but the exact token answers 401 and runs nothing.
 */
class AdminTokenHttpTest {
  static final String ADMIN = "admin-token-for-the-tests-0001";
  static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withAdminToken(ADMIN));

  @Test
  void every_platform_call_without_the_token_gets_401_and_runs_nothing() {
    String alice = newUser();
    Instant before = kefu.clock.instant();
    for (String[] call : List.of(
        new String[] {"GET", "/kefu/v1/apps"},
        new String[] {"GET", APP},
        new String[] {"PUT", APP},
        new String[] {"GET", APP + "/limits"},
        new String[] {"GET", APP + "/tokens"},
        new String[] {"GET", APP + "/pushes"},
        new String[] {"POST", APP + "/users"},
        new String[] {"POST", APP + "/users/" + alice + "/messages"},
        new String[] {"GET", APP + "/users/" + alice + "/window"},
        new String[] {"POST", APP + "/agents/kf001/accept"},
        new String[] {"GET", "/kefu/v1/journal"},
        new String[] {"POST", "/kefu/v1/faults"},
        new String[] {"POST", "/kefu/v1/clock"},
        new String[] {"POST", "/kefu/v1/reset"})) {
      TestKefu.Response r = kefu.send(request(call[0], call[1], "{\"customer_service\":false,\"advance_seconds\":"
          + "86400,\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}"));
      assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(401);
      assertThat(r.errcode()).isEqualTo(401);
      assertThat(r.errmsg()).startsWith("admin token required: send Authorization: Bearer <KEFU_ADMIN_TOKEN> rid: ");
    }

    TestKefu.Response app = kefu.send(request("GET", APP, null).header("Authorization", "Bearer " + ADMIN));
    assertThat(app.json().path("customer_service").asBoolean()).as("the PUT ran not").isTrue();
    assertThat(kefu.send(request("GET", APP + "/users/" + alice + "/conversation", null)
        .header("Authorization", "Bearer " + ADMIN)).json().path("messages")).as("no message was sent").isEmpty();
    assertThat(kefu.clock.instant()).as("the clock did not move").isEqualTo(before);
  }

  @Test
  void only_the_exact_token_as_a_bearer_opens_the_platform_api() {
    String sameLength = "admin-token-for-the-tests-0002";
    assertThat(sameLength).hasSameSizeAs(ADMIN);
    // (whitespace around the whole value is not part of it in HTTP: "Bearer <token> " is the token)
    for (String header : List.of("Bearer " + sameLength, "Bearer " + ADMIN + "0", "Bearer " + ADMIN.substring(1),
        "Bearer  " + ADMIN, "Basic " + ADMIN, ADMIN, "Bearer", "Token " + ADMIN, "Bearer " + ADMIN.toUpperCase())) {
      assertThat(kefu.send(request("GET", "/kefu/v1/apps", null).header("Authorization", header)).status())
          .as("Authorization: %s", header).isEqualTo(401);
    }
    assertThat(kefu.get("/kefu/v1/apps?access_token=" + ADMIN).status()).as("not in the query").isEqualTo(401);

    assertThat(kefu.send(request("GET", "/kefu/v1/apps", null).header("Authorization", "Bearer " + ADMIN))
        .status()).isEqualTo(200);
    assertThat(kefu.send(request("GET", "/kefu/v1/apps", null).header("Authorization", "bearer " + ADMIN))
        .status()).as("HTTP schemes are case-insensitive").isEqualTo(200);
  }

  @Test
  void the_platform_paths_spelled_otherwise_are_guarded_too() {
    for (String path : List.of("//kefu/v1/apps", "/kefu/v1//apps", "/kefu/v1/./apps", "/kefu/v1/x/../apps",
        "/kefu/%76%31/apps", "/kefu/v1/apps/", "/kefu/v1/apps?x=/kefu/v1/health", "/kefu/v1/health/../apps",
        "/kefu/v1/%61pps")) {
      TestKefu.Response r = kefu.send(request("GET", path, null));
      assertThat(r.status()).as(path).isIn(400, 401, 404);
      assertThat(r.text()).as(path).doesNotContain(TestKefu.DEMO.appid());
    }
  }

  @Test
  void the_live_event_streams_need_the_token() throws Exception {
    String alice = newUser();
    HttpClient http = HttpClient.newHttpClient();
    for (String stream : List.of(APP + "/users/" + alice + "/events", APP + "/agents/events")) {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(kefu.uri(stream)).timeout(Duration.ofSeconds(10))
          .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        assertThat(r.statusCode()).as(stream).isEqualTo(401);
        assertThat(new String(body.readAllBytes())).contains("\"errcode\":401");
      }
    }
  }

  @Test
  void the_wechat_api_the_consoles_and_health_need_no_admin_token() {
    assertThat(kefu.token()).isNotEmpty();
    assertThat(kefu.get("/kefu/v1/health").status()).isEqualTo(200);
    for (String page : List.of("/dev", "/phone", "/agent", "/console/dev.js")) {
      assertThat(kefu.get(page).status()).as(page).isEqualTo(200);
    }
    assertThat(kefu.get("/kefu/media/no-such-media").status()).as("public, like WeChat's CDN; 404 JSON for none")
        .isNotEqualTo(401);
  }

  private String newUser() {
    return kefu.send(request("POST", APP + "/users", "").header("Authorization", "Bearer " + ADMIN)).json()
        .path("openid").asText();
  }

  private HttpRequest.Builder request(String method, String pathAndQuery, String body) {
    return HttpRequest.newBuilder(kefu.uri(pathAndQuery)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }
}
