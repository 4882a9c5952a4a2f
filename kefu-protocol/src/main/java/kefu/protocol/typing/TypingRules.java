package kefu.protocol.typing;

import java.time.Duration;
import java.time.Instant;
import kefu.protocol.WxError;
import kefu.protocol.window.Window;

/**
 * Typing rules (spec §4): typing needs a live send window (45015 first, spec §12.7), a message exchanged in either
 * direction within the last 30 s (45080), and no typing already showing (45081); a typing state lasts 15 s and a
 * send cancels it. {@code CancelTyping} needs only the live window and succeeds whether or not typing shows
 * (kefu's choice, spec §12.7). Typing consumes no quota.
 */
public final class TypingRules {
  public static final Duration EXCHANGE_WITHIN = Duration.ofSeconds(30);
  public static final Duration TYPING_LASTS = Duration.ofSeconds(15);

  private TypingRules() {}

  public static TypingDecision onCommand(TypingCommand command, Window window, TypingState state, Instant now) {
    if (!window.isOpen(now)) {
      return new TypingDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT);
    }
    if (command == TypingCommand.CANCEL_TYPING) {
      return new TypingDecision.Allowed(new TypingState(state.lastExchangeAt(), null));
    }
    if (state.lastExchangeAt() == null || now.isAfter(state.lastExchangeAt().plus(EXCHANGE_WITHIN))) {
      return new TypingDecision.Denied(WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING);
    }
    if (state.isTyping(now)) {
      return new TypingDecision.Denied(WxError.ALREADY_TYPING);
    }
    return new TypingDecision.Allowed(new TypingState(state.lastExchangeAt(), now.plus(TYPING_LASTS)));
  }
}
