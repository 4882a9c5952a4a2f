package kefu.store;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * kefu's state, one small interface per concept, reached through a {@link Tx} that lives only inside the callback.
 *
 * <p>Writes are serialised: {@link #inTransaction} runs {@code work} as one atomic unit, so a read-decide-write
 * inside it (the quota check of a send) cannot interleave with another. It returns only once the effect is durable
 * (committed and synced). {@code work} must be short, do no I/O of its own and act only through its {@link Tx}: an
 * implementation may run it again when the database asks for a retry (PostgreSQL, on a serialization failure or a
 * deadlock). An exception thrown by {@code work} undoes that work only and is rethrown to the caller.
 *
 * <p>Several nodes may share one store (PostgreSQL): the per-concept interfaces say what stays atomic across them
 * ({@link Windows#consume}, {@link Tokens#revokeAll}, {@link Outbox#claim}), the {@link ClockSetting clock} is shared,
 * and {@link #notify}/{@link #listen} carry live events from node to node.
 */
public interface Store extends AutoCloseable {
  /** The largest {@link #notify} payload, in UTF-8 bytes (PostgreSQL's NOTIFY takes fewer than 8000). */
  int MAX_PAYLOAD_BYTES = 7 * 1024;

  /** Runs {@code work} atomically and returns its result once durable. */
  <T> T inTransaction(Function<Tx, T> work);

  /** Runs read-only {@code work} against the last committed state; runs concurrently with writes. */
  <T> T read(Function<Tx, T> work);

  /**
   * Queues {@code work} to be committed with the next group, without waiting (the journal). Lost only if the
   * process dies before that commit; {@link #close()} commits it. The calling thread's next {@link #inTransaction}
   * sees it.
   */
  void submit(Consumer<Tx> work);

  /**
   * Returns once everything {@link #submit submitted} before the call, by any thread, is committed: what a reader
   * of the journals calls first, so that it sees every request answered before it asked.
   */
  void flush();

  /**
   * Empties every table except the apps and the {@link ClockSetting clock}, durably: the clock belongs to the
   * deployment, like the apps.
   */
  void reset();

  /**
   * Sends {@code payload} to every listener of {@code channel} of every node sharing this store, this one included,
   * without waiting for them. Best effort: a node that is not connected at that moment misses it. The channel is
   * 1 to 32 letters, digits, {@code _ . -}; the payload at most {@link #MAX_PAYLOAD_BYTES} in UTF-8.
   *
   * <p>By default nothing is sent: a store that is alone in its deployment has no other node to tell.
   */
  default void notify(String channel, String payload) {
    Channels.requireValid(channel, payload);
  }

  /**
   * Calls {@code listener} with each payload {@link #notify notified} on {@code channel} until the returned handle is
   * closed. Listeners are called one at a time, in the order the notifications arrived; they must be quick (hand
   * the payload to a queue) and must not call the store. A listener that throws is logged and keeps listening.
   *
   * <p>By default the listener hears nothing, in keeping with the default {@link #notify}.
   */
  default AutoCloseable listen(String channel, Consumer<String> listener) {
    Channels.requireValid(channel, "");
    return () -> {};
  }

  /** Stops taking work, commits what is queued, releases the files or connections. */
  @Override
  void close();
}
