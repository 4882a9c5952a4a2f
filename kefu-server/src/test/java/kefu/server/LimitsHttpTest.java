package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import kefu.store.ApiCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-app API limits like WeChat's: off by default, switched on per app with WeChat's figures or others, a daily
 * quota (45009) and a per-minute quota (45011) per API path, counted on kefu's clock by Beijing day and by minute,
 * shown by {@code GET /kefu/v1/apps/{appid}/limits}, cleared by a reset.
 */
class LimitsHttpTest {
  static final String DEMO = TestKefu.DEMO.appid();
  static final String APP = "/kefu/v1/apps/" + DEMO;
  static final String TOKEN = "/cgi-bin/token";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void limits_are_off_by_default_and_nothing_is_counted() {
    for (int i = 0; i < 5; i++) {
      kefu.token();
    }

    JsonNode limits = kefu.get(APP + "/limits").json();
    assertThat(limits.path("on").asBoolean()).isFalse();
    assertThat(limits.path("paths")).isEmpty();
    assertThat(kefu.get(APP).json().path("limits").asBoolean(true)).isFalse();
    Map<String, ApiCalls.Usage> counted = kefu.server.store()
        .read(tx -> tx.apiCalls().usage(DEMO, kefu.clock.instant()));
    assertThat(counted).isEmpty();
  }

  @Test
  void switched_on_an_app_gets_wechats_figures_2000_token_calls_a_day() {
    JsonNode app = kefu.put(APP, "{\"limits\":true}").json();
    assertThat(app.path("limits").path(TOKEN).toString()).isEqualTo("{\"daily\":2000,\"per_minute\":null}");
    kefu.token();

    JsonNode token = path(kefu.get(APP + "/limits").json(), TOKEN);
    assertThat(token.path("daily").toString()).isEqualTo("{\"limit\":2000,\"used\":1}");
    assertThat(token.path("per_minute").toString()).isEqualTo("{\"limit\":null,\"used\":1}");
    assertThat(path(kefu.get(APP + "/limits").json(), "/cgi-bin/stable_token").path("per_minute").path("limit")
        .asInt()).isEqualTo(10_000);
  }

