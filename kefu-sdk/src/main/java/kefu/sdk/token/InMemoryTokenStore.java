package kefu.sdk.token;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Tokens in this process's memory, the default. Clients sharing one instance share tokens; clients in other
 * processes do not (use {@link RedisTokenStore} there).
 *
 * <p>Thread-safety: each map entry is changed only inside {@link ConcurrentMap#compute}, which makes the
 * compare-and-set atomic per app. A lease here has no expiry: its holder is a thread of this process, which
 * releases it in a {@code finally}.
 */
public final class InMemoryTokenStore implements TokenStore {
  private record Entry(StoredToken token, boolean invalid) {}

  private final ConcurrentMap<String, Entry> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Object> leases = new ConcurrentHashMap<>();

  @Override
  public Optional<StoredToken> find(String appid) {
    Entry e = tokens.get(appid);
    return e == null || e.invalid() ? Optional.empty() : Optional.of(e.token());
  }

  @Override
  public StoredToken offer(String appid, StoredToken token) {
    Objects.requireNonNull(token, "token");
    Entry after = tokens.compute(appid, (k, cur) -> keepsCurrent(cur, token) ? cur : new Entry(token, false));
    return after.invalid() ? token : after.token();
  }

  private static boolean keepsCurrent(Entry cur, StoredToken offered) {
    if (cur == null) {
      return false;
    }
    return cur.token().issuedAt().isAfter(offered.issuedAt());
  }

  @Override
  public void invalidate(String appid, String value) {
    tokens.computeIfPresent(appid, (k, cur) -> cur.token().value().equals(value) ? new Entry(cur.token(), true) : cur);
  }

  @Override
  public Optional<Lease> tryLease(String appid, Duration ttl) {
    Object owner = new Object();
    if (leases.putIfAbsent(appid, owner) != null) {
      return Optional.empty();
    }
    return Optional.of(() -> leases.remove(appid, owner));
  }
}
