package kefu.sdk.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Tokens in Redis, shared by every process of an app. Needs Jedis on the class path (an optional dependency of the
 * SDK); pass a {@code RedisClient} (or any {@link UnifiedJedis}) that the application owns and closes.
 *
 * <p>Layout, under {@code keyPrefix}: {@code token:{appid}} is a hash {@code value}, {@code issued_at_ms},
 * {@code expires_at_ms}, {@code invalid} ("1" once a client reported it dead); it expires an hour after the token
 * would (garbage collection only: freshness is judged by the clients). {@code refresh-lease:{appid}} is the
 * refresh lease, {@code SET NX PX}, holding a random owner id so that only its holder deletes it.
 *
 * <p>Atomicity: {@link #offer} and {@link #invalidate} are Lua scripts, so the compare and the write happen in one
 * step on the server; an older token ({@code issued_at_ms} lower) never replaces a newer one, whatever the
 * interleaving (on a tie the later writer wins). {@code issued_at_ms} comes from the writing client's clock: keep
 * the hosts' clocks in sync (the lease makes two writers at once rare in the first place).
 *
 * <p>Thread-safety: no state but the final fields; Jedis's client is itself safe for concurrent use.
 */
public final class RedisTokenStore implements TokenStore {
  /** Keys of the default prefix start with this. */
  public static final String DEFAULT_PREFIX = "kefu:sdk:";
  private static final Duration GC_AFTER_EXPIRY = Duration.ofHours(1);

  /** KEYS[1] the token hash; ARGV value, issued_at_ms, expires_at_ms, ttl_ms. Returns what the hash holds after. */
  private static final String OFFER = String.join("\n",
      "local cur = redis.call('HMGET', KEYS[1], 'value', 'issued_at_ms', 'expires_at_ms', 'invalid')",
      "if cur[1] then",
      "  if tonumber(cur[2]) > tonumber(ARGV[2]) then",
      "    return {cur[1], cur[2], cur[3], cur[4] or '0'}",
      "  end",
      "end",
      "redis.call('HSET', KEYS[1], 'value', ARGV[1], 'issued_at_ms', ARGV[2], 'expires_at_ms', ARGV[3],"
          + " 'invalid', '0')",
      "redis.call('PEXPIRE', KEYS[1], ARGV[4])",
      "return {ARGV[1], ARGV[2], ARGV[3], '0'}");

  /** KEYS[1] the token hash; ARGV[1] the dead value. */
  private static final String INVALIDATE = String.join("\n",
      "if redis.call('HGET', KEYS[1], 'value') == ARGV[1] then",
      "  redis.call('HSET', KEYS[1], 'invalid', '1')",
      "  return 1",
      "end",
      "return 0");

  /** KEYS[1] the lease; ARGV[1] the owner. */
  private static final String RELEASE = String.join("\n",
      "if redis.call('GET', KEYS[1]) == ARGV[1] then",
      "  return redis.call('DEL', KEYS[1])",
      "end",
      "return 0");

  private final UnifiedJedis redis;
  private final String keyPrefix;

  public RedisTokenStore(UnifiedJedis redis) {
    this(redis, DEFAULT_PREFIX);
  }

  public RedisTokenStore(UnifiedJedis redis, String keyPrefix) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  @Override
  public Optional<StoredToken> find(String appid) {
    List<String> f = redis.hmget(tokenKey(appid), "value", "issued_at_ms", "expires_at_ms", "invalid");
    if (f.get(0) == null || f.get(1) == null || f.get(2) == null || "1".equals(f.get(3))) {
      return Optional.empty();
    }
    return Optional.of(token(f.get(0), f.get(1), f.get(2)));
  }

  @Override
  public StoredToken offer(String appid, StoredToken token) {
    long ttl = Duration.between(token.issuedAt(), token.expiresAt()).plus(GC_AFTER_EXPIRY).toMillis();
    Object reply = redis.eval(OFFER, List.of(tokenKey(appid)), List.of(token.value(),
        Long.toString(token.issuedAt().toEpochMilli()), Long.toString(token.expiresAt().toEpochMilli()),
        Long.toString(Math.max(ttl, 1))));
    List<?> held = (List<?>) reply;
    if ("1".equals(String.valueOf(held.get(3)))) {
      return token;
    }
    return token(String.valueOf(held.get(0)), String.valueOf(held.get(1)), String.valueOf(held.get(2)));
  }

  @Override
  public void invalidate(String appid, String value) {
    redis.eval(INVALIDATE, List.of(tokenKey(appid)), List.of(value));
  }

  @Override
  public Optional<Lease> tryLease(String appid, Duration ttl) {
    String key = keyPrefix + "refresh-lease:" + appid;
    String owner = UUID.randomUUID().toString();
    String ok = redis.set(key, owner, SetParams.setParams().nx().px(Math.max(1, ttl.toMillis())));
    if (!"OK".equals(ok)) {
      return Optional.empty();
    }
    return Optional.of(() -> redis.eval(RELEASE, List.of(key), List.of(owner)));
  }

  private String tokenKey(String appid) {
    return keyPrefix + "token:" + appid;
  }

  private static StoredToken token(String value, String issuedMs, String expiresMs) {
    return new StoredToken(value, Instant.ofEpochMilli(Long.parseLong(issuedMs)),
        Instant.ofEpochMilli(Long.parseLong(expiresMs)));
  }

  @Override
  public String toString() {
    return "RedisTokenStore[" + keyPrefix + "]";
  }
}
