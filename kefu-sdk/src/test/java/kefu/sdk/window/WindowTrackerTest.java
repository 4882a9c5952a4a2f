package kefu.sdk.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import kefu.protocol.WxError;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import org.junit.jupiter.api.Test;

class WindowTrackerTest {
  private static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");

  /** A clock the test moves; the tracker reads it. */
  private static final class TestClock extends Clock {
    private Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();

  @Test
  void a_user_nobody_heard_from_has_a_closed_window() {
    WindowState w = new WindowTracker(WindowRules.CURRENT, clock).state("o-a");
    assertThat(w).isEqualTo(new WindowState(false, 0, null, "current", WindowState.Source.TRACKER));
    assertThat(w.canSend()).isFalse();
  }

  @Test
  void entering_grants_two_sends_for_a_minute_under_the_current_rule() {
    WindowTracker t = new WindowTracker(WindowRules.CURRENT, clock);
    t.userEntered("o-a", T0);
    assertThat(t.state("o-a")).isEqualTo(new WindowState(true, 2, T0.plusSeconds(60), "current",
        WindowState.Source.TRACKER));
    clock.advance(Duration.ofSeconds(60));
    assertThat(t.state("o-a").open()).isFalse();
  }

  @Test
  void a_message_grants_five_sends_for_48_hours_and_each_send_uses_one() {
    WindowTracker t = new WindowTracker(WindowRules.SEED, clock);
    t.userMessaged("o-a", T0);
    for (int i = 0; i < 5; i++) {
      t.sent("o-a");
    }
    assertThat(t.state("o-a").remaining()).isZero();
    assertThat(t.state("o-a").open()).isTrue();
    t.sent("o-a");
    assertThat(t.state("o-a").remaining()).isZero();
  }

  @Test
  void entering_during_a_48_hour_window_does_not_shrink_it() {
    WindowTracker t = new WindowTracker(WindowRules.CURRENT, clock);
    t.userMessaged("o-a", T0);
    t.userEntered("o-a", T0.plusSeconds(10));
    assertThat(t.state("o-a").closesAt()).isEqualTo(T0.plus(Duration.ofHours(48)));
    assertThat(t.state("o-a").remaining()).isEqualTo(5);
  }

  @Test
  void a_message_seen_late_counts_from_when_it_was_sent() {
    WindowTracker t = new WindowTracker(WindowRules.CURRENT, clock);
    clock.advance(Duration.ofHours(47));
    t.userMessaged("o-a", T0);
    assertThat(t.state("o-a").closesAt()).isEqualTo(T0.plus(Duration.ofHours(48)));
  }

  @Test
  void refusals_correct_the_estimate() {
    WindowTracker t = new WindowTracker(WindowRules.CURRENT, clock);
    t.userMessaged("o-a", T0);
    t.sendRefused("o-a", WxError.OUT_OF_RESPONSE_COUNT_LIMIT);
    assertThat(t.state("o-a").remaining()).isZero();
    assertThat(t.state("o-a").open()).isTrue();
    t.sendRefused("o-a", WxError.RESPONSE_OUT_OF_TIME_LIMIT);
    assertThat(t.state("o-a").open()).isFalse();
  }

  @Test
  void custom_rules_apply() {
    WindowRules bench = new WindowRules("bench", new Allowance(1, Duration.ofMinutes(1)),
        new Allowance(1000, Duration.ofHours(1)));
    WindowTracker t = new WindowTracker(bench, clock);
    t.userMessaged("o-a", T0);
    assertThat(t.state("o-a").remaining()).isEqualTo(1000);
    assertThat(t.state("o-a").rule()).isEqualTo("bench");
  }

  @Test
  void it_keeps_at_most_max_users_dropping_closed_then_soonest_closing_windows() {
    WindowTracker t = new WindowTracker(WindowRules.CURRENT, clock, 3);
    t.userEntered("o-closed", T0.minus(Duration.ofHours(1)));
    t.userEntered("o-soon", T0);
    t.userMessaged("o-late-1", T0);
    t.userMessaged("o-late-2", T0);
    assertThat(t.state("o-soon").open()).isTrue();
    t.userMessaged("o-late-3", T0);
    assertThat(t.state("o-soon").open()).as("closing soonest, dropped").isFalse();
    assertThat(t.state("o-late-1").open()).isTrue();
    assertThat(t.state("o-late-3").open()).isTrue();
  }
}
