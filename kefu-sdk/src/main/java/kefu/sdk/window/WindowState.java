package kefu.sdk.window;

import java.util.Objects;
import java.time.Instant;

/**
 * A user's send window as the client sees it: whether customer-service messages may be sent now, how many, until
 * when ({@code closesAt}, null when closed), under which rule (kefu's app rule, or the tracker's) and where the
 * answer came from: {@link Source#KEFU} is kefu's own state, {@link Source#TRACKER} this process's estimate.
 */
public record WindowState(boolean open, int remaining, Instant closesAt, String rule, Source source) {
  public enum Source {
    /** kefu's introspection endpoint: exact. */
    KEFU,
    /** The client-side {@link WindowTracker}: an estimate (see its limits). */
    TRACKER
  }

  public WindowState {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(source, "source");
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must be >= 0, was " + remaining);
    }
  }

  /** Whether a send would be accepted now, as far as this state knows. */
  public boolean canSend() {
    return open && remaining > 0;
  }
}
