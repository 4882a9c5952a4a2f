package kefu.sdk.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract on the real Redis, plus what only Redis has: the layout, lease expiry, and a second client. */
class RedisTokenStoreTest extends TokenStoreContract {
  private TestRedis redis;
  private RedisTokenStore store;

  @BeforeEach
  void connect() {
    redis = TestRedis.connect();
    store = new RedisTokenStore(redis.client(), redis.prefix());
  }

  @AfterEach
  void cleanUp() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  TokenStore store() {
    return store;
  }

  @Test
  void the_token_is_a_hash_under_the_prefix_that_expires_an_hour_after_the_token() {
    StoredToken t = token("t1", 0);
    store.offer("wxa", t);
    Map<String, String> hash = redis.client().hgetAll(redis.prefix() + "token:wxa");
    assertThat(hash).containsEntry("value", "t1")
        .containsEntry("issued_at_ms", Long.toString(t.issuedAt().toEpochMilli()))
        .containsEntry("expires_at_ms", Long.toString(t.expiresAt().toEpochMilli()))
        .containsEntry("invalid", "0");
    assertThat(redis.client().pttl(redis.prefix() + "token:wxa"))
        .isBetween(Duration.ofSeconds(7200 + 3600 - 60).toMillis(), Duration.ofSeconds(7200 + 3600).toMillis());
  }

  @Test
  void a_lease_whose_holder_vanished_lapses_after_its_ttl() {
    assertThat(store.tryLease("wxa", Duration.ofMillis(150))).isPresent();
    assertThat(store.tryLease("wxa", Duration.ofMillis(150))).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.tryLease("wxa", Duration.ofSeconds(10)).isPresent());
  }

  @Test
  void a_second_client_on_the_same_prefix_sees_the_same_token() {
    StoredToken t = token("shared", 0);
    store.offer("wxa", t);
    try (TestRedis other = TestRedis.connect()) {
      assertThat(new RedisTokenStore(other.client(), redis.prefix()).find("wxa")).contains(t);
    }
  }
}
