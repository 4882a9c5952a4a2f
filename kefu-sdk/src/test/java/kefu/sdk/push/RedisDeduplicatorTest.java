package kefu.sdk.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.sdk.push.Pushes.Push;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The Redis de-duplicator against the real Redis at 127.0.0.1:6379 (spec §6.5). When Redis is unreachable the tests
 * are skipped, unless {@code CI=true}, where that is a failure. Each test uses its own key prefix and deletes its keys.
 */
class RedisDeduplicatorTest {
  private static final String HOST = "127.0.0.1";
  private static final int PORT = 6379;
  private static final Duration TTL = Duration.ofMinutes(1);

  private static RedisClient redis;
  private final String prefix = "kefu-test:push:" + UUID.randomUUID() + ":";

  @BeforeAll
  static void connect() {
    if (!reachable()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("Redis at " + HOST + ":" + PORT + " is unreachable, and CI=true requires it");
      }
      Assumptions.assumeTrue(false, "Redis at " + HOST + ":" + PORT + " is unreachable: skipping the Redis "
          + "de-duplication tests (with CI=true this fails instead)");
    }
    redis = RedisClient.create(HOST, PORT);
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void deleteKeys() {
    if (redis != null) {
      for (String key : redis.keys(prefix + "*")) {
        redis.del(key);
      }
    }
  }

  private static boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void a_key_is_new_once_and_redis_expires_it_after_the_ttl() {
    RedisDeduplicator seen = new RedisDeduplicator(redis, prefix);

    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isTrue();
    assertThat(seen.firstTime("gh_1:msg:1", TTL)).isFalse();
    assertThat(redis.get(prefix + "gh_1:msg:1")).isEqualTo("1");
    assertThat(redis.pttl(prefix + "gh_1:msg:1")).isBetween(1L, TTL.toMillis());

    assertThat(seen.firstTime("short", Duration.ofMillis(50))).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> redis.get(prefix + "short") == null);
    assertThat(seen.firstTime("short", Duration.ofMillis(50))).isTrue();
  }

  @Test
  void a_forgotten_key_is_new_again_and_prefixes_keep_apps_apart() {
    RedisDeduplicator seen = new RedisDeduplicator(redis, prefix);
    seen.firstTime("k", TTL);
    seen.forget("k");
    assertThat(seen.firstTime("k", TTL)).isTrue();
    assertThat(new RedisDeduplicator(redis, prefix + "other:").firstTime("k", TTL)).isTrue();
    assertThat(seen.prefix()).isEqualTo(prefix);
  }

  @Test
  void two_receivers_sharing_redis_handle_a_msg_id_exactly_once() throws Exception {
    RecordingHandler handler = RecordingHandler.success();
    List<PushReceiver> receivers = new ArrayList<>();
    List<RedisClient> clients = List.of(RedisClient.create(HOST, PORT), RedisClient.create(HOST, PORT));
    for (RedisClient client : clients) {
      receivers.add(PushReceiver.builder().token(Pushes.TOKEN).encodingAesKey(Pushes.KEY).appid(Pushes.APPID)
          .mode(PushMode.SECURE).handler(handler).deduplicator(new RedisDeduplicator(client, prefix), TTL).build());
    }
    int rounds = 20;
    int perReceiver = 4;
    ExecutorService pool = Executors.newFixedThreadPool(2 * perReceiver);
    try {
      for (int round = 0; round < rounds; round++) {
        Push push = Pushes.of(Pushes.text("hi", 1000 + round), PushFormat.JSON, PushMode.SECURE);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PushReply>> replies = new ArrayList<>();
        for (PushReceiver receiver : receivers) {
          for (int t = 0; t < perReceiver; t++) {
            Callable<PushReply> delivery = () -> {
              start.await();
              return receiver.handle(push.query(), push.body());
            };
            replies.add(pool.submit(delivery));
          }
        }
        start.countDown();
        int answered = 0;
        int duplicates = 0;
        for (Future<PushReply> f : replies) {
          PushReply reply = f.get();
          assertThat(reply.body()).isEqualTo("success");
          answered += reply instanceof PushReply.Answered ? 1 : 0;
          duplicates += reply instanceof PushReply.Duplicate ? 1 : 0;
        }
        assertThat(answered).as("round " + round).isEqualTo(1);
        assertThat(duplicates).isEqualTo(2 * perReceiver - 1);
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(RedisClient::close);
    }
    assertThat(handler.calls()).isEqualTo(rounds);
  }
}
