package kefu.protocol.fault;

import java.time.Instant;
import java.util.Objects;

/**
 * A fault rule of the platform's fault injection: which calls or pushes it matches, what it does to them, and for
 * how long. Criteria are optional (empty matches anything):
 * <ul>
 *   <li>{@code path}: a WeChat-API path, exactly ({@code /cgi-bin/message/custom/send}) or as a prefix ending in
 *       {@code *} ({@code /cgi-bin/message/custom/*}); only for call effects, pushes have no path;</li>
 *   <li>{@code appid}, {@code openid}: whom the call or push is about.</li>
 * </ul>
 * A rule applies to the next {@code count} matching calls or pushes (null: no count), until {@code expiresAt} on
 * kefu's clock (null: no end), whichever runs out first; at least one of the two is given. {@code used} counts the
 * times it applied. {@code id} is assigned by the store (0 before).
 */
public record FaultRule(long id, String path, String appid, String openid, FaultEffect effect, Integer count,
                        Instant expiresAt, int used, Instant createdAt) {
  /** What a rule is at an instant, as the platform API shows it. */
  public enum State { ACTIVE, USED_UP, EXPIRED }

  public FaultRule {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(createdAt, "createdAt");
    if (count == null && expiresAt == null) {
      throw new IllegalArgumentException("a fault rule needs a count, an end, or both");
    }
    if (count != null && count < 1) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    if (!path.isEmpty() && effect.onPushes()) {
      throw new IllegalArgumentException("a push effect matches no path");
    }
  }

  public FaultRule withId(long id) {
    return new FaultRule(id, path, appid, openid, effect, count, expiresAt, used, createdAt);
  }

  public State state(Instant now) {
    if (usedUp()) {
      return State.USED_UP;
    }
    return expiresAt != null && !now.isBefore(expiresAt) ? State.EXPIRED : State.ACTIVE;
  }

  /** Whether every use of a counted rule is gone (a used-up rule never applies again, whatever the clock). */
  public boolean usedUp() {
    return count != null && used >= count;
  }

  /** Whether the rule still applies at {@code now}: a use left and not expired. */
  public boolean live(Instant now) {
    return state(now) == State.ACTIVE;
  }

  /** Uses left; null when the rule has no count. */
  public Integer remaining() {
    return count == null ? null : Math.max(0, count - used);
  }

  /** Whether a WeChat-API call to {@code path} could match, whoever it is about. */
  public boolean mayMatchCall(String path) {
    if (effect.onPushes()) {
      return false;
    }
    if (this.path.isEmpty()) {
      return true;
    }
    return this.path.endsWith("*") ? path.startsWith(this.path.substring(0, this.path.length() - 1))
        : this.path.equals(path);
  }

  /** Whether a WeChat-API call to {@code path} about ({@code appid}, {@code openid}) matches ("" when unknown). */
  public boolean matchesCall(String path, String appid, String openid) {
    return mayMatchCall(path) && matchesSubject(appid, openid);
  }

  /** Whether a push to the developer's server about ({@code appid}, {@code openid}) matches. */
  public boolean matchesPush(String appid, String openid) {
    return effect.onPushes() && matchesSubject(appid, openid);
  }

  /** The mark of the journal entries this rule faulted. */
  public FaultMark mark() {
    return new FaultMark(id, effect.describe());
  }

  private boolean matchesSubject(String appid, String openid) {
    return (this.appid.isEmpty() || this.appid.equals(appid)) && (this.openid.isEmpty() || this.openid.equals(openid));
  }
}
