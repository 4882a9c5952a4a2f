package kefu.sdk.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Deduplicator} for one process: at most {@code maxKeys} keys, each kept until its TTL passes on
 * {@code clock}. When full, the oldest key is dropped first: memory stays bounded, and a push retried after more than
 * {@code maxKeys} newer ones would be handled again. Use {@link RedisDeduplicator} when several processes receive
 * pushes.
 *
 * <p>Thread-safety: {@code lock} guards {@code expiries}, a map from key to expiry in insertion order; every method
 * takes it for the whole check-and-mark, so two threads racing on one key get exactly one {@code true}. No I/O happens
 * under the lock. Expired keys are purged from the oldest end on each call (stopping at the first live one, so with
 * mixed TTLs a few expired keys may wait for eviction); a lookup treats an expired key as absent either way.
 */
public final class InMemoryDeduplicator implements Deduplicator {
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private final int maxKeys;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

  public InMemoryDeduplicator(int maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
    }
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@value #DEFAULT_MAX_KEYS} keys on the system clock. */
  public static InMemoryDeduplicator withDefaults() {
    return new InMemoryDeduplicator(DEFAULT_MAX_KEYS, Clock.systemUTC());
  }

  @Override
  public boolean firstTime(String key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    Instant now = clock.instant();
    lock.lock();
    try {
      purgeExpired(now);
      Instant until = expiries.get(key);
      if (until != null && until.isAfter(now)) {
        return false;
      }
      expiries.remove(key);
      expiries.put(key, now.plus(ttl));
      Iterator<String> oldest = expiries.keySet().iterator();
      while (expiries.size() > maxKeys) {
        oldest.next();
        oldest.remove();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void forget(String key) {
    lock.lock();
    try {
      expiries.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /** The keys held, live or not yet purged. */
  public int size() {
    lock.lock();
    try {
      return expiries.size();
    } finally {
      lock.unlock();
    }
  }

  private void purgeExpired(Instant now) {
    Iterator<Map.Entry<String, Instant>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().isAfter(now)) {
        return;
      }
      it.remove();
    }
  }

  @Override
  public String toString() {
    return "InMemoryDeduplicator[maxKeys=" + maxKeys + ", size=" + size() + "]";
  }
}
