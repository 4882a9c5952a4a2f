package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import kefu.sdk.token.RedisTokenStore;
import kefu.sdk.token.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients sharing the real Redis against a real kefu: one token between them, one refresh when it dies. */
class RedisTokenStoreHttpTest {
  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  private TestRedis redis;

  @BeforeEach
  void connect() {
    redis = TestRedis.connect();
  }

  @AfterEach
  void cleanUp() {
    redis.close();
  }

  private KefuClient shared() {
    return kefu.client().tokenStore(new RedisTokenStore(redis.client(), redis.prefix())).build();
  }

  @Test
  void clients_sharing_redis_fetch_one_token() {
    KefuClient a = shared();
    KefuClient b = shared();
    assertThat(a.accessToken()).isEqualTo(b.accessToken());
    assertThat(kefu.tokenRequests()).isEqualTo(1);
  }

  @Test
  void when_an_outsider_supersedes_the_shared_token_one_client_refreshes_and_the_other_picks_it_up() {
    KefuClient a = shared();
    KefuClient b = shared();
    String alice = kefu.userWhoWrote();
    a.sendText(alice, "a");
    b.sendText(alice, "b");
    kefu.client().build().accessToken();
    kefu.advance(Duration.ofMinutes(6));

    a.sendText(alice, "a again");
    b.sendText(alice, "b again");

    assertThat(a.accessToken()).isEqualTo(b.accessToken());
    assertThat(kefu.tokenRequests()).as("shared, outsider, a's refresh; b took a's").isEqualTo(3);
    assertThat(kefu.answered(40001)).as("each client learnt once that its cached token died").isEqualTo(2);
  }

  @Test
  void a_token_refreshed_before_expiry_by_one_client_is_used_by_the_other() {
    KefuClient a = shared();
    KefuClient b = shared();
    String first = a.accessToken();
    kefu.advance(Duration.ofSeconds(7200 - 299));
    String second = a.accessToken();
    assertThat(second).isNotEqualTo(first);
    assertThat(b.accessToken()).isEqualTo(second);
    assertThat(kefu.tokenRequests()).isEqualTo(2);
  }
}
