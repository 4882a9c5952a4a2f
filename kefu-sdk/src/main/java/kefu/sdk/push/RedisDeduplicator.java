package kefu.sdk.push;

import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link Deduplicator} shared by every process that receives pushes for an app: {@code SET prefix+key 1 NX PX ttl}
 * is atomic in Redis, so of any number of receivers seeing the same MsgId exactly one gets {@code true}. Redis
 * expires the keys. Needs Jedis on the class path (an optional dependency of the SDK).
 *
 * <p>Thread-safety: no state of its own; give it a thread-safe client ({@code RedisClient}, {@code JedisPooled}).
 * A Redis failure is broken infrastructure and propagates as Jedis's exception; the push is then not answered, and
 * WeChat retries it.
 */
public final class RedisDeduplicator implements Deduplicator {
  public static final String DEFAULT_PREFIX = "kefu:push:seen:";

  private final UnifiedJedis redis;
  private final String prefix;

  /** @param prefix prepended to every key, e.g. {@link #DEFAULT_PREFIX} or one per environment */
  public RedisDeduplicator(UnifiedJedis redis, String prefix) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public boolean firstTime(String key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    long millis = Math.max(1, ttl.toMillis());
    return "OK".equals(redis.set(prefix + key, "1", SetParams.setParams().nx().px(millis)));
  }

  @Override
  public void forget(String key) {
    redis.del(prefix + key);
  }

  public String prefix() {
    return prefix;
  }

  @Override
  public String toString() {
    return "RedisDeduplicator[prefix=" + prefix + "]";
  }
}
