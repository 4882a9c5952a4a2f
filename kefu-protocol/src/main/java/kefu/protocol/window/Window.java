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

  /** Sends left at {@code now}: zero once the window has closed. */
  public int remainingAt(Instant now) {
    return isOpen(now) ? remaining : 0;
  }
}
