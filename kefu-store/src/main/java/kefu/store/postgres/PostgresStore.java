package kefu.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import kefu.store.Channels;
import kefu.store.HashAppSecrets;
import kefu.store.Store;
import kefu.store.Tx;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on PostgreSQL, for several kefu nodes serving one deployment: one schema of one database, shared by every
 * node that opens it.
 *
 * <ul>
 *   <li>{@link #inTransaction} is one database transaction (READ COMMITTED) on a pooled connection (HikariCP). What
 *       READ COMMITTED alone would not keep atomic across nodes is made so by its statements: a conditional
 *       {@code UPDATE … RETURNING} for {@link kefu.store.Windows#consume}, row locks for a {@code find} that may be
 *       decided on and put back, an advisory lock per app and token kind, {@code FOR UPDATE SKIP LOCKED} for outbox
 *       claims. On a serialization failure or a deadlock the whole work runs again, at most {@value #MAX_ATTEMPTS}
 *       times. Before it starts, it waits until the calling thread's last {@link #submit submitted} work is
 *       written, so a thread sees what it submitted, as on SQLite.</li>
 *   <li>{@link #read} is one REPEATABLE READ, READ ONLY transaction: one snapshot for all its statements, and a
 *       write fails.</li>
 *   <li>{@link #submit}ted work (the journals) is written by {@link GroupCommit}, many jobs per commit.</li>
 *   <li>{@link #notify}/{@link #listen} are NOTIFY/LISTEN ({@link Notifications}); a payload is at most
 *       {@link Store#MAX_PAYLOAD_BYTES} (PostgreSQL refuses 8000 bytes or more).</li>
 *   <li>The schema is created and migrated by Flyway ({@code db/postgresql}) on open; Flyway's own lock lets several
 *       nodes start at once.</li>
 * </ul>
 *
 * <p>What guards what: {@code admission} guards {@code closed}. Every call holds its read side while it checks
 * {@code closed} and does its work (a transaction, a read, queueing submitted work); {@link #close} sets
 * {@code closed} under the write side, so once set, nothing is running or can start, and the writer's stop marker
 * is the last job queued. Each thread's last submitted job is in {@code lastSubmitted}; {@code insideWork} marks a
 * thread running store work, which may not call the store again (its connection would wait for the other's locks
 * for ever).
 */
public final class PostgresStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
  /** Runs of one work when the database asks for a retry (serialization failure, deadlock). */
  static final int MAX_ATTEMPTS = 5;
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";

  private final PostgresOptions options;
  private final HikariDataSource pool;
  private final GroupCommit writer;
  private final Notifications notifications;
  private final ReadWriteLock admission = new ReentrantReadWriteLock();
  private final ThreadLocal<CompletableFuture<Void>> lastSubmitted = new ThreadLocal<>();
  private final ThreadLocal<Boolean> insideWork = new ThreadLocal<>();
  private boolean closed;

  private PostgresStore(PostgresOptions options, HikariDataSource pool) {
    this.options = options;
    this.pool = pool;
    this.writer = new GroupCommit(pool, options.schema(), options.journalRetention());
    this.notifications = new Notifications(pool, options.jdbcUrl(), options.schema());
  }

  /**
   * Creates the schema if needed, brings it up to date, opens the pool and starts the writer. Close the store to
   * write what is queued and release the connections.
   */
  public static PostgresStore open(PostgresOptions options) {
    Objects.requireNonNull(options, "options");
    migrate(options);
    PostgresStore store = new PostgresStore(options, pool(options));
    store.writer.start();
    log.info("store opened: schema {} at {} (journal retention {}, pool {})", options.schema(),
        PostgresOptions.mask(options.jdbcUrl()), options.journalRetention(), options.poolSize());
    return store;
  }

  private static void migrate(PostgresOptions options) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(options.jdbcUrl());
    Flyway.configure(PostgresStore.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(options.schema())
        .defaultSchema(options.schema())
        .createSchemas(true)
        .locations("classpath:db/postgresql")
        .javaMigrations(new HashAppSecrets("2.1"))
        .loggers("slf4j")
        .load()
        .migrate();
  }

  private static HikariDataSource pool(PostgresOptions options) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("store-" + options.schema());
    config.setJdbcUrl(options.jdbcUrl());
    // a startup parameter of each connection: a SET on a connection that is not in autocommit would be undone by the
    // first rollback
    config.addDataSourceProperty("currentSchema", options.schema());
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(config);
  }

  @Override
  public <T> T inTransaction(Function<Tx, T> work) {
    Objects.requireNonNull(work, "work");
    refuseInsideWork("inTransaction");
    awaitOwnSubmits();
    admission.readLock().lock();
    try {
      requireOpen();
      return transact(work);
    } finally {
      admission.readLock().unlock();
    }
  }

  private <T> T transact(Function<Tx, T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        PostgresTx tx = new PostgresTx(connection, options.schema(), options.journalRetention(), true);
        T result;
        insideWork.set(Boolean.TRUE);
        try {
          result = work.apply(tx);
          connection.commit();
        } catch (SQLException | RuntimeException | Error e) {
          rollbackQuietly(connection, e);
          if (retryable(e) && attempt < MAX_ATTEMPTS) {
            log.debug("transaction attempt {} of {} must be retried", attempt, MAX_ATTEMPTS, e);
            backOff(attempt);
            continue;
          }
          if (e instanceof SQLException sql) {
            throw new PostgresException("COMMIT failed", sql);
          }
          throw e;
        } finally {
          tx.end();
          insideWork.remove();
        }
        return result;
      } catch (SQLException e) {
        throw new PostgresException("cannot get or return a connection of " + this, e);
      }
    }
  }

  @Override
  public <T> T read(Function<Tx, T> work) {
    Objects.requireNonNull(work, "work");
    refuseInsideWork("read");
    admission.readLock().lock();
    try {
      requireOpen();
      try (Connection connection = pool.getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        PostgresTx tx = new PostgresTx(connection, options.schema(), options.journalRetention(), false);
        insideWork.set(Boolean.TRUE);
        try {
          return work.apply(tx);
        } finally {
          tx.end();
          insideWork.remove();
          // nothing to keep; a failed rollback leaves the connection to the pool, which discards a broken one
          try {
            connection.rollback();
          } catch (SQLException e) {
            log.debug("ending a read failed", e);
          }
        }
      } catch (SQLException e) {
        throw new PostgresException("a read on " + this + " failed", e);
      }
    } finally {
      admission.readLock().unlock();
    }
  }

  @Override
  public void submit(Consumer<Tx> work) {
    Objects.requireNonNull(work, "work");
    refuseInsideWork("submit");
    admission.readLock().lock();
    try {
      requireOpen();
      lastSubmitted.set(writer.enqueue(work));
    } finally {
      admission.readLock().unlock();
    }
  }

  /** The writer takes submitted work in order: a no-op queued now is done after everything queued before it. */
  @Override
  public void flush() {
    refuseInsideWork("flush");
    CompletableFuture<Void> marker;
    admission.readLock().lock();
    try {
      requireOpen();
      marker = writer.enqueue(tx -> { });
    } finally {
      admission.readLock().unlock();
    }
    marker.join();
  }

  /** TRUNCATE of every table but the apps and the clock, in a transaction of its own (retried like any other). */
  @Override
  public void reset() {
    inTransaction(tx -> ((PostgresTx) tx).truncateAllButApps());
  }

  @Override
  public void notify(String channel, String payload) {
    Channels.requireValid(channel, payload);
    refuseInsideWork("notify");
    admission.readLock().lock();
    try {
      requireOpen();
      notifications.notify(channel, payload);
    } finally {
      admission.readLock().unlock();
    }
  }

  /** The listener is called on the thread {@code store-listen}. */
  @Override
  public AutoCloseable listen(String channel, Consumer<String> listener) {
    Channels.requireValid(channel, "");
    Objects.requireNonNull(listener, "listener");
    refuseInsideWork("listen");
    admission.readLock().lock();
    try {
      requireOpen();
      return notifications.listen(channel, listener);
    } finally {
      admission.readLock().unlock();
    }
  }

  @Override
  public void close() {
    refuseInsideWork("close");
    boolean first;
    admission.writeLock().lock();
    try {
      first = !closed;
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
    if (!first) {
      writer.awaitStopped();
      return;
    }
    writer.stop();
    notifications.close();
    pool.close();
    log.info("store closed: schema {}", options.schema());
  }

  /** Pooled connections borrowed and not yet returned (tests: work must never leak one). */
  int connectionsInUse() {
    return pool.isClosed() ? 0 : pool.getHikariPoolMXBean().getActiveConnections();
  }

  /** Whether the database asked for the transaction to be run again: a serialization failure or a deadlock. */
  static boolean retryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e
          && (SERIALIZATION_FAILURE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** A random pause growing with the attempt, so transactions that collided do not collide again in step. */
  private static void backOff(int attempt) {
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(2L << attempt)));
  }

  /** Waits (uninterruptibly, ignoring its failure, which the writer logged) for this thread's last submit. */
  private void awaitOwnSubmits() {
    CompletableFuture<Void> last = lastSubmitted.get();
    if (last == null) {
      return;
    }
    lastSubmitted.remove();
    try {
      last.join();
    } catch (CompletionException | CancellationException e) {
      // the writer logged it; this caller only needed it to be finished
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /** Work runs with a connection of its own; from there, another store call could wait for that connection's locks. */
  private void refuseInsideWork(String what) {
    if (insideWork.get() != null || writer.isWriterThread()) {
      throw new IllegalStateException(what + " called from inside store work; use the Tx you were given");
    }
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "PostgresStore[" + options.schema() + " at " + PostgresOptions.mask(options.jdbcUrl()) + "]";
  }
}
