package kefu.sdk.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The in-process de-duplicator: once per key within the TTL, bounded, safe under races (spec §6.5). */
class InMemoryDeduplicatorTest {
  private static final Duration TTL = Duration.ofMinutes(5);

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private volatile Instant now = Instant.ofEpochSecond(1714112445L);

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final MovingClock clock = new MovingClock();

  @Test
  void a_key_is_new_once_until_its_ttl_passes() {
    InMemoryDeduplicator seen = new InMemoryDeduplicator(10, clock);

    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isTrue();
    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isFalse();
    assertThat(seen.firstTime("gh_1:msg:2", TTL)).isTrue();
    clock.advance(TTL.minusMillis(1));
    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isTrue();
  }

  @Test
  void expired_keys_are_purged_and_the_size_is_bounded_oldest_first() {
    InMemoryDeduplicator seen = new InMemoryDeduplicator(3, clock);
    for (int i = 0; i < 5; i++) {
      assertThat(seen.firstTime("k" + i, TTL)).isTrue();
    }
    assertThat(seen.size()).isEqualTo(3);
    assertThat(seen.firstTime("k4", TTL)).as("the newest are kept").isFalse();
    assertThat(seen.firstTime("k0", TTL)).as("the oldest went first").isTrue();

    clock.advance(TTL);
    assertThat(seen.firstTime("fresh", TTL)).isTrue();
    assertThat(seen.size()).isEqualTo(1);
  }

  @Test
  void a_forgotten_key_is_new_again() {
    InMemoryDeduplicator seen = new InMemoryDeduplicator(10, clock);
    seen.firstTime("k", TTL);
    seen.forget("k");
    assertThat(seen.firstTime("k", TTL)).isTrue();
  }

  @Test
  void of_many_threads_racing_on_one_key_exactly_one_is_first() throws Exception {
    InMemoryDeduplicator seen = new InMemoryDeduplicator(1000, clock);
    int threads = 16;
    for (int round = 0; round < 50; round++) {
      String key = "race:" + round;
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        racers.add(() -> {
          start.await();
          return seen.firstTime(key, TTL);
        });
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (Callable<Boolean> r : racers) {
          results.add(pool.submit(r));
        }
        start.countDown();
        int firsts = 0;
        for (Future<Boolean> f : results) {
          firsts += f.get() ? 1 : 0;
        }
        assertThat(firsts).as("round " + round).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void the_bound_and_ttl_must_be_positive() {
    assertThatThrownBy(() -> new InMemoryDeduplicator(0, clock)).hasMessageContaining("maxKeys");
    assertThatThrownBy(() -> new InMemoryDeduplicator(1, clock).firstTime("k", Duration.ZERO))
        .hasMessageContaining("ttl");
    assertThat(InMemoryDeduplicator.withDefaults().toString()).contains("100000");
  }
}
