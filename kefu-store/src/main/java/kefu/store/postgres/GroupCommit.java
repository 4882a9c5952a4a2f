package kefu.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kefu.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of {@linkplain PostgresStore#submit submitted} work (the journals): one thread, {@code store-writer},
 * takes everything queued (at most {@value #MAX_BATCH} jobs) and writes it in one transaction on one pooled
 * connection, so a burst of journal appends costs one commit instead of one each.
 *
 * <p>The batch first runs straight through. If a job throws, the transaction is rolled back and the batch runs again
 * with each job inside its own savepoint: a job that throws is rolled back to its savepoint and the others keep their
 * effects (so a job may run twice: submitted work acts only through its Tx). A serialization failure or deadlock
 * retries the whole batch a few times; when BEGIN, a savepoint or COMMIT fails otherwise, nothing of the batch is
 * written, and the failure is logged (nobody waits for submitted work).
 *
 * <p>What guards what:
 * <ul>
 *   <li>The connection of a batch and the {@link PostgresTx} given to a job are confined to the writer thread; the
 *       connection goes back to the pool before the batch's futures complete.</li>
 *   <li>{@code queue} is bounded ({@code 4 × MAX_BATCH}); {@link #enqueue} blocks while it is full.</li>
 *   <li>A job's future completes after its batch committed (or failed): the happens-before edge to a caller that
 *       waits for it ({@link PostgresStore#inTransaction} waits for its own thread's last submit).</li>
 *   <li>{@link #stop} queues a marker behind every job; the store guarantees nothing is queued after it.</li>
 * </ul>
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  static final String THREAD_NAME = "store-writer";
  static final int MAX_BATCH = 256;

  record Job(Consumer<? super Tx> work, CompletableFuture<Void> done) {}

  private static final Job STOP = new Job(tx -> {}, new CompletableFuture<>());

  private final DataSource pool;
  private final String schema;
  private final int journalRetention;
  private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(4 * MAX_BATCH);
  private final Thread thread;

  GroupCommit(DataSource pool, String schema, int journalRetention) {
    this.pool = pool;
    this.schema = schema;
    this.journalRetention = journalRetention;
    // not a daemon: a store left open keeps the JVM alive rather than dropping queued work at exit
    this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(false).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  boolean isWriterThread() {
    return Thread.currentThread() == thread;
  }

  /** Queues work, waiting (uninterruptibly) while the queue is full; its future completes once it was written. */
  CompletableFuture<Void> enqueue(Consumer<? super Tx> work) {
    Job job = new Job(work, new CompletableFuture<>());
    put(job);
    return job.done();
  }

  /** Writes everything queued so far and returns once the writer has ended. */
  void stop() {
    put(STOP);
    awaitStopped();
  }

  void awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Job job) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(job);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Job> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      batch.add(take());
      queue.drainTo(batch, MAX_BATCH - 1);
      // STOP is queued after every other job, so when it is in the batch it is the last one
      if (batch.getLast() == STOP) {
        batch.removeLast();
        stopping = true;
      }
      if (!batch.isEmpty()) {
        writeSafely(batch);
      }
      batch.clear();
    }
  }

  private Job take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // nobody interrupts the writer on purpose; keep serving the queue until STOP
        log.warn("{} was interrupted; it stops only when the store is closed", THREAD_NAME);
      }
    }
  }

  private void writeSafely(List<Job> batch) {
    Throwable[] failures = new Throwable[batch.size()];
    Throwable lost;
    try {
      lost = write(batch, failures);
    } catch (RuntimeException | Error e) {
      // a bug in the loop itself: fail the batch rather than leave a waiting caller waiting for ever
      lost = e;
    }
    if (lost != null) {
      log.error("a group of {} submitted jobs failed; none of them was written", batch.size(), lost);
    }
    for (int i = 0; i < batch.size(); i++) {
      Throwable failure = failures[i] != null ? failures[i] : lost;
      if (failure == null) {
        batch.get(i).done().complete(null);
      } else {
        if (failures[i] != null) {
          log.warn("submitted store work failed and was undone", failure);
        }
        batch.get(i).done().completeExceptionally(failure);
      }
    }
  }

  /**
   * Writes the batch; the failure that lost the whole batch, or null when it was committed (jobs that failed on
   * their own are in {@code failures}).
   */
  private Throwable write(List<Job> batch, Throwable[] failures) {
    boolean isolated = false;
    int attempts = 0;
    while (true) {
      Arrays.fill(failures, null);
      try (Connection connection = pool.getConnection()) {
        try {
          if (!runAll(connection, batch, failures, isolated)) {
            connection.rollback();
            isolated = true;
            continue;
          }
          connection.commit();
          return null;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          if (PostgresStore.retryable(e) && ++attempts < PostgresStore.MAX_ATTEMPTS) {
            continue;
          }
          return e;
        }
      } catch (SQLException e) {
        return e;
      }
    }
  }

  /**
   * Runs every job; false when, running straight through, a job threw (the transaction must be rolled back and the
   * batch run isolated).
   */
  private boolean runAll(Connection connection, List<Job> batch, Throwable[] failures, boolean isolated)
      throws SQLException {
    for (int i = 0; i < batch.size(); i++) {
      Savepoint savepoint = isolated ? connection.setSavepoint() : null;
      PostgresTx tx = new PostgresTx(connection, schema, journalRetention, true);
      try {
        batch.get(i).work().accept(tx);
      } catch (RuntimeException | Error e) {
        if (!isolated) {
          return false;
        }
        failures[i] = e;
      } finally {
        tx.end();
      }
      if (savepoint != null) {
        if (failures[i] != null) {
          connection.rollback(savepoint);
        }
        connection.releaseSavepoint(savepoint);
      }
    }
    return true;
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
