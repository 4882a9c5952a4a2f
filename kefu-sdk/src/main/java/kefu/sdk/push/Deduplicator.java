package kefu.sdk.push;

import java.time.Duration;

/**
 * Remembers which pushes were handled, so that WeChat's retries of a push (same body, spec §6.5) reach the handler
 * once. Keys are {@link Inbound#dedupKey()}: by MsgId for messages, by FromUserName and CreateTime for events.
 * Implementations are shared between threads and must be safe for it.
 */
public interface Deduplicator {
  /** Keeps nothing: every push is a first time. */
  Deduplicator NONE = (key, ttl) -> true;

  /**
   * True exactly once for {@code key} within {@code ttl}: atomically marks the key seen for {@code ttl} when it was
   * not, and answers false while it is.
   */
  boolean firstTime(String key, Duration ttl);

  /** Unmarks {@code key}, so that its next delivery is handled (the handler failed). */
  default void forget(String key) {}
}
