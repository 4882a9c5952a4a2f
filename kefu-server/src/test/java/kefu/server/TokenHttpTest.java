package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /cgi-bin/token} and {@code /cgi-bin/stable_token}, spec §2. */
class TokenHttpTest {
  static final String APPID = TestKefu.DEMO.appid();
  static final String SECRET = TestKefu.DEMO.secret();
  static final String RID = " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String alice;

  @BeforeEach
  void start() {
    alice = kefu.newUser();
    kefu.says(alice, "hi");
  }

  TestKefu.Response token(String query) {
    return kefu.get("/cgi-bin/token?" + query);
  }

  TestKefu.Response stable(String body) {
    return kefu.post("/cgi-bin/stable_token", body);
  }

  String stableToken(boolean force) {
    return stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\"" + SECRET
        + "\",\"force_refresh\":" + force + "}").json().path("access_token").asText();
  }

  int sendWith(String token) {
    return kefu.sendText(token, alice, "ping").errcode();
  }

  @Test
  void a_token_has_wechats_shape_without_errcode() {
    TestKefu.Response r = token("grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json; encoding=utf-8");
    JsonNode json = r.json();
    assertThat(json.has("errcode")).isFalse();
    assertThat(json.path("expires_in").asInt()).isEqualTo(7200);
    assertThat(json.path("access_token").asText()).matches("\\d+_[A-Za-z0-9_-]+").hasSizeGreaterThan(100);
  }

  @Test
  void credential_errors_come_in_wechats_order_with_exact_texts() {
    assertThat(token("grant_type=client_credential&secret=x").errmsg()).matches("appid missing" + RID);
    assertThat(token("appid=wxnobody").errmsg()).matches("invalid appid" + RID);
    assertThat(token("appid=" + APPID + "&secret=" + SECRET).errmsg()).matches("invalid grant_type" + RID);
    assertThat(token("grant_type=client_credential&appid=" + APPID).errmsg()).matches("appsecret missing," + RID);
    TestKefu.Response wrong = token("grant_type=client_credential&appid=" + APPID + "&secret=wrong");
    assertThat(wrong.errcode()).isEqualTo(40125);
    assertThat(wrong.errmsg()).matches("invalid appsecret" + RID);
    assertThat(wrong.status()).isEqualTo(200);
  }

  @Test
  void the_rid_starts_with_the_request_time_in_hex_seconds() {
    String errmsg = token("appid=wxnobody").errmsg();
    String first = errmsg.substring(errmsg.indexOf("rid: ") + 5, errmsg.indexOf("rid: ") + 13);
    assertThat(Long.parseLong(first, 16)).isEqualTo(kefu.clock.instant().getEpochSecond());
  }

  @Test
  void a_new_token_supersedes_the_old_one_after_a_five_minute_grace() {
    String old = kefu.token();
    String fresh = kefu.token();
    assertThat(fresh).isNotEqualTo(old);
    kefu.advance(Duration.ofSeconds(299));
    assertThat(sendWith(old)).isZero();
    kefu.advance(Duration.ofSeconds(1));
    TestKefu.Response r = kefu.sendText(old, alice, "ping");
    assertThat(r.errcode()).isEqualTo(40001);
    assertThat(r.errmsg()).matches("invalid credential, access_token is invalid or not latest, could get access_token "
        + "by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r" + RID);
    assertThat(sendWith(fresh)).isZero();
  }

  @Test
  void a_token_expires_after_7200_seconds() {
    String token = kefu.token();
    kefu.advance(Duration.ofSeconds(7199));
    assertThat(kefu.sendText(token, alice, "x").errcode()).isZero();
    kefu.advance(Duration.ofSeconds(1));
    TestKefu.Response r = kefu.sendText(token, alice, "x");
    assertThat(r.errcode()).isEqualTo(42001);
    assertThat(r.errmsg()).matches("access_token expired" + RID);
  }

  @Test
  void garbage_and_missing_tokens_get_40001_and_41001() {
    assertThat(sendWith("garbage")).isEqualTo(40001);
    TestKefu.Response missing = kefu.post("/cgi-bin/message/custom/send",
        "{\"access_token\":\"" + kefu.token() + "\",\"touser\":\"" + alice + "\",\"msgtype\":\"text\","
            + "\"text\":{\"content\":\"x\"}}");
    assertThat(missing.errcode()).isEqualTo(41001);
    assertThat(missing.errmsg()).matches("access_token missing" + RID);
  }

  @Test
  void a_stable_token_is_handed_back_unchanged_while_valid() {
    String first = stableToken(false);
    kefu.advance(Duration.ofMinutes(90));
    assertThat(stableToken(false)).isEqualTo(first);
    TestKefu.Response r = stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\""
        + SECRET + "\"}");
    assertThat(r.json().path("expires_in").asLong()).isEqualTo(7200 - 90 * 60);
  }

  @Test
  void a_stable_token_rotates_in_its_last_five_minutes_and_both_work() {
    String first = stableToken(false);
    kefu.advance(Duration.ofSeconds(7200 - 300));
    String second = stableToken(false);
    assertThat(second).isNotEqualTo(first);
    assertThat(sendWith(first)).isZero();
    assertThat(sendWith(second)).isZero();
  }

  @Test
  void stable_and_ordinary_tokens_do_not_affect_each_other() {
    String stable = stableToken(false);
    String ordinary = kefu.token();
    kefu.token();
    kefu.advance(Duration.ofMinutes(6));
    assertThat(sendWith(stable)).isZero();
    assertThat(sendWith(ordinary)).isEqualTo(40001);
    assertThat(stableToken(false)).isEqualTo(stable);
  }

  @Test
  void force_refresh_revokes_the_previous_stable_token() {
    String first = stableToken(false);
    String forced = stableToken(true);
    assertThat(forced).isNotEqualTo(first);
    assertThat(sendWith(first)).isEqualTo(40001);
    assertThat(sendWith(forced)).isZero();
  }

  @Test
  void forced_refreshes_within_30_seconds_return_the_current_token() {
    String forced = stableToken(true);
    kefu.advance(Duration.ofSeconds(29));
    assertThat(stableToken(true)).isEqualTo(forced);
    kefu.advance(Duration.ofSeconds(1));
    assertThat(stableToken(true)).isNotEqualTo(forced);
  }

  @Test
  void the_21st_forced_refresh_of_a_day_gets_45009() {
    kefu.clock.set(java.time.Instant.parse("2026-11-25T16:00:01Z")); // 00:00:01 in Beijing
    for (int i = 0; i < 20; i++) {
      assertThat(stableToken(true)).as("forced refresh %d", i + 1).isNotEmpty();
      kefu.advance(Duration.ofSeconds(30));
    }
    TestKefu.Response r = stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\""
        + SECRET + "\",\"force_refresh\":true}");
    assertThat(r.errcode()).isEqualTo(45009);
    assertThat(r.errmsg()).matches("reach max api daily quota limit" + RID);
  }

  @Test
  void stable_token_errors() {
    assertThat(kefu.get("/cgi-bin/stable_token").errmsg()).matches("require POST method" + RID);
    assertThat(stable("{\"grant_type\":\"client_credential\"}").errcode()).isEqualTo(41002);
    assertThat(stable("{\"appid\":\"wxnobody\"}").errcode()).isEqualTo(40013);
    assertThat(stable("{\"appid\":\"" + APPID + "\",\"secret\":\"" + SECRET + "\"}").errcode()).isEqualTo(40002);
    assertThat(stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\"}").errcode())
        .isEqualTo(41004);
    assertThat(stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\"no\"}")
        .errcode()).isEqualTo(40125);
    assertThat(stable("{not json").errcode()).isEqualTo(47001);
    assertThat(stable("").errcode()).isEqualTo(44002);
    assertThat(stable("{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\"" + SECRET
        + "\",\"force_refresh\":\"yes\"}").errcode()).isEqualTo(47001);
  }
}
