package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allowance holds exactly under concurrency: never more successes than sends left. */
class ConcurrentSendHttpTest {
  @TempDir
  Path dir;

  @Test
  void sixty_four_concurrent_sends_against_five_left_give_exactly_five_successes() throws Exception {
    try (TestKefu kefu = TestKefu.start(dir)) {
      String token = kefu.token();
      String alice = kefu.newUser();
      kefu.says(alice, "hi");
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 64; i++) {
          int n = i;
          results.add(pool.submit(() -> {
            go.await();
            return kefu.sendText(token, alice, "reply " + n).errcode();
          }));
        }
        go.countDown();
        Map<Integer, Long> byCode = new java.util.TreeMap<>();
        for (Future<Integer> f : results) {
          byCode.merge(f.get(), 1L, Long::sum);
        }
        assertThat(byCode).isEqualTo(Map.of(0, 5L, 45047, 59L));
      }
      assertThat(kefu.conversation(alice)).hasSize(6);
      assertThat(kefu.window(alice).path("remaining").asInt()).isZero();
    }
  }
}
