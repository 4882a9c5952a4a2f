package kefu.protocol.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;

/** Worked examples of the send window, spec §3.2. The general case is in {@link WindowRulesProperties}. */
class WindowRulesTest {
  private static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");
  private static final Duration NANO = Duration.ofNanos(1);
  private static final SendDecision OUT_OF_TIME = new SendDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT);
  private static final SendDecision OUT_OF_COUNT = new SendDecision.Denied(WxError.OUT_OF_RESPONSE_COUNT_LIMIT);

  private final WindowRules rules = WindowRules.CURRENT;

  @Test
  void a_user_who_never_interacted_gets_45015() {
    assertThat(rules.onSend(Window.NONE, T0)).isEqualTo(OUT_OF_TIME);
  }

  @Test
  void sixth_send_after_a_user_message_gets_45047() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);
    for (int i = 0; i < 5; i++) {
      w = sent(rules.onSend(w, T0.plusSeconds(i)));
    }

    assertThat(rules.onSend(w, T0.plusSeconds(5))).isEqualTo(OUT_OF_COUNT);
    assertThat(rules.onSend(w, T0.plus(Duration.ofHours(48)))).isEqualTo(OUT_OF_TIME);
  }

  @Test
  void a_user_message_opens_5_sends_for_48_hours() {
    assertThat(rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0))
        .isEqualTo(new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE));
  }

  @Test
  void entering_the_chat_opens_2_sends_for_1_minute_under_the_current_rules() {
    assertThat(WindowRules.CURRENT.onTrigger(Window.NONE, Trigger.ENTER, T0))
        .isEqualTo(new Window(2, T0.plusSeconds(60), Trigger.ENTER));
  }

  @Test
  void entering_the_chat_opens_1_send_for_1_minute_under_the_seed_rules() {
    assertThat(WindowRules.SEED.onTrigger(Window.NONE, Trigger.ENTER, T0))
        .isEqualTo(new Window(1, T0.plusSeconds(60), Trigger.ENTER));
    assertThat(WindowRules.SEED.onTrigger(Window.NONE, Trigger.MESSAGE, T0))
        .isEqualTo(new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE));
  }

  @Test
  void a_send_just_before_closes_at_is_allowed() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);

    assertThat(rules.onSend(w, w.closesAt().minus(NANO)))
        .isEqualTo(new SendDecision.Allowed(new Window(4, w.closesAt(), Trigger.MESSAGE)));
  }

  @Test
  void at_exactly_closes_at_the_window_is_closed() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);

    assertThat(w.closesAt()).isEqualTo(T0.plus(Duration.ofHours(48)));
    assertThat(w.isOpen(w.closesAt())).isFalse();
    assertThat(w.remainingAt(w.closesAt())).isZero();
    assertThat(rules.onSend(w, w.closesAt())).isEqualTo(OUT_OF_TIME);
  }

  @Test
  void a_one_minute_window_closes_at_exactly_60_seconds() {
    Window w = rules.onTrigger(Window.NONE, Trigger.ENTER, T0);

    assertThat(rules.onSend(w, T0.plusSeconds(60).minus(NANO))).isInstanceOf(SendDecision.Allowed.class);
    assertThat(rules.onSend(w, T0.plusSeconds(60))).isEqualTo(OUT_OF_TIME);
  }

  @Test
  void a_third_send_after_entering_gets_45047() {
    Window w = rules.onTrigger(Window.NONE, Trigger.ENTER, T0);
    w = sent(rules.onSend(w, T0.plusSeconds(1)));
    w = sent(rules.onSend(w, T0.plusSeconds(2)));

    assertThat(rules.onSend(w, T0.plusSeconds(3))).isEqualTo(OUT_OF_COUNT);
  }

  @Test
  void entering_during_a_live_48_hour_window_does_not_shrink_it() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);
    for (int i = 0; i < 4; i++) {
      w = sent(rules.onSend(w, T0.plusSeconds(i)));
    }

    Window after = rules.onTrigger(w, Trigger.ENTER, T0.plus(Duration.ofHours(1)));

    assertThat(after).isEqualTo(new Window(2, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE));
  }

  @Test
  void entering_keeps_a_larger_remaining_count() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);

    assertThat(rules.onTrigger(w, Trigger.ENTER, T0.plusSeconds(10)).remaining()).isEqualTo(5);
  }

  @Test
  void a_message_during_a_one_minute_window_extends_it_to_48_hours() {
    Window w = rules.onTrigger(Window.NONE, Trigger.ENTER, T0);
    w = sent(rules.onSend(w, T0.plusSeconds(1)));

    assertThat(rules.onTrigger(w, Trigger.MESSAGE, T0.plusSeconds(30)))
        .isEqualTo(new Window(5, T0.plusSeconds(30).plus(Duration.ofHours(48)), Trigger.MESSAGE));
  }

  @Test
  void allowances_do_not_accumulate() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);
    w = rules.onTrigger(w, Trigger.MESSAGE, T0.plusSeconds(1));
    w = rules.onTrigger(w, Trigger.ENTER, T0.plusSeconds(2));

    assertThat(w.remaining()).isEqualTo(5);
  }

  @Test
  void a_new_message_refills_the_count_to_5() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);
    for (int i = 0; i < 5; i++) {
      w = sent(rules.onSend(w, T0.plusSeconds(i)));
    }

    w = rules.onTrigger(w, Trigger.MESSAGE, T0.plusSeconds(10));

    assertThat(w).isEqualTo(new Window(5, T0.plusSeconds(10).plus(Duration.ofHours(48)), Trigger.MESSAGE));
  }

  @Test
  void a_trigger_on_a_closed_window_starts_afresh() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);
    w = sent(rules.onSend(w, T0));
    Instant later = T0.plus(Duration.ofHours(48));

    assertThat(rules.onTrigger(w, Trigger.ENTER, later)).isEqualTo(new Window(2, later.plusSeconds(60), Trigger.ENTER));
  }

  @Test
  void a_trigger_at_exactly_closes_at_starts_afresh() {
    Window w = rules.onTrigger(Window.NONE, Trigger.ENTER, T0);
    Instant closesAt = w.closesAt();

    assertThat(rules.onTrigger(w, Trigger.ENTER, closesAt)).isEqualTo(new Window(2, closesAt.plusSeconds(60), Trigger.ENTER));
  }

  @Test
  void a_send_does_not_move_the_deadline() {
    Window w = rules.onTrigger(Window.NONE, Trigger.ENTER, T0);

    assertThat(sent(rules.onSend(w, T0.plusSeconds(59))).closesAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void a_closed_window_has_nothing_remaining() {
    Window w = rules.onTrigger(Window.NONE, Trigger.MESSAGE, T0);

    assertThat(w.remainingAt(T0)).isEqualTo(5);
    assertThat(w.remainingAt(T0.plus(Duration.ofDays(3)))).isZero();
  }

  @Test
  void presets_are_found_by_name() {
    assertThat(WindowRules.preset("seed")).containsSame(WindowRules.SEED);
    assertThat(WindowRules.preset("current")).containsSame(WindowRules.CURRENT);
    assertThat(WindowRules.preset("CURRENT")).isEmpty();
    assertThat(WindowRules.preset("custom")).isEmpty();
  }

  @Test
  void only_the_two_tables_are_presets() {
    var custom = new WindowRules("custom", new Allowance(3, Duration.ofMinutes(1)), new Allowance(5, Duration.ofHours(48)));

    assertThat(WindowRules.SEED.isPreset()).isTrue();
    assertThat(WindowRules.CURRENT.isPreset()).isTrue();
    assertThat(custom.isPreset()).isFalse();
  }

  @Test
  void each_trigger_has_its_own_allowance() {
    assertThat(WindowRules.CURRENT.allowance(Trigger.ENTER)).isEqualTo(new Allowance(2, Duration.ofMinutes(1)));
    assertThat(WindowRules.CURRENT.allowance(Trigger.MESSAGE)).isEqualTo(new Allowance(5, Duration.ofHours(48)));
  }

  @Test
  void an_allowance_needs_a_non_negative_count_and_a_positive_duration() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Allowance(-1, Duration.ofMinutes(1)));
    assertThatIllegalArgumentException().isThrownBy(() -> new Allowance(1, Duration.ZERO));
    assertThatIllegalArgumentException().isThrownBy(() -> new Allowance(1, Duration.ofSeconds(-1)));
    assertThat(new Allowance(0, Duration.ofNanos(1)).count()).isZero();
  }

  @Test
  void a_table_needs_a_name() {
    var a = new Allowance(1, Duration.ofMinutes(1));

    assertThatIllegalArgumentException().isThrownBy(() -> new WindowRules(" ", a, a));
  }

  @Test
  void triggers_are_named_enter_and_message_on_the_wire() {
    assertThat(Trigger.fromWireName("enter")).hasValue(Trigger.ENTER);
    assertThat(Trigger.fromWireName("message")).hasValue(Trigger.MESSAGE);
    assertThat(Trigger.fromWireName("Message")).isEmpty();
  }

  private static Window sent(SendDecision decision) {
    assertThat(decision).isInstanceOf(SendDecision.Allowed.class);
    return ((SendDecision.Allowed) decision).next();
  }
}