  @Test
  void past_the_daily_quota_a_call_gets_45009_and_changes_nothing() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":3}}}");
    for (int i = 0; i < 3; i++) {
      kefu.token();
      kefu.advance(Duration.ofMinutes(1));
    }
    int tokensBefore = kefu.get(APP + "/tokens").json().path("tokens").size();

    TestKefu.Response refused = tokenCall();
    assertThat(refused.errcode()).isEqualTo(45009);
    assertThat(refused.errmsg()).startsWith("reach max api daily quota limit rid: ");
    assertThat(kefu.get(APP + "/tokens").json().path("tokens")).as("no token issued").hasSize(tokensBefore);
    assertThat(path(kefu.get(APP + "/limits").json(), TOKEN).path("daily").path("used").asInt())
        .as("a refused call is not counted").isEqualTo(3);
    assertThat(kefu.get("/kefu/v1/journal?errcode=45009").json().path("entries")).singleElement()
        .satisfies(e -> assertThat(e.path("path").asText()).isEqualTo(TOKEN));
  }

  @Test
  void past_the_minute_quota_a_call_gets_45011_until_the_next_minute() {
    kefu.put(APP, "{\"limits\":{\"/cgi-bin/stable_token\":{\"per_minute\":2}}}");
    kefu.clock.set(Instant.parse("2026-05-01T08:00:10Z"));
    assertThat(stableToken().json().has("access_token")).isTrue();
    assertThat(stableToken().json().has("access_token")).isTrue();

    TestKefu.Response refused = stableToken();
    assertThat(refused.errcode()).isEqualTo(45011);
    assertThat(refused.errmsg()).startsWith("api minute-quota reach limit, must slower, retry next minute rid: ");
    kefu.advance(Duration.ofSeconds(49));
    assertThat(stableToken().errcode()).as("08:00:59, the same minute").isEqualTo(45011);
    kefu.advance(Duration.ofSeconds(1));
    assertThat(stableToken().json().has("access_token")).as("08:01:00, the next minute").isTrue();

    JsonNode stable = path(kefu.get(APP + "/limits").json(), "/cgi-bin/stable_token");
    assertThat(stable.path("daily").path("used").asInt()).isEqualTo(3);
    assertThat(stable.path("per_minute").toString()).isEqualTo("{\"limit\":2,\"used\":1}");
  }

  @Test
  void the_daily_quota_starts_again_at_midnight_in_beijing() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":2}}}");
    kefu.clock.set(Instant.parse("2026-05-01T15:59:00Z")); // 23:59 in Beijing
    kefu.token();
    kefu.token();
    kefu.advance(Duration.ofSeconds(59));
    assertThat(tokenCall().errcode()).as("23:59:59 in Beijing").isEqualTo(45009);

    kefu.advance(Duration.ofSeconds(1));
    assertThat(tokenCall().json().has("access_token")).as("00:00:00 in Beijing, a new day").isTrue();
    JsonNode limits = kefu.get(APP + "/limits").json();
    assertThat(limits.path("day_started_ms").asLong()).isEqualTo(Instant.parse("2026-05-01T16:00:00Z").toEpochMilli());
    assertThat(limits.path("day_ends_ms").asLong()).isEqualTo(Instant.parse("2026-05-02T16:00:00Z").toEpochMilli());
    assertThat(path(limits, TOKEN).path("daily").path("used").asInt()).isEqualTo(1);
  }

  @Test
  void a_send_past_its_quota_gets_45009_and_leaves_the_window_alone() {
    kefu.put(APP, "{\"limits\":{\"/cgi-bin/message/custom/send\":{\"daily\":1}}}");
    String token = kefu.token();
    String alice = kefu.newUser();
    kefu.says(alice, "hi");
    assertThat(kefu.sendText(token, alice, "one").errcode()).isZero();

    assertThat(kefu.sendText(token, alice, "two").errcode()).isEqualTo(45009);
    assertThat(kefu.window(alice).path("remaining").asInt()).as("the refused send used nothing").isEqualTo(4);
    assertThat(kefu.conversation(alice)).hasSize(2);
  }

  @Test
  void only_authenticated_calls_count_so_a_wrong_secret_cannot_use_up_the_quota() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":2}}}");
    for (int i = 0; i < 5; i++) {
      assertThat(kefu.get(TOKEN + "?grant_type=client_credential&appid=" + DEMO + "&secret=wrong").errcode())
          .isEqualTo(40125);
    }
    String alice = kefu.newUser();
    assertThat(kefu.sendText("not-a-token", alice, "x").errcode()).isEqualTo(40001);

    assertThat(tokenCall().json().has("access_token")).isTrue();
    assertThat(tokenCall().json().has("access_token")).isTrue();
    assertThat(tokenCall().errcode()).isEqualTo(45009);
  }

  @Test
  void each_app_and_each_path_has_its_own_count() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":1}}}");
    kefu.put("/kefu/v1/apps/wxother0000000001", "{\"secret\":\"other-secret\",\"limits\":{\"" + TOKEN
        + "\":{\"daily\":1}}}");
    kefu.token();

    assertThat(kefu.get(TOKEN + "?grant_type=client_credential&appid=wxother0000000001&secret=other-secret")
        .json().has("access_token")).isTrue();
    assertThat(stableToken().json().has("access_token")).isTrue();
    assertThat(tokenCall().errcode()).isEqualTo(45009);
  }

  @Test
  void a_reset_clears_the_counts_and_keeps_the_limits() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":1}}}");
    kefu.token();
    assertThat(tokenCall().errcode()).isEqualTo(45009);

    assertThat(kefu.post("/kefu/v1/reset", "").errcode()).isZero();
    assertThat(kefu.get(APP + "/limits").json().path("on").asBoolean()).isTrue();
    assertThat(tokenCall().json().has("access_token")).isTrue();
    assertThat(tokenCall().errcode()).isEqualTo(45009);
  }

  @Test
  void switched_off_again_nothing_is_refused() {
    kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":0}}}");
    assertThat(tokenCall().errcode()).isEqualTo(45009);

    assertThat(kefu.put(APP, "{\"limits\":false}").json().path("limits").asBoolean(true)).isFalse();
    assertThat(tokenCall().json().has("access_token")).isTrue();
    assertThat(kefu.get(APP + "/limits").json().path("on").asBoolean()).isFalse();
  }

  @Test
  void bad_limits_are_refused_with_the_property_named_and_nothing_saved() {
    TestKefu.Response r = kefu.put(APP, "{\"limits\":{\"/kefu/v1/reset\":{\"daily\":1}}}");
    assertThat(r.errcode()).isEqualTo(47001);
    assertThat(r.errmsg()).contains("limits./kefu/v1/reset: not a limited API path");
    assertThat(kefu.put(APP, "{\"limits\":{\"" + TOKEN + "\":{\"daily\":-5}}}").errmsg())
        .contains("limits./cgi-bin/token: daily and per_minute must be null or whole numbers");
    assertThat(kefu.get(APP).json().path("limits").asBoolean(true)).isFalse();
    assertThat(kefu.get("/kefu/v1/apps/wxnobody/limits").errcode()).isEqualTo(40013);
  }

  private TestKefu.Response tokenCall() {
    return kefu.get(TOKEN + "?grant_type=client_credential&appid=" + DEMO + "&secret=" + TestKefu.DEMO.secret());
  }

  private TestKefu.Response stableToken() {
    return kefu.post("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\"" + DEMO
        + "\",\"secret\":\"" + TestKefu.DEMO.secret() + "\"}");
  }

  private static JsonNode path(JsonNode limits, String path) {
    for (JsonNode p : limits.path("paths")) {
      if (p.path("path").asText().equals(path)) {
        return p;
      }
    }
    throw new AssertionError(path + " not in " + limits);
  }
}
