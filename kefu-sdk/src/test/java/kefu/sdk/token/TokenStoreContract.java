package kefu.sdk.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link TokenStore} guarantees; each implementation's test extends this. */
abstract class TokenStoreContract {
  static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");

  abstract TokenStore store();

  static StoredToken token(String value, long issuedSecondsAfterT0) {
    Instant issued = T0.plusSeconds(issuedSecondsAfterT0);
    return new StoredToken(value, issued, issued.plusSeconds(7200));
  }

  @Test
  void an_empty_store_finds_nothing() {
    assertThat(store().find("wxa")).isEmpty();
  }

  @Test
  void an_offered_token_is_found_for_its_app_only() {
    StoredToken t = token("t1", 0);
    assertThat(store().offer("wxa", t)).isEqualTo(t);
    assertThat(store().find("wxa")).contains(t);
    assertThat(store().find("wxb")).isEmpty();
  }

  @Test
  void a_newer_token_replaces_an_older_one() {
    store().offer("wxa", token("old", 0));
    StoredToken newer = token("new", 10);
    assertThat(store().offer("wxa", newer)).isEqualTo(newer);
    assertThat(store().find("wxa")).contains(newer);
  }

  @Test
  void an_older_token_never_overwrites_a_newer_one() {
    StoredToken newer = token("new", 10);
    store().offer("wxa", newer);
    assertThat(store().offer("wxa", token("old", 0))).isEqualTo(newer);
    assertThat(store().find("wxa")).contains(newer);
  }

  @Test
  void on_a_tie_the_later_writer_wins() {
    store().offer("wxa", token("first", 0));
    StoredToken second = token("second", 0);
    assertThat(store().offer("wxa", second)).isEqualTo(second);
    assertThat(store().find("wxa")).contains(second);
  }

  @Test
  void invalidating_drops_the_token_only_if_it_is_still_the_one_held() {
    store().offer("wxa", token("t1", 0));
    store().offer("wxa", token("t2", 10));
    store().invalidate("wxa", "t1");
    assertThat(store().find("wxa").map(StoredToken::value)).contains("t2");
    store().invalidate("wxa", "t2");
    assertThat(store().find("wxa")).isEmpty();
  }

  @Test
  void an_older_token_does_not_overwrite_an_invalidated_newer_one_but_is_handed_back() {
    store().offer("wxa", token("t2", 10));
    store().invalidate("wxa", "t2");
    StoredToken older = token("t1", 0);
    assertThat(store().offer("wxa", older)).isEqualTo(older);
    assertThat(store().find("wxa")).isEmpty();
    StoredToken newest = token("t3", 20);
    assertThat(store().offer("wxa", newest)).isEqualTo(newest);
    assertThat(store().find("wxa")).contains(newest);
  }

  @Test
  void one_lease_at_a_time_per_app() {
    Optional<TokenStore.Lease> first = store().tryLease("wxa", Duration.ofSeconds(10));
    assertThat(first).isPresent();
    assertThat(store().tryLease("wxa", Duration.ofSeconds(10))).isEmpty();
    Optional<TokenStore.Lease> other = store().tryLease("wxb", Duration.ofSeconds(10));
    assertThat(other).isPresent();
    first.get().close();
    Optional<TokenStore.Lease> next = store().tryLease("wxa", Duration.ofSeconds(10));
    assertThat(next).isPresent();
    next.get().close();
    other.get().close();
  }

  @Test
  void closing_a_lease_twice_does_not_release_the_next_holders() {
    TokenStore.Lease first = store().tryLease("wxa", Duration.ofSeconds(10)).orElseThrow();
    first.close();
    TokenStore.Lease second = store().tryLease("wxa", Duration.ofSeconds(10)).orElseThrow();
    first.close();
    assertThat(store().tryLease("wxa", Duration.ofSeconds(10))).isEmpty();
    second.close();
  }

  @Test
  void concurrent_offers_leave_the_newest_token() throws Exception {
    int writers = 8;
    int each = 25;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers, r -> new Thread(r, "token-writer"));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            long issued = (i * writers + writer) * 7919L % (writers * each);
            StoredToken offered = token("t" + issued, issued);
            StoredToken kept = store().offer("wxa", offered);
            assertThat(kept.issuedAt()).isAfterOrEqualTo(offered.issuedAt());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long newest = writers * each - 1;
    assertThat(store().find("wxa")).contains(token("t" + newest, newest));
  }
}
