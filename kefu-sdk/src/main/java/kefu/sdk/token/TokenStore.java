package kefu.sdk.token;

import java.time.Duration;
import java.util.Optional;

/**
 * Where access tokens live, so that every client of an app (threads, processes, machines) uses the same one.
 * WeChat's {@code /cgi-bin/token} supersedes the previous token on every fetch (it dies 5 minutes later): clients
 * that each fetch their own knock each other out with 40001. A shared store and its refresh lease prevent that.
 *
 * <p>Implementations must be safe for concurrent use. {@link InMemoryTokenStore} shares within one process,
 * {@link RedisTokenStore} across processes.
 */
public interface TokenStore {
  /** The app's current token, unless there is none or it was {@linkplain #invalidate invalidated}. */
  Optional<StoredToken> find(String appid);

  /**
   * Compare-and-set: stores {@code token} unless the store holds a newer one (a later {@code issuedAt}; on a tie
   * the offered one wins, the later writer being the later fetcher). Returns the token to use: the newer stored
   * one if it is still valid, else {@code token}. An older token never overwrites a newer one.
   */
  StoredToken offer(String appid, StoredToken token);

  /** Marks the token dead (WeChat answered 40001/42001 for it), only if the store still holds that value. */
  void invalidate(String appid, String value);

  /**
   * Tries to become the one client that refreshes the app's token; empty when another holds the lease. A lease
   * lapses by itself after {@code ttl} (a holder that died does not block the others for longer).
   */
  Optional<Lease> tryLease(String appid, Duration ttl);

  /** A held refresh lease; closing it releases it, if still held. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }
}
