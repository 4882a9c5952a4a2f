package kefu.sdk.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token as the client keeps it: the value, when it was received ({@code issuedAt}, on the receiving
 * client's clock; it orders tokens, so an older one never replaces a newer one) and when it stops working
 * ({@code expiresAt} = issuedAt + {@code expires_in}).
 */
public record StoredToken(String value, Instant issuedAt, Instant expiresAt) {
  public StoredToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * When to fetch the next one: {@code margin} before expiry, or half-way through the token's life when it was
   * handed out with less than twice the margin left (a stable token in its last minutes).
   */
  public Instant refreshDueAt(Duration margin) {
    Duration life = Duration.between(issuedAt, expiresAt);
    Duration half = life.dividedBy(2);
    return expiresAt.minus(margin.compareTo(half) > 0 ? half : margin);
  }

  /** Whether the token is still good to use at {@code now}, {@code margin} before expiry. */
  public boolean isFreshAt(Instant now, Duration margin) {
    return now.isBefore(refreshDueAt(margin));
  }

  /** Masks the value: tokens are secrets. */
  @Override
  public String toString() {
    return "StoredToken[" + value.substring(0, Math.min(6, value.length())) + "… issued " + issuedAt
        + " expires " + expiresAt + "]";
  }
}
