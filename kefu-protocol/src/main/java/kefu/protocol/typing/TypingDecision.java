package kefu.protocol.typing;

import kefu.protocol.WxError;

/** The verdict of {@link TypingRules#onCommand}. */
public sealed interface TypingDecision {
  record Allowed(TypingState next) implements TypingDecision {}

  record Denied(WxError error) implements TypingDecision {}
}
