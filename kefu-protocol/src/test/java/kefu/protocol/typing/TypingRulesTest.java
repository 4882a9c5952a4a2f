package kefu.protocol.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import kefu.protocol.WxError;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import org.junit.jupiter.api.Test;

/** The typing rules of spec §4: 45015 first, then the 30-second exchange (45080), then the 15-second state (45081). */
class TypingRulesTest {
  private static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Window LIVE = new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE);
  private static final TypingState EXCHANGED_AT_T0 = TypingState.NONE.exchangedAt(T0);

  @Test
  void typing_with_a_closed_window_gets_45015_before_anything_else() {
    var typingAlready = new TypingState(T0, T0.plusSeconds(15));

    assertThat(typing(Window.NONE, TypingState.NONE, T0)).isEqualTo(denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
    assertThat(typing(Window.NONE, typingAlready, T0.plusSeconds(1))).isEqualTo(denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
  }

  @Test
  void typing_at_exactly_closes_at_gets_45015() {
    var window = new Window(1, T0.plusSeconds(10), Trigger.ENTER);

    assertThat(typing(window, EXCHANGED_AT_T0, T0.plusSeconds(10))).isEqualTo(denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
    assertThat(typing(window, EXCHANGED_AT_T0, T0.plusSeconds(10).minus(NANO))).isInstanceOf(TypingDecision.Allowed.class);
  }

  @Test
  void typing_without_any_exchange_gets_45080() {
    assertThat(typing(LIVE, TypingState.NONE, T0)).isEqualTo(denied(WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING));
  }

  @Test
  void typing_right_after_an_exchange_shows_for_15_seconds() {
    assertThat(typing(LIVE, EXCHANGED_AT_T0, T0.plusSeconds(2)))
        .isEqualTo(new TypingDecision.Allowed(new TypingState(T0, T0.plusSeconds(17))));
  }

  @Test
  void typing_exactly_30_seconds_after_the_last_exchange_is_allowed() {
    assertThat(typing(LIVE, EXCHANGED_AT_T0, T0.plusSeconds(30)))
        .isEqualTo(new TypingDecision.Allowed(new TypingState(T0, T0.plusSeconds(45))));
  }

  @Test
  void typing_beyond_30_seconds_after_the_last_exchange_gets_45080() {
    assertThat(typing(LIVE, EXCHANGED_AT_T0, T0.plusSeconds(30).plus(NANO)))
        .isEqualTo(denied(WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING));
    assertThat(typing(LIVE, EXCHANGED_AT_T0, T0.plusSeconds(31))).isEqualTo(denied(WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING));
  }

  @Test
  void typing_again_within_15_seconds_gets_45081() {
    TypingState typingSinceT0 = allowed(typing(LIVE, EXCHANGED_AT_T0, T0));

    assertThat(typing(LIVE, typingSinceT0, T0)).isEqualTo(denied(WxError.ALREADY_TYPING));
    assertThat(typing(LIVE, typingSinceT0, T0.plusSeconds(15).minus(NANO))).isEqualTo(denied(WxError.ALREADY_TYPING));
  }

  @Test
  void typing_is_allowed_again_once_15_seconds_have_passed() {
    TypingState typingSinceT0 = allowed(typing(LIVE, EXCHANGED_AT_T0, T0));

    assertThat(typing(LIVE, typingSinceT0, T0.plusSeconds(15)))
        .isEqualTo(new TypingDecision.Allowed(new TypingState(T0, T0.plusSeconds(30))));
  }

  @Test
  void the_30_second_rule_is_checked_before_already_typing() {
    TypingState typingSince20s = allowed(typing(LIVE, EXCHANGED_AT_T0, T0.plusSeconds(20)));

    assertThat(typing(LIVE, typingSince20s, T0.plusSeconds(31))).isEqualTo(denied(WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING));
  }

  @Test
  void cancel_typing_stops_the_indicator_and_keeps_the_last_exchange() {
    TypingState typingSinceT0 = allowed(typing(LIVE, EXCHANGED_AT_T0, T0));

    assertThat(TypingRules.onCommand(TypingCommand.CANCEL_TYPING, LIVE, typingSinceT0, T0.plusSeconds(3)))
        .isEqualTo(new TypingDecision.Allowed(new TypingState(T0, null)));
  }

  @Test
  void typing_right_after_a_cancel_is_allowed() {
    TypingState typingSinceT0 = allowed(typing(LIVE, EXCHANGED_AT_T0, T0));
    TypingState cancelled = allowed(TypingRules.onCommand(TypingCommand.CANCEL_TYPING, LIVE, typingSinceT0, T0.plusSeconds(1)));

    assertThat(typing(LIVE, cancelled, T0.plusSeconds(2))).isInstanceOf(TypingDecision.Allowed.class);
  }

  @Test
  void cancel_typing_when_not_typing_is_allowed_even_without_an_exchange() {
    assertThat(TypingRules.onCommand(TypingCommand.CANCEL_TYPING, LIVE, TypingState.NONE, T0))
        .isEqualTo(new TypingDecision.Allowed(TypingState.NONE));
  }

  @Test
  void cancel_typing_with_a_closed_window_gets_45015() {
    assertThat(TypingRules.onCommand(TypingCommand.CANCEL_TYPING, Window.NONE, EXCHANGED_AT_T0, T0))
        .isEqualTo(denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
  }

  @Test
  void a_message_exchanged_while_typing_cancels_typing() {
    TypingState typingSinceT0 = allowed(typing(LIVE, EXCHANGED_AT_T0, T0));
    TypingState afterSend = typingSinceT0.exchangedAt(T0.plusSeconds(5));

    assertThat(afterSend.isTyping(T0.plusSeconds(5))).isFalse();
    assertThat(afterSend.lastExchangeAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(typing(LIVE, afterSend, T0.plusSeconds(6))).isInstanceOf(TypingDecision.Allowed.class);
  }

  @Test
  void a_typing_state_shows_until_but_not_at_its_end() {
    var state = new TypingState(T0, T0.plusSeconds(15));

    assertThat(state.isTyping(T0.plusSeconds(15).minus(NANO))).isTrue();
    assertThat(state.isTyping(T0.plusSeconds(15))).isFalse();
    assertThat(TypingState.NONE.isTyping(T0)).isFalse();
  }

  private static TypingDecision typing(Window window, TypingState state, Instant now) {
    return TypingRules.onCommand(TypingCommand.TYPING, window, state, now);
  }

  private static TypingDecision denied(WxError error) {
    return new TypingDecision.Denied(error);
  }

  private static TypingState allowed(TypingDecision decision) {
    assertThat(decision).isInstanceOf(TypingDecision.Allowed.class);
    return ((TypingDecision.Allowed) decision).next();
  }
}
