package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One refresh in flight: while the token request is held open, every other caller is parked waiting for it, and
 * all of them get its token.
 */
class SingleFlightHttpTest {
  private final StubWeChat wechat = StubWeChat.start();

  @AfterEach
  void stop() {
    wechat.close();
  }

  @Test
  void callers_arriving_during_a_refresh_wait_for_it_instead_of_starting_their_own() throws Exception {
    KefuClient client = KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri()).build();
    CountDownLatch gate = wechat.holdTokens();
    int callers = 12;
    AtomicInteger names = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(callers, r -> {
      Thread t = new Thread(r, "token-caller-" + names.incrementAndGet());
      threads.add(t);
      return t;
    });
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        tokens.add(pool.submit(() -> client.accessToken()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> wechat.requests("/cgi-bin/token").size() == 1
          && threads.size() == callers
          && threads.stream().filter(t -> isIn(t, "lead")).count() == 1
          && threads.stream().filter(t -> isIn(t, "await") && t.getState() == Thread.State.WAITING).count()
              == callers - 1);
      assertThat(wechat.requests("/cgi-bin/token")).hasSize(1);
      gate.countDown();
      for (Future<String> f : tokens) {
        assertThat(get(f)).isEqualTo("token-1");
      }
      assertThat(wechat.requests("/cgi-bin/token")).hasSize(1);
    } finally {
      gate.countDown();
      pool.shutdownNow();
    }
  }

  /** Whether {@code t} is inside {@code TokenCache.<method>} now. */
  private static boolean isIn(Thread t, String method) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(TokenCache.class.getName()) && e.getMethodName().equals(method)) {
        return true;
      }
    }
    return false;
  }

  private static String get(Future<String> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }
}
