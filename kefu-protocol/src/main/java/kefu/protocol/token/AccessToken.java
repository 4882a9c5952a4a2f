package kefu.protocol.token;

import java.time.Instant;
import java.util.Objects;

/**
 * An issued access token. {@code revokedAt}, when set, is the instant it stops working because a newer token
 * superseded it (issue time of the newer one plus the grace period, or at once for a forced stable refresh).
 */
public record AccessToken(String value, String appid, TokenKind kind, Instant issuedAt, Instant expiresAt,
                          Instant revokedAt, boolean forced) {
  public AccessToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public AccessToken revokedAt(Instant at) {
    Instant effective = revokedAt != null && revokedAt.isBefore(at) ? revokedAt : at;
    return new AccessToken(value, appid, kind, issuedAt, expiresAt, effective, forced);
  }

  /** Seconds of life left at {@code now}, as {@code expires_in} reports it. */
  public long expiresInSeconds(Instant now) {
    return Math.max(0, expiresAt.getEpochSecond() - now.getEpochSecond());
  }

  /** The token's state at {@code now}, as the dashboard and the introspection API name it. */
  public String stateAt(Instant now) {
    if (revokedAt != null) {
      return now.isBefore(revokedAt) ? "in_grace" : "superseded";
    }
    return now.isBefore(expiresAt) ? "valid" : "expired";
  }

  @Override
  public String toString() {
    return "AccessToken[" + kind + " " + appid + " " + value.substring(0, Math.min(8, value.length()))
        + "… issued " + issuedAt + " expires " + expiresAt + " revoked " + revokedAt + "]";
  }
}
