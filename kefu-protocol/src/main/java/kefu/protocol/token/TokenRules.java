package kefu.protocol.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.random.RandomGenerator;
import kefu.protocol.WxError;

/**
 * Token lifetime and rotation (spec §2). An ordinary token lives 7200 s; fetching a new one supersedes the previous
 * one, which keeps working for a 5-minute grace. A stable token is handed back unchanged while valid and rotated in
 * its last 5 minutes; {@code force_refresh} is limited to 20 a day, at least 30 s apart, and revokes the previous
 * stable token at once. A forced call inside the 30 s spacing returns the current token (spec §12.11: "否则不会刷新");
 * the 21st forced call in a day answers 45009.
 */
public final class TokenRules {
  public static final Duration LIFETIME = Duration.ofSeconds(7200);
  public static final Duration GRACE = Duration.ofMinutes(5);
  public static final Duration STABLE_ROTATE_BEFORE_EXPIRY = Duration.ofMinutes(5);
  public static final int FORCE_REFRESH_PER_DAY = 20;
  public static final Duration FORCE_REFRESH_SPACING = Duration.ofSeconds(30);

  private TokenRules() {}

  /** Whether {@code token} (null when unknown) may call an API at {@code now}. */
  public static WxError check(AccessToken token, Instant now) {
    if (token == null) {
      return WxError.INVALID_CREDENTIAL;
    }
    if (token.revokedAt() != null && !now.isBefore(token.revokedAt())) {
      return WxError.INVALID_CREDENTIAL;
    }
    if (!now.isBefore(token.expiresAt())) {
      return WxError.ACCESS_TOKEN_EXPIRED;
    }
    return WxError.OK;
  }

  /**
   * The stable-token decision.
   *
   * @param current the live stable token, or null
   * @param forcedToday forced refreshes already done today
   * @param lastForcedAt when the last forced refresh happened, or null
   */
  public static StableDecision onStable(AccessToken current, boolean force, int forcedToday,
                                        Instant lastForcedAt, Instant now) {
    boolean usable = current != null && check(current, now) == WxError.OK;
    if (force) {
      if (lastForcedAt != null && now.isBefore(lastForcedAt.plus(FORCE_REFRESH_SPACING)) && usable) {
        return new StableDecision.Reuse(current);
      }
      if (forcedToday >= FORCE_REFRESH_PER_DAY) {
        return new StableDecision.Denied(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
      }
      return new StableDecision.Issue(true, true);
    }
    if (usable && now.isBefore(current.expiresAt().minus(STABLE_ROTATE_BEFORE_EXPIRY))) {
      return new StableDecision.Reuse(current);
    }
    return new StableDecision.Issue(false, false);
  }

  /** A new token issued at {@code now}. */
  public static AccessToken issue(String appid, TokenKind kind, boolean forced, Instant now, RandomGenerator random) {
    return new AccessToken(newValue(now, random), appid, kind, now, now.plus(LIFETIME), null, forced);
  }

  /**
   * A token value shaped like WeChat's: a decimal prefix, {@code _}, then URL-safe characters; 157 characters
   * in all carrying 924 random bits ({@code random} must be a {@code SecureRandom} outside tests).
   */
  static String newValue(Instant now, RandomGenerator random) {
    byte[] bytes = new byte[116];
    random.nextBytes(bytes);
    long prefix = 10 + Math.floorMod(now.getEpochSecond() / 86_400, 90);
    return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 154);
  }
}
