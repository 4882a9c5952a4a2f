package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import kefu.sdk.token.RedisTokenStore;
import kefu.sdk.token.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The race the token store exists for. Two "processes" (each a {@link RaceWorker} in a class loader of its own:
 * separate copies of the SDK, Jedis and Jackson, nothing shared but the JDK) send to the same app at once, round
 * after round, while kefu's clock moves 6 minutes between rounds (past the 5-minute grace of a superseded token).
 *
 * <p>Naive workers each keep their own token and fetch it with {@code /cgi-bin/token}: each fetch supersedes the
 * other's token, which dies after the grace, so every round one of them gets a burst of 40001s and fetches again,
 * superseding the other. Workers sharing a {@link RedisTokenStore} fetch once between them and never see 40001.
 * The figures are printed to the test's output ({@code target/surefire-reports/kefu.sdk.TokenRaceTest-output.txt}).
 */
class TokenRaceTest {
  private static final int ROUNDS = 4;
  private static final int THREADS = 4;
  private static final int SENDS_PER_THREAD = 10;

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private TestRedis redis;

  @BeforeEach
  void connect() {
    redis = TestRedis.connect();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    redis.close();
  }

  record Figures(int tokenRequests, int invalidCredential, Map<String, Integer> outcomes) {}

  @Test
  void workers_sharing_redis_fetch_one_token_and_see_no_40001_while_naive_workers_supersede_each_other()
      throws Exception {
    Figures shared = race(kefu, redis.prefix());
    TestKefu another = TestKefu.started();
    closing.add(another);
    Figures naive = race(another, null);
    System.out.printf("race: %d rounds of %d threads x %d sends per worker, two workers, clock +6 min a round%n",
        ROUNDS, THREADS, SENDS_PER_THREAD);
    System.out.printf("race: shared Redis store: token requests %d, 40001 answers %d, sends %s%n",
        shared.tokenRequests(), shared.invalidCredential(), shared.outcomes());
    System.out.printf("race: naive in-memory:    token requests %d, 40001 answers %d, sends %s%n",
        naive.tokenRequests(), naive.invalidCredential(), naive.outcomes());

    int sends = 2 * ROUNDS * THREADS * SENDS_PER_THREAD;
    assertThat(shared.invalidCredential()).isZero();
    assertThat(shared.tokenRequests()).isEqualTo(1);
    assertThat(shared.outcomes()).isEqualTo(Map.of("ok", sends));
    assertThat(redis.keyCount()).as("the shared token, under the test's prefix; the lease is gone").isEqualTo(1);

    assertThat(naive.invalidCredential()).as("naive workers knock each other's token out")
        .isGreaterThanOrEqualTo(ROUNDS - 1);
    assertThat(naive.tokenRequests()).isGreaterThanOrEqualTo(2 + ROUNDS - 1);
    assertThat(naive.outcomes()).as("each 40001 cost a refresh and a retry, not a lost send")
        .isEqualTo(Map.of("ok", sends));
  }

  /** Two workers on {@code server}; {@code redisPrefix} null for naive workers. */
  private Figures race(TestKefu server, String redisPrefix) throws Exception {
    String appid = TestKefu.DEMO.appid();
    server.putApp(appid, "{\"rules\":{\"name\":\"race\",\"enter\":{\"count\":1,\"seconds\":60},"
        + "\"message\":{\"count\":100000,\"seconds\":172800}}}");
    List<String> openids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      openids.add(server.userWhoWrote());
    }
    List<Function<Integer, Map<String, Integer>>> workers = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      Map<String, Object> settings = new HashMap<>();
      settings.put("baseUrl", server.baseUri().toString());
      settings.put("appid", appid);
      settings.put("secret", TestKefu.DEMO.secret());
      settings.put("clock", server.clock());
      settings.put("openids", openids);
      settings.put("threads", THREADS);
      settings.put("name", (redisPrefix == null ? "naive-" : "shared-") + name);
      if (redisPrefix != null) {
        settings.put("redisPrefix", redisPrefix);
      }
      workers.add(isolatedWorker(settings));
    }

    Map<String, Integer> outcomes = new HashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "race-round"));
    try {
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<Map<String, Integer>>> running = workers.stream()
            .map(w -> CompletableFuture.supplyAsync(() -> w.apply(SENDS_PER_THREAD), pool)).toList();
        for (CompletableFuture<Map<String, Integer>> r : running) {
          r.join().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
        }
        server.advance(Duration.ofMinutes(6));
      }
    } finally {
      pool.shutdownNow();
    }
    return new Figures(server.tokenRequests(), server.answered(40001), outcomes);
  }

  /** A {@link RaceWorker} from a fresh class loader over the test class path, whose parent is the platform's. */
  @SuppressWarnings("unchecked")
  private Function<Integer, Map<String, Integer>> isolatedWorker(Map<String, Object> settings) throws Exception {
    URLClassLoader loader = new URLClassLoader("race-" + settings.get("name"), testClassPath(),
        ClassLoader.getPlatformClassLoader());
    closing.add(loader);
    Class<?> type = loader.loadClass(RaceWorker.class.getName());
    assertThat(type).as("a separate copy of the worker").isNotSameAs(RaceWorker.class);
    assertThat(loader.loadClass(KefuClient.class.getName())).as("a separate copy of the SDK")
        .isNotSameAs(KefuClient.class);
    Object worker = type.getConstructor(Map.class).newInstance(settings);
    closing.add((AutoCloseable) worker);
    return (Function<Integer, Map<String, Integer>>) worker;
  }

  /** Surefire's test class path, unpacked from its manifest-only jar when it uses one. */
  private static URL[] testClassPath() throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      File f = new File(entry);
      urls.add(f.toURI().toURL());
      if (f.getName().startsWith("surefirebooter") && f.getName().endsWith(".jar")) {
        try (JarFile jar = new JarFile(f)) {
          Manifest m = jar.getManifest();
          String inner = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (inner != null) {
            for (String u : inner.trim().split("\\s+")) {
              urls.add(f.toURI().resolve(u).toURL());
            }
          }
        }
      }
    }
    return urls.toArray(URL[]::new);
  }
}
