package kefu.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the one thread, {@code store-writer}, that writes to the database.
 *
 * <p>It takes everything queued (at most {@code maxBatch} jobs), opens one {@code BEGIN IMMEDIATE} transaction, runs
 * each job inside its own {@code SAVEPOINT} (a job that throws is rolled back to its savepoint; the others keep their
 * effects), commits once (one fsync for the whole group), and only then completes the jobs' futures. When BEGIN,
 * a savepoint statement or COMMIT fails, nothing of the batch is durable and every job of the batch fails.
 *
 * <p>What guards what:
 * <ul>
 *   <li>The write connection, its prepared statements and every {@link SqliteTx} given to a job are confined to the
 *       writer thread; nothing else touches them.</li>
 *   <li>{@code queue} is bounded ({@code 4 × maxBatch}); {@link #enqueue} blocks while it is full, so a burst of
 *       callers (virtual threads) waits for the writer instead of growing memory.</li>
 *   <li>A job's result is published by completing its {@link CompletableFuture} after COMMIT returned, which is
 *       also the happens-before edge from the writer's work to the waiting caller.</li>
 *   <li>{@link #stop} queues a marker behind every job; the caller (the store) guarantees nothing is queued after
 *       it, so everything queued before is committed before the connection closes.</li>
 *   <li>{@code commits} is an atomic counter, written by the writer, read by tests.</li>
 * </ul>
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  static final String THREAD_NAME = "store-writer";

  /**
   * One unit of work and its outcome. {@code awaited} is false for {@code submit}ted work, whose failure nobody
   * receives, so it is logged instead.
   */
  record Job(Function<? super SqliteTx, ?> work, CompletableFuture<Object> done, boolean awaited) {}

  private static final Job STOP = new Job(tx -> null, new CompletableFuture<>(), false);

  private final Connection connection;
  private final Statements statements;
  private final int maxBatch;
  private final int journalRetention;
  private final BlockingQueue<Job> queue;
  private final AtomicLong commits = new AtomicLong();
  private final Thread thread;

  GroupCommit(Connection connection, SqliteOptions options) {
    this.connection = connection;
    this.statements = new Statements(connection);
    this.maxBatch = options.maxBatch();
    this.journalRetention = options.journalRetention();
    this.queue = new ArrayBlockingQueue<>(4 * options.maxBatch());
    // not a daemon: a store left open keeps the JVM alive rather than dropping queued work at exit
    this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(false).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  boolean isWriterThread() {
    return Thread.currentThread() == thread;
  }

  /** Queues a job, waiting (uninterruptibly) while the queue is full. */
  void enqueue(Job job) {
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

  /** Commits everything queued so far, closes the write connection and returns once the writer has ended. */
  void stop() {
    enqueue(STOP);
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

  /** Jobs waiting for the writer. */
  int queued() {
    return queue.size();
  }

  /** Group commits done so far. */
  long commits() {
    return commits.get();
  }

  private void run() {
    List<Job> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    try {
      while (!stopping) {
        batch.add(take());
        queue.drainTo(batch, maxBatch - 1);
        // STOP is queued after every other job, so when it is in the batch it is the last one
        if (batch.getLast() == STOP) {
          batch.removeLast();
          stopping = true;
        }
        if (!batch.isEmpty()) {
          commitSafely(batch);
        }
        batch.clear();
      }
    } finally {
      statements.close();
      try {
        connection.close();
      } catch (SQLException e) {
        log.warn("closing the write connection failed", e);
      }
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

  private void commitSafely(List<Job> batch) {
    try {
      commit(batch);
    } catch (RuntimeException | Error e) {
      // a bug in the loop itself: fail the batch rather than leave its callers waiting for ever
      log.error("group commit failed unexpectedly", e);
      rollbackQuietly();
      fail(batch, new Throwable[batch.size()], e);
    }
  }

  private void commit(List<Job> batch) {
    Object[] results = new Object[batch.size()];
    Throwable[] failures = new Throwable[batch.size()];
    try {
      statements.execute("BEGIN IMMEDIATE");
    } catch (SqliteException e) {
      fail(batch, failures, e);
      return;
    }
    try {
      for (int i = 0; i < batch.size(); i++) {
        statements.execute("SAVEPOINT job");
        SqliteTx tx = new SqliteTx(statements, journalRetention);
        try {
          results[i] = batch.get(i).work().apply(tx);
        } catch (Throwable t) {
          // the job's own failure (a bug, or its deliberate abort): undone below, reported to its caller only
          failures[i] = t;
        } finally {
          tx.end();
        }
        if (failures[i] != null) {
          statements.execute("ROLLBACK TO job");
        }
        statements.execute("RELEASE job");
      }
      statements.execute("COMMIT");
    } catch (SqliteException e) {
      rollbackQuietly();
      fail(batch, failures, e);
      return;
    }
    commits.incrementAndGet();
    for (int i = 0; i < batch.size(); i++) {
      Job job = batch.get(i);
      if (failures[i] == null) {
        job.done().complete(results[i]);
      } else {
        if (!job.awaited()) {
          log.warn("submitted store work failed and was undone", failures[i]);
        }
        job.done().completeExceptionally(failures[i]);
      }
    }
  }

  /** Fails every job of a batch that was not committed; a job that failed on its own keeps its own failure. */
  private static void fail(List<Job> batch, Throwable[] failures, Throwable cause) {
    log.error("a group commit of {} jobs failed; none of them was written", batch.size(), cause);
    for (int i = 0; i < batch.size(); i++) {
      Throwable failure = failures[i] != null ? failures[i]
          : new SqliteException("the group commit failed; this work was not written", cause);
      batch.get(i).done().completeExceptionally(failure);
    }
  }

  private void rollbackQuietly() {
    try {
      statements.execute("ROLLBACK");
    } catch (SqliteException e) {
      // SQLite may already have rolled the transaction back on its own (I/O error, disk full)
      log.debug("ROLLBACK after a failed group commit failed", e);
    }
  }
}
