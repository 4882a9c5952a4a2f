package kefu.protocol.typing;

import java.time.Instant;

/**
 * What the typing rules need to know about a user: the last message exchanged in either direction, and until when
 * the developer's "typing" indicator shows (null when not typing). {@link #NONE} for a user with no exchange.
 */
public record TypingState(Instant lastExchangeAt, Instant typingUntil) {
  public static final TypingState NONE = new TypingState(null, null);

  public boolean isTyping(Instant now) {
    return typingUntil != null && now.isBefore(typingUntil);
  }

  public TypingState exchangedAt(Instant at) {
    return new TypingState(at, null);
  }
}
