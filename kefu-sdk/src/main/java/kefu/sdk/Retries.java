package kefu.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a call that WeChat answered with {@code -1 system error} (or that could not reach it) is tried, and how
 * long to wait between tries: {@code firstBackoff}, then doubling, never more than {@code maxBackoff}. The waits go
 * through the client's {@link Sleeper}. A send is tried again only when the answer was {@code -1} or the connection
 * was refused, never after a timeout, which might have delivered the message.
 *
 * @param attempts tries in all, at least 1 (1 means no retry)
 */
public record Retries(int attempts, Duration firstBackoff, Duration maxBackoff) {
  /** 3 tries, waiting 200 ms and then 400 ms. */
  public static final Retries DEFAULT = new Retries(3, Duration.ofMillis(200), Duration.ofSeconds(5));
  /** One try. */
  public static final Retries NONE = new Retries(1, Duration.ZERO, Duration.ZERO);

  public Retries {
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (attempts < 1) {
      throw new IllegalArgumentException("retries: attempts must be at least 1, was " + attempts);
    }
    if (firstBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("retries: back-off must not be negative");
    }
  }

  public static Retries of(int attempts, Duration firstBackoff) {
    return new Retries(attempts, firstBackoff, DEFAULT.maxBackoff.compareTo(firstBackoff) >= 0
        ? DEFAULT.maxBackoff : firstBackoff);
  }

  /** The wait after failed try {@code n} (1-based): {@code firstBackoff × 2^(n-1)}, at most {@code maxBackoff}. */
  public Duration backoffAfter(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("tries are counted from 1, was " + n);
    }
    Duration d = firstBackoff;
    for (int i = 1; i < n && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
