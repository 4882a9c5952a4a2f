package kefu.protocol.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;

/** Per-app API limits: WeChat's figures, the Beijing day, the minute, and which quota refuses first. */
class ApiLimitsTest {
  private static final ApiLimit FIVE_A_DAY_TWO_A_MINUTE = new ApiLimit(5, 2);

  @Test
  void off_limits_nothing() {
    assertThat(ApiLimits.OFF.on()).isFalse();
    assertThat(ApiLimits.OFF.of("/cgi-bin/token")).isEqualTo(ApiLimit.NONE);
  }

  @Test
  void switched_on_token_calls_get_wechats_2000_a_day() {
    assertThat(ApiLimits.wechat().of("/cgi-bin/token")).isEqualTo(new ApiLimit(2000, ApiLimit.UNLIMITED));
    assertThat(ApiLimits.wechat().of("/cgi-bin/stable_token")).isEqualTo(new ApiLimit(500_000, 10_000));
  }

  @Test
  void every_wechat_api_kefu_serves_has_a_daily_quota() {
    assertThat(ApiLimits.WECHAT.keySet()).containsExactly("/cgi-bin/token", "/cgi-bin/stable_token",
        "/cgi-bin/message/custom/send", "/cgi-bin/message/custom/typing", "/cgi-bin/message/custom/business/typing",
        "/cgi-bin/media/upload", "/cgi-bin/media/get");
    assertThat(ApiLimits.WECHAT.values()).allSatisfy(l -> assertThat(l.daily()).isPositive());
  }

  @Test
  void one_path_can_be_overridden_and_the_others_keep_wechats_figures() {
    ApiLimits limits = ApiLimits.OFF.with("/cgi-bin/token", FIVE_A_DAY_TWO_A_MINUTE);

    assertThat(limits.on()).isTrue();
    assertThat(limits.of("/cgi-bin/token")).isEqualTo(FIVE_A_DAY_TWO_A_MINUTE);
    assertThat(limits.of("/cgi-bin/media/upload")).isEqualTo(ApiLimits.WECHAT.get("/cgi-bin/media/upload"));
  }

  @Test
  void only_the_limited_wechat_apis_have_limits() {
    assertThatThrownBy(() -> ApiLimits.wechat().with("/kefu/v1/reset", ApiLimit.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/kefu/v1/reset");
    assertThatThrownBy(() -> new ApiLimits(false, Map.of("/cgi-bin/token", ApiLimit.NONE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_limit_is_a_count_or_unlimited() {
    assertThatThrownBy(() -> new ApiLimit(-2, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ApiLimit(1, ApiLimit.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new ApiLimit(0, ApiLimit.MAX).daily()).isZero();
  }

  @Test
  void the_day_is_the_beijing_day() {
    // 16:00 UTC is midnight in Beijing (UTC+8, no daylight saving)
    assertThat(ApiLimits.dayStart(Instant.parse("2026-05-01T15:59:59.999Z")))
        .isEqualTo(Instant.parse("2026-04-30T16:00:00Z"));
    assertThat(ApiLimits.dayStart(Instant.parse("2026-05-01T16:00:00Z")))
        .isEqualTo(Instant.parse("2026-05-01T16:00:00Z"));
    assertThat(ApiLimits.dayStart(Instant.parse("2026-05-01T00:30:00Z")))
        .isEqualTo(Instant.parse("2026-04-30T16:00:00Z"));
  }

  @Test
  void the_minute_is_the_clock_minute() {
    assertThat(ApiLimits.minuteStart(Instant.parse("2026-05-01T08:07:59.999Z")))
        .isEqualTo(Instant.parse("2026-05-01T08:07:00Z"));
    assertThat(ApiLimits.minuteStart(Instant.parse("2026-05-01T08:08:00Z")))
        .isEqualTo(Instant.parse("2026-05-01T08:08:00Z"));
  }

  @Test
  void calls_below_both_quotas_are_allowed() {
    assertThat(ApiLimits.check(FIVE_A_DAY_TWO_A_MINUTE, 4, 1)).isSameAs(WxError.OK);
  }

  @Test
  void the_minute_quota_used_up_gets_45011() {
    assertThat(ApiLimits.check(FIVE_A_DAY_TWO_A_MINUTE, 3, 2)).isSameAs(WxError.API_MINUTE_QUOTA_REACH_LIMIT);
  }

  @Test
  void the_daily_quota_used_up_gets_45009_whatever_the_minute() {
    assertThat(ApiLimits.check(FIVE_A_DAY_TWO_A_MINUTE, 5, 0)).isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
    assertThat(ApiLimits.check(FIVE_A_DAY_TWO_A_MINUTE, 5, 2)).isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
  }

  @Test
  void a_limit_of_zero_refuses_the_first_call_and_unlimited_none() {
    assertThat(ApiLimits.check(new ApiLimit(0, ApiLimit.UNLIMITED), 0, 0))
        .isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
    assertThat(ApiLimits.check(ApiLimit.NONE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 1)).isSameAs(WxError.OK);
  }
}
