package kefu.protocol.window;

import java.time.Instant;

/**
 * A user's send window: how many customer-service messages the developer may still send, until when, and which
 * trigger last set it. {@link #NONE} is the window of a user who never interacted.
 */
public record Window(int remaining, Instant closesAt, Trigger grantedBy) {
  public static final Window NONE = new Window(0, Instant.EPOCH, null);

  public boolean isOpen(Instant now) {
    return now.isBefore(closesAt);
  }

  /**
   * A send at {@code now}: refused with 45015 when the window is closed, 45047 when nothing is left, else allowed
   * with one send fewer. The same for every rules table (the rules decide what triggers grant, not what a send costs).
   */
  public SendDecision send(Instant now) {
    if (!isOpen(now)) {
      return new SendDecision.Denied(kefu.protocol.WxError.RESPONSE_OUT_OF_TIME_LIMIT);
    }
    if (remaining <= 0) {
      return new SendDecision.Denied(kefu.protocol.WxError.OUT_OF_RESPONSE_COUNT_LIMIT);
    }
    return new SendDecision.Allowed(new Window(remaining - 1, closesAt, grantedBy));
  }

  /** Sends left at {@code now}: zero once the window has closed. */
  public int remainingAt(Instant now) {
    return isOpen(now) ? remaining : 0;
  }
}
