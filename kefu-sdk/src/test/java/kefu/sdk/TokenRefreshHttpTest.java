package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.sdk.token.InMemoryTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The token's life against a real kefu: caching, refresh before expiry, recovery from 42001 and 40001, one flight. */
class TokenRefreshHttpTest {
  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void a_token_about_to_expire_on_the_shared_clock_is_refreshed_before_the_call() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    String first = client.accessToken();
    kefu.advance(Duration.ofSeconds(7200 - 299));
    client.sendText(alice, "after almost two hours");
    assertThat(client.accessToken()).isNotEqualTo(first);
    assertThat(kefu.tokenRequests()).isEqualTo(2);
    assertThat(kefu.answered(42001)).isZero();
  }

  @Test
  void after_7200_seconds_on_kefus_clock_the_next_call_refreshes_transparently() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    client.sendText(alice, "before");
    kefu.advance(Duration.ofSeconds(7200));
    kefu.says(alice, "still there?");
    client.sendText(alice, "after");
    assertThat(kefu.tokenRequests()).isEqualTo(2);
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 0, null)).hasSize(2);
  }

  @Test
  void a_client_whose_clock_missed_the_expiry_gets_42001_once_then_refreshes_and_retries() {
    KefuClient client = kefu.client().clock(Clock.fixed(kefu.clock().instant(), kefu.clock().getZone())).build();
    String alice = kefu.userWhoWrote();
    client.sendText(alice, "before");
    kefu.advance(Duration.ofSeconds(7200));
    kefu.says(alice, "still there?");
    client.sendText(alice, "after");
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 42001, null)).hasSize(1);
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 0, null)).hasSize(2);
    assertThat(kefu.tokenRequests()).isEqualTo(2);
  }

  @Test
  void a_token_superseded_by_another_client_gets_40001_after_the_grace_then_one_refresh_and_a_retry() {
    KefuClient mine = kefu.client().build();
    KefuClient other = kefu.client().build();
    String alice = kefu.userWhoWrote();
    mine.sendText(alice, "mine");
    other.accessToken();
    kefu.advance(Duration.ofMinutes(4));
    mine.sendText(alice, "still in the grace");
    kefu.advance(Duration.ofMinutes(2));
    mine.sendText(alice, "after the grace");
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 40001, null)).hasSize(1);
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 0, null)).hasSize(3);
    assertThat(kefu.tokenRequests()).isEqualTo(3);
  }

  @Test
  void clients_sharing_a_store_use_one_token() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    KefuClient a = kefu.client().tokenStore(store).build();
    KefuClient b = kefu.client().tokenStore(store).build();
    assertThat(a.accessToken()).isEqualTo(b.accessToken());
    assertThat(kefu.tokenRequests()).isEqualTo(1);
  }

  @Test
  void concurrent_first_calls_make_one_token_request() throws Exception {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    kefu.putApp(TestKefu.DEMO.appid(), "{\"rules\":{\"name\":\"many\",\"enter\":{\"count\":1,\"seconds\":60},"
        + "\"message\":{\"count\":1000,\"seconds\":172800}}}");
    kefu.says(alice, "again");
    int callers = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers, r -> new Thread(r, "caller"));
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        int n = i;
        calls.add(pool.submit(() -> {
          start.await();
          client.sendText(alice, "call " + n);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(kefu.tokenRequests()).isEqualTo(1);
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 0, null)).hasSize(callers);
  }
}
