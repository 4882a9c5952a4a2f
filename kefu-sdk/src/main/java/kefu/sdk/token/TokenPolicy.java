package kefu.sdk.token;

import java.time.Duration;
import java.util.Objects;

/**
 * When a client refreshes its token and how it waits for another process's refresh.
 *
 * @param refreshMargin fetch a new token this long before the current one expires (on the client's clock)
 * @param leaseTtl how long a refresh lease holds at most; a crashed holder blocks the others this long
 * @param leasePoll how often a client waiting on another's lease looks at the store again
 */
public record TokenPolicy(Duration refreshMargin, Duration leaseTtl, Duration leasePoll) {
  /** Refresh 5 minutes early; a 15 s lease; look every 50 ms. */
  public static final TokenPolicy DEFAULT =
      new TokenPolicy(Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofMillis(50));

  public TokenPolicy {
    Objects.requireNonNull(refreshMargin, "refreshMargin");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    Objects.requireNonNull(leasePoll, "leasePoll");
    if (refreshMargin.isNegative()) {
      throw new IllegalArgumentException("tokenPolicy.refreshMargin must not be negative");
    }
    if (leaseTtl.compareTo(Duration.ofMillis(1)) < 0 || leasePoll.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("tokenPolicy.leaseTtl and leasePoll must be at least 1 ms");
    }
  }

  /** How many times a waiting client polls before it refreshes without the lease (the lease has lapsed by then). */
  public int maxPolls() {
    return (int) Math.max(1, leaseTtl.toMillis() / Math.max(1, leasePoll.toMillis()));
  }
}
