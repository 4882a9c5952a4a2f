package kefu.store;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * kefu's state, one small interface per concept, reached through a {@link Tx} that lives only inside the callback.
 *
 * <p>Writes are serialised: {@link #inTransaction} runs {@code work} as one atomic unit, so a read-decide-write
 * inside it (the quota check of a send) cannot interleave with another. It returns only once the effect is durable
 * (committed and synced); implementations group several callers' work into one commit. {@code work} must be
 * short and do no I/O of its own. An exception thrown by {@code work} undoes that work only and is rethrown to the
 * caller; other callers in the same group commit are unaffected.
 */
public interface Store extends AutoCloseable {
  /** Runs {@code work} atomically and returns its result once durable. */
  <T> T inTransaction(Function<Tx, T> work);

  /** Runs read-only {@code work} against the last committed state; runs concurrently with writes. */
  <T> T read(Function<Tx, T> work);

  /**
   * Queues {@code work} to be committed with the next group, without waiting (the journal). Lost only if the
   * process dies before that commit; {@link #close()} commits it.
   */
  void submit(Consumer<Tx> work);

  /** Empties every table except the apps, durably. */
  void reset();

  /** Stops taking work, commits what is queued, releases the files. */
  @Override
  void close();
}
