package kefu.protocol.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FaultRuleTest {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final String SEND = "/cgi-bin/message/custom/send";
  private static final FaultEffect BUSY = new FaultEffect.Errcode(-1, null);
  private static final FaultEffect DUPLICATE = new FaultEffect.DuplicatePush();

  private static FaultRule rule(String path, String appid, String openid, FaultEffect effect) {
    return new FaultRule(1, path, appid, openid, effect, 1, null, 0, T0);
  }

  @Test
  void a_rule_without_criteria_matches_every_call_and_no_push() {
    FaultRule any = rule("", "", "", BUSY);

    assertThat(any.matchesCall(SEND, "wx-a", "o-alice")).isTrue();
    assertThat(any.matchesCall("/cgi-bin/token", "", "")).isTrue();
    assertThat(any.matchesPush("wx-a", "o-alice")).isFalse();
  }

  @Test
  void an_exact_path_matches_that_path_only() {
    FaultRule send = rule(SEND, "", "", BUSY);

    assertThat(send.matchesCall(SEND, "", "")).isTrue();
    assertThat(send.matchesCall("/cgi-bin/message/custom/typing", "", "")).isFalse();
    assertThat(send.matchesCall(SEND + "x", "", "")).isFalse();
  }

  @Test
  void a_path_ending_in_a_star_matches_every_path_it_prefixes() {
    FaultRule custom = rule("/cgi-bin/message/custom/*", "", "", BUSY);

    assertThat(custom.matchesCall(SEND, "", "")).isTrue();
    assertThat(custom.matchesCall("/cgi-bin/message/custom/business/typing", "", "")).isTrue();
    assertThat(custom.matchesCall("/cgi-bin/media/upload", "", "")).isFalse();
  }

  @Test
  void appid_and_openid_criteria_must_both_hold() {
    FaultRule alice = rule("", "wx-a", "o-alice", BUSY);

    assertThat(alice.matchesCall(SEND, "wx-a", "o-alice")).isTrue();
    assertThat(alice.matchesCall(SEND, "wx-a", "o-bob")).isFalse();
    assertThat(alice.matchesCall(SEND, "wx-b", "o-alice")).isFalse();
    assertThat(alice.matchesCall(SEND, "", "")).as("a call about nobody known").isFalse();
  }

  @Test
  void a_push_rule_matches_the_pushes_of_its_app_and_user_and_no_call() {
    FaultRule push = rule("", "wx-a", "", DUPLICATE);

    assertThat(push.matchesPush("wx-a", "o-alice")).isTrue();
    assertThat(push.matchesPush("wx-b", "o-alice")).isFalse();
    assertThat(push.mayMatchCall(SEND)).isFalse();
  }

  @Test
  void a_counted_rule_is_active_until_its_count_is_used() {
    FaultRule twice = new FaultRule(1, "", "", "", BUSY, 2, null, 1, T0);

    assertThat(twice.live(T0.plus(Duration.ofDays(3650)))).isTrue();
    assertThat(twice.remaining()).isEqualTo(1);
    FaultRule usedUp = new FaultRule(1, "", "", "", BUSY, 2, null, 2, T0);
    assertThat(usedUp.state(T0)).isEqualTo(FaultRule.State.USED_UP);
    assertThat(usedUp.remaining()).isZero();
  }

  @Test
  void a_timed_rule_expires_at_its_end_and_has_no_remaining_count() {
    FaultRule minute = new FaultRule(1, "", "", "", BUSY, null, T0.plusSeconds(60), 500, T0);

    assertThat(minute.state(T0.plusSeconds(59))).isEqualTo(FaultRule.State.ACTIVE);
    assertThat(minute.state(T0.plusSeconds(60))).isEqualTo(FaultRule.State.EXPIRED);
    assertThat(minute.remaining()).isNull();
  }

  @Test
  void a_rule_needs_a_count_or_an_end_and_a_push_rule_no_path() {
    assertThatThrownBy(() -> new FaultRule(0, "", "", "", BUSY, null, null, 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultRule(0, "", "", "", BUSY, 0, null, 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultRule(0, SEND, "", "", DUPLICATE, 1, null, 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultEffect.Errcode(0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FaultEffect.Latency(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_mark_names_the_rule_and_its_effect() {
    assertThat(rule("", "", "", new FaultEffect.Errcode(45009, null)).withId(7).mark())
        .isEqualTo(new FaultMark(7, "errcode 45009"));
    assertThat(rule("", "", "", new FaultEffect.Latency(Duration.ofSeconds(2))).mark().effect())
        .isEqualTo("latency 2000 ms");
    assertThat(rule("", "", "", new FaultEffect.Drop(true)).mark().effect()).isEqualTo("drop after the call");
    assertThat(rule("", "", "", new FaultEffect.DelayPush(Duration.ofSeconds(10))).mark().effect())
        .isEqualTo("delay push 10000 ms");
    assertThat(FaultMark.NONE.present()).isFalse();
  }

  @Test
  void an_errcode_fault_answers_wechats_errmsg_for_a_known_code_and_a_fallback_for_an_unknown_one() {
    assertThat(new FaultEffect.Errcode(45011, null).errmsgText())
        .isEqualTo("api minute-quota reach limit, must slower, retry next minute");
    assertThat(new FaultEffect.Errcode(-1, null).errmsgText()).isEqualTo("system error");
    assertThat(new FaultEffect.Errcode(89503, null).errmsgText()).isEqualTo("unknown error");
    assertThat(new FaultEffect.Errcode(89503, "此次调用需要管理员确认").errmsgText()).isEqualTo("此次调用需要管理员确认");
  }
}
