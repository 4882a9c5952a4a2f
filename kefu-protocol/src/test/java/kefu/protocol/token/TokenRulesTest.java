package kefu.protocol.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.SplittableRandom;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;

/** Token lifetime, grace and stable-token rotation, spec §2. */
class TokenRulesTest {
  private static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");
  private static final Duration NANO = Duration.ofNanos(1);
  private static final String APPID = "wxba5fad812f8e6fb9";

  private final SplittableRandom random = new SplittableRandom(42);

  // --- check

  @Test
  void an_unknown_token_gets_40001() {
    assertThat(TokenRules.check(null, T0)).isSameAs(WxError.INVALID_CREDENTIAL);
  }

  @Test
  void a_fresh_token_is_ok() {
    assertThat(TokenRules.check(ordinary(T0), T0)).isSameAs(WxError.OK);
  }

  @Test
  void a_token_is_ok_until_just_before_7200_seconds() {
    assertThat(TokenRules.check(ordinary(T0), T0.plusSeconds(7200).minus(NANO))).isSameAs(WxError.OK);
  }

  @Test
  void a_token_gets_42001_at_exactly_7200_seconds() {
    assertThat(TokenRules.check(ordinary(T0), T0.plusSeconds(7200))).isSameAs(WxError.ACCESS_TOKEN_EXPIRED);
    assertThat(TokenRules.check(ordinary(T0), T0.plusSeconds(7201))).isSameAs(WxError.ACCESS_TOKEN_EXPIRED);
  }

  @Test
  void a_superseded_token_still_works_during_the_5_minute_grace() {
    Instant newIssued = T0.plusSeconds(600);
    AccessToken superseded = ordinary(T0).revokedAt(newIssued.plus(TokenRules.GRACE));

    assertThat(TokenRules.check(superseded, newIssued)).isSameAs(WxError.OK);
    assertThat(TokenRules.check(superseded, newIssued.plusSeconds(300).minus(NANO))).isSameAs(WxError.OK);
  }

  @Test
  void a_superseded_token_gets_40001_once_the_grace_is_over() {
    Instant newIssued = T0.plusSeconds(600);
    AccessToken superseded = ordinary(T0).revokedAt(newIssued.plus(TokenRules.GRACE));

    assertThat(TokenRules.check(superseded, newIssued.plusSeconds(300))).isSameAs(WxError.INVALID_CREDENTIAL);
    assertThat(TokenRules.check(superseded, newIssued.plusSeconds(3600))).isSameAs(WxError.INVALID_CREDENTIAL);
  }

  @Test
  void a_superseded_token_past_its_lifetime_too_gets_40001_not_42001() {
    AccessToken superseded = ordinary(T0).revokedAt(T0.plusSeconds(60));

    assertThat(TokenRules.check(superseded, T0.plusSeconds(7200))).isSameAs(WxError.INVALID_CREDENTIAL);
  }

  @Test
  void a_token_in_grace_still_expires_at_7200_seconds() {
    AccessToken superseded = ordinary(T0).revokedAt(T0.plusSeconds(7200 + 100));

    assertThat(TokenRules.check(superseded, T0.plusSeconds(7200))).isSameAs(WxError.ACCESS_TOKEN_EXPIRED);
  }

  @Test
  void the_grace_is_five_minutes() {
    assertThat(TokenRules.GRACE).isEqualTo(Duration.ofMinutes(5));
  }

  // --- stable token

  @Test
  void the_first_stable_call_issues_a_token() {
    assertThat(TokenRules.onStable(null, false, 0, null, T0)).isEqualTo(new StableDecision.Issue(false, false));
  }

