package kefu.protocol.window;

import java.time.Duration;
import java.util.Objects;

/** What one trigger grants: this many sends within this long. */
public record Allowance(int count, Duration duration) {
  public Allowance {
    Objects.requireNonNull(duration, "duration");
    if (count < 0) {
      throw new IllegalArgumentException("allowance count must be >= 0, was " + count);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("allowance duration must be positive, was " + duration);
    }
  }
}
