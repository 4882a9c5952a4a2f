package kefu.sdk;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kefu.sdk.token.InMemoryTokenStore;
import kefu.sdk.token.RedisTokenStore;
import kefu.sdk.token.TestRedis;
import redis.clients.jedis.RedisClient;

/**
 * One "process" of the race test: a {@link KefuClient} with its own token store, loaded by
 * {@link TokenRaceTest} in a class loader of its own, so that it shares no class, no static and no object with
 * the other worker, just as a second JVM would not. It speaks to the test only through JDK types.
 *
 * <p>Settings: {@code baseUrl}, {@code appid}, {@code secret}, {@code clock} (a {@link Clock}), {@code openids}
 * (a list), {@code threads}, {@code name}, and {@code redisPrefix} (absent: an {@link InMemoryTokenStore}, the
 * naive client).
 */
public final class RaceWorker implements Function<Integer, Map<String, Integer>>, AutoCloseable {
  private final KefuClient client;
  private final RedisClient redis;
  private final List<String> openids;
  private final int threads;
  private final String name;

  @SuppressWarnings("unchecked")
  public RaceWorker(Map<String, Object> settings) {
    String prefix = (String) settings.get("redisPrefix");
    this.redis = prefix == null ? null : RedisClient.create(TestRedis.HOST, TestRedis.PORT);
    this.openids = List.copyOf((List<String>) settings.get("openids"));
    this.threads = (Integer) settings.get("threads");
    this.name = (String) settings.get("name");
    this.client = KefuClient.builder()
        .appid((String) settings.get("appid"))
        .secret((String) settings.get("secret"))
        .baseUrl(URI.create((String) settings.get("baseUrl")))
        .clock((Clock) settings.get("clock"))
        .tokenStore(redis == null ? new InMemoryTokenStore() : new RedisTokenStore(redis, prefix))
        .build();
  }

  /**
   * One round: {@code threads} threads each send {@code sendsPerThread} texts at once, round robin over the users.
   * Returns how the sends ended: {@code ok}, or {@code errcode <n>}.
   */
  @Override
  public Map<String, Integer> apply(Integer sendsPerThread) {
    Map<String, AtomicInteger> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> new Thread(r, "race-" + name + "-" + names.incrementAndGet()));
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < sendsPerThread; i++) {
            String key;
            try {
              client.sendText(openids.get((thread + i) % openids.size()), name + " " + thread + "/" + i);
              key = "ok";
            } catch (WxException e) {
              key = "errcode " + e.errcode();
            }
            outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(name + " failed", e);
    } finally {
      pool.shutdownNow();
    }
    Map<String, Integer> counts = new TreeMap<>();
    outcomes.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
    }
  }
}