  @Test
  void a_normal_stable_call_reuses_the_token_while_it_is_valid() {
    AccessToken current = stable(T0, false);

    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(1))).isEqualTo(new StableDecision.Reuse(current));
    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(3600))).isEqualTo(new StableDecision.Reuse(current));
  }

  @Test
  void a_normal_stable_call_reuses_the_token_until_its_last_5_minutes() {
    AccessToken current = stable(T0, false);

    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(6900).minus(NANO)))
        .isEqualTo(new StableDecision.Reuse(current));
  }

  @Test
  void a_normal_stable_call_in_the_last_5_minutes_rotates_without_revoking() {
    AccessToken current = stable(T0, false);

    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(6900))).isEqualTo(new StableDecision.Issue(false, false));
    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(7199))).isEqualTo(new StableDecision.Issue(false, false));
  }

  @Test
  void every_reused_stable_token_has_at_least_300_seconds_left() {
    AccessToken current = stable(T0, false);
    for (long s = 0; s < 7300; s += 7) {
      Instant now = T0.plusSeconds(s);
      if (TokenRules.onStable(current, false, 0, null, now) instanceof StableDecision.Reuse reuse) {
        assertThat(reuse.current().expiresInSeconds(now)).as("at +%d s", s).isGreaterThanOrEqualTo(300);
      }
    }
  }

  @Test
  void a_normal_stable_call_after_expiry_issues_a_new_token() {
    AccessToken current = stable(T0, false);

    assertThat(TokenRules.onStable(current, false, 0, null, T0.plusSeconds(7200))).isEqualTo(new StableDecision.Issue(false, false));
  }

  @Test
  void a_forced_refresh_issues_a_token_and_revokes_the_previous() {
    AccessToken current = stable(T0, false);

    assertThat(TokenRules.onStable(current, true, 0, null, T0.plusSeconds(10))).isEqualTo(new StableDecision.Issue(true, true));
    assertThat(TokenRules.onStable(null, true, 0, null, T0)).isEqualTo(new StableDecision.Issue(true, true));
  }

  @Test
  void a_forced_refresh_within_30_seconds_of_the_last_reuses_the_token() {
    AccessToken current = stable(T0, true);

    assertThat(TokenRules.onStable(current, true, 1, T0, T0)).isEqualTo(new StableDecision.Reuse(current));
    assertThat(TokenRules.onStable(current, true, 1, T0, T0.plusSeconds(30).minus(NANO))).isEqualTo(new StableDecision.Reuse(current));
  }

  @Test
  void a_forced_refresh_30_seconds_after_the_last_refreshes_again() {
    AccessToken current = stable(T0, true);

    assertThat(TokenRules.onStable(current, true, 1, T0, T0.plusSeconds(30))).isEqualTo(new StableDecision.Issue(true, true));
  }

  @Test
  void the_20th_forced_refresh_in_a_day_is_allowed() {
    assertThat(TokenRules.onStable(stable(T0, true), true, 19, T0, T0.plusSeconds(60))).isEqualTo(new StableDecision.Issue(true, true));
  }

  @Test
  void the_21st_forced_refresh_in_a_day_gets_45009() {
    assertThat(TokenRules.onStable(stable(T0, true), true, 20, T0, T0.plusSeconds(60)))
        .isEqualTo(new StableDecision.Denied(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT));
    assertThat(TokenRules.onStable(null, true, 20, null, T0))
        .isEqualTo(new StableDecision.Denied(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT));
  }

  @Test
  void a_normal_stable_call_is_not_limited_by_the_forced_quota() {
    AccessToken current = stable(T0, true);

    assertThat(TokenRules.onStable(current, false, 20, T0, T0.plusSeconds(60))).isEqualTo(new StableDecision.Reuse(current));
  }

  // --- issued tokens

  @Test
  void an_issued_token_lives_7200_seconds() {
    AccessToken token = TokenRules.issue(APPID, TokenKind.ORDINARY, false, T0, random);

    assertThat(token.appid()).isEqualTo(APPID);
    assertThat(token.kind()).isEqualTo(TokenKind.ORDINARY);
    assertThat(token.issuedAt()).isEqualTo(T0);
    assertThat(token.expiresAt()).isEqualTo(T0.plusSeconds(7200));
    assertThat(token.revokedAt()).isNull();
    assertThat(token.forced()).isFalse();
    assertThat(token.expiresInSeconds(T0)).isEqualTo(7200);
  }

  @Test
  void a_token_value_looks_like_wechat_s() {
    String value = TokenRules.issue(APPID, TokenKind.STABLE, true, T0, random).value();

    assertThat(value).matches("^\\d+_[A-Za-z0-9_-]+$").hasSizeGreaterThan(50).hasSize(157);
  }

  @Test
  void token_values_are_distinct_over_many_draws_at_the_same_instant() {
    var values = new HashSet<String>();
    for (int i = 0; i < 10_000; i++) {
      String value = TokenRules.issue(APPID, TokenKind.ORDINARY, false, T0, random).value();
      assertThat(value).matches("^\\d+_[A-Za-z0-9_-]+$").hasSizeGreaterThan(50);
      values.add(value);
    }
    assertThat(values).hasSize(10_000);
  }

  // --- AccessToken

  @Test
  void revoking_twice_keeps_the_earlier_instant() {
    AccessToken token = ordinary(T0);

    assertThat(token.revokedAt(T0.plusSeconds(100)).revokedAt(T0.plusSeconds(200)).revokedAt())
        .isEqualTo(T0.plusSeconds(100));
    assertThat(token.revokedAt(T0.plusSeconds(200)).revokedAt(T0.plusSeconds(100)).revokedAt())
        .isEqualTo(T0.plusSeconds(100));
  }

  @Test
  void a_token_names_its_state_for_the_dashboard() {
    AccessToken token = ordinary(T0);
    AccessToken superseded = token.revokedAt(T0.plusSeconds(900));

    assertThat(token.stateAt(T0)).isEqualTo("valid");
    assertThat(token.stateAt(T0.plusSeconds(7200))).isEqualTo("expired");
    assertThat(superseded.stateAt(T0.plusSeconds(899))).isEqualTo("in_grace");
    assertThat(superseded.stateAt(T0.plusSeconds(900))).isEqualTo("superseded");
  }

  @Test
  void expires_in_counts_down_to_zero_and_stays_there() {
    AccessToken token = ordinary(T0);

    assertThat(token.expiresInSeconds(T0.plusSeconds(7000))).isEqualTo(200);
    assertThat(token.expiresInSeconds(T0.plusSeconds(9000))).isZero();
  }

  @Test
  void to_string_does_not_reveal_the_token() {
    AccessToken token = ordinary(T0);

    assertThat(token.toString()).doesNotContain(token.value()).contains(token.value().substring(0, 8));
  }

  private AccessToken ordinary(Instant issuedAt) {
    return TokenRules.issue(APPID, TokenKind.ORDINARY, false, issuedAt, random);
  }

  private AccessToken stable(Instant issuedAt, boolean forced) {
    return TokenRules.issue(APPID, TokenKind.STABLE, forced, issuedAt, random);
  }
}
