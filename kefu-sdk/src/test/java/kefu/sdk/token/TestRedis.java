package kefu.sdk.token;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The real Redis at 127.0.0.1:6379 for one test, with a key prefix of its own that {@link #close()} deletes. When
 * Redis cannot be reached the test is skipped, saying so, unless the environment variable {@code CI} is
 * {@code true}: then it fails.
 */
public final class TestRedis implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;

  private final RedisClient client;
  private final String prefix;

  private TestRedis(RedisClient client) {
    this.client = client;
    this.prefix = "kefu-sdk-test:" + UUID.randomUUID() + ":";
  }

  public static TestRedis connect() {
    RedisClient client = null;
    try {
      client = RedisClient.create(HOST, PORT);
      client.ping();
      return new TestRedis(client);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      String why = "Redis is not reachable at " + HOST + ":" + PORT + " (" + e + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + "; CI=true, so this is a failure");
      }
      Assumptions.abort(why + "; skipped (set CI=true to make this a failure)");
      throw new AssertionError("unreachable");
    }
  }

  public RedisClient client() {
    return client;
  }

  /** The keys of this test start with it. */
  public String prefix() {
    return prefix;
  }

  public int keyCount() {
    int n = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = client.scan(cursor, new ScanParams().match(prefix + "*").count(100));
      n += page.getResult().size();
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return n;
  }

  @Override
  public void close() {
    try {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = client.scan(cursor, new ScanParams().match(prefix + "*").count(100));
        if (!page.getResult().isEmpty()) {
          client.del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    } finally {
      client.close();
    }
  }
}
