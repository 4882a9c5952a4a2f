package kefu.server.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How pushes are delivered (spec §6.5): each attempt waits {@code timeout} for the developer's server; a push gets
 * {@code attempts} attempts in all ("总共重试三次" read as three in total, spec §12.7), the n-th retry
 * {@code backoff × 2^(n-1)} after the previous failure, on kefu's clock.
 */
public record DeliveryOptions(Duration timeout, int attempts, Duration backoff) {
  public static final DeliveryOptions DEFAULTS = new DeliveryOptions(Duration.ofSeconds(5), 3, Duration.ofSeconds(1));

  public DeliveryOptions {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("push_timeout_ms must be positive");
    }
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("push_attempts must be between 1 and 10, was " + attempts);
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("push_backoff_ms must not be negative");
    }
  }

  /**
   * How long a node holds a push it is delivering before another node may take it over: two attempts' worth (one
   * may be a transparent retry on a stale connection) plus 5 seconds.
   */
  public Duration lease() {
    return timeout.multipliedBy(2).plusSeconds(5);
  }

  /** The wait after the {@code failed}-th failed attempt. */
  public Duration backoffAfter(int failed) {
    return backoff.multipliedBy(1L << Math.min(failed - 1, 16));
  }
}
