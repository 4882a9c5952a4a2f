package kefu.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import kefu.store.Channels;
import kefu.store.HashAppSecrets;
import kefu.store.Store;
import kefu.store.Tx;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file, {@code kefu.db}, in WAL mode with {@code synchronous=FULL}.
 *
 * <p>Writes go through {@link GroupCommit}: one thread, {@code store-writer}, owns the only write connection and
 * commits the work of many callers at once; {@link #inTransaction} returns when its group is durable. Reads run on a
 * small pool of read-only connections (HikariCP), each {@link #read} in one read transaction, so it sees one
 * committed snapshot and never the writer's uncommitted group.
 *
 * <p>What guards what: {@code admission} guards {@code closed}. Every call that queues work or borrows a reader holds
 * the read side while it checks {@code closed} and queues (or reads); {@link #close} sets {@code closed} under the
 * write side, so once it has set it no job can be queued behind the writer's stop marker and no read is still
 * running when the readers are closed. Waiting for a commit happens outside the lock. The group-commit queue is
 * bounded: callers block while it is full.
 *
 * <p>Alone in its deployment, the store delivers {@link #notify notifications} in process: each listener of the
 * channel is called on the notifying thread before {@code notify} returns.
 */
public final class SqliteStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
  public static final String FILE_NAME = "kefu.db";
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  private final Path file;
  private final SqliteOptions options;
  private final GroupCommit writer;
  private final HikariDataSource readers;
  private final ReadWriteLock admission = new ReentrantReadWriteLock();
  private final Channels channels = new Channels();
  private boolean closed;

  private SqliteStore(Path file, SqliteOptions options, GroupCommit writer, HikariDataSource readers) {
    this.file = file;
    this.options = options;
    this.writer = writer;
    this.readers = readers;
  }

  /**
   * Opens (creating it if needed) {@code dataDir/kefu.db}, brings its schema up to date and starts the writer.
   * Close the store to commit what is queued and release the file.
   */
  public static SqliteStore open(Path dataDir, SqliteOptions options) {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(options, "options");
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    String url = "jdbc:sqlite:" + file;
    SQLiteDataSource writes = new SQLiteDataSource(writeConfig());
    writes.setUrl(url);
    migrate(writes);
    Connection connection;
    try {
      connection = writes.getConnection();
    } catch (SQLException e) {
      throw new SqliteException("cannot open " + file, e);
    }
    HikariDataSource readers;
    try {
      readers = readers(url);
    } catch (RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    GroupCommit writer = new GroupCommit(connection, options);
    writer.start();
    log.info("store opened: {} (journal retention {}, group commit up to {})", file, options.journalRetention(),
        options.maxBatch());
    return new SqliteStore(file, options, writer, readers);
  }

  private static SQLiteConfig writeConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return config;
  }

  private static void migrate(SQLiteDataSource dataSource) {
    Flyway.configure(SqliteStore.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/sqlite")
        .javaMigrations(new HashAppSecrets("4.1"))
        .loggers("slf4j")
        .load()
        .migrate();
  }

  /**
   * Read-only connections (opened with SQLITE_OPEN_READONLY, so a write in {@link #read} fails). Autocommit is off:
   * each {@link #read} is one read transaction, ended by a rollback, so all its statements see one snapshot.
   */
  private static HikariDataSource readers(String url) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("store-read");
    pool.setDataSource(dataSource);
    int size = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    pool.setMaximumPoolSize(size);
    pool.setMinimumIdle(1);
    pool.setAutoCommit(false);
    // HikariCP sets the flag on every new connection, and sqlite-jdbc refuses to change it once open: agree with it
    pool.setReadOnly(true);
    return new HikariDataSource(pool);
  }

  @Override
  public <T> T inTransaction(Function<Tx, T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<Object> done = enqueue(work, true, "inTransaction");
    try {
      @SuppressWarnings("unchecked")
      T result = (T) done.join();
      return result;
    } catch (CompletionException e) {
      throw rethrowable(e.getCause());
    }
  }

  @Override
  public void submit(Consumer<Tx> work) {
    Objects.requireNonNull(work, "work");
    enqueue(tx -> {
      work.accept(tx);
      return null;
    }, false, "submit");
  }

  /** The writer takes work in order: an empty transaction queued now commits after everything queued before it. */
  @Override
  public void flush() {
    inTransaction(tx -> null);
  }

  @Override
  public void reset() {
    CompletableFuture<Object> done = enqueue(SqliteTx::deleteAllButApps, true, "reset");
    try {
      done.join();
    } catch (CompletionException e) {
      throw rethrowable(e.getCause());
    }
  }

  @Override
  public <T> T read(Function<Tx, T> work) {
    Objects.requireNonNull(work, "work");
    refuseOnWriter("read");
    admission.readLock().lock();
    try {
      requireOpen();
      try (Connection connection = readers.getConnection()) {
        try (Statements statements = new Statements(connection)) {
          SqliteTx tx = new SqliteTx(statements, options.journalRetention());
          try {
            return work.apply(tx);
          } finally {
            tx.end();
          }
        } finally {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw new SqliteException("a read on " + file + " failed", e);
      }
    } finally {
      admission.readLock().unlock();
    }
  }

  @Override
  public void notify(String channel, String payload) {
    Channels.requireValid(channel, payload);
    refuseOnWriter("notify");
    admission.readLock().lock();
    try {
      requireOpen();
    } finally {
      admission.readLock().unlock();
    }
    channels.dispatch(channel, payload);
  }

  @Override
  public AutoCloseable listen(String channel, Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    refuseOnWriter("listen");
    admission.readLock().lock();
    try {
      requireOpen();
      return channels.add(channel, listener);
    } finally {
      admission.readLock().unlock();
    }
  }

  @Override
  public void close() {
    refuseOnWriter("close");
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
    // no read is running (close held the write side) and none can start: the readers go first, so the writer's
    // connection is the last one and its close checkpoints the WAL into kefu.db
    readers.close();
    writer.stop();
    log.info("store closed: {}", file);
  }

  /** Jobs waiting for the writer (tests). */
  int queued() {
    return writer.queued();
  }

  /** Group commits done since open (tests). */
  long commits() {
    return writer.commits();
  }

  /** Read connections borrowed and not yet returned (tests: a read must never leak one). */
  int readConnectionsInUse() {
    return readers.isClosed() ? 0 : readers.getHikariPoolMXBean().getActiveConnections();
  }

  private CompletableFuture<Object> enqueue(Function<? super SqliteTx, ?> work, boolean awaited, String what) {
    refuseOnWriter(what);
    GroupCommit.Job job = new GroupCommit.Job(work, new CompletableFuture<>(), awaited);
    admission.readLock().lock();
    try {
      requireOpen();
      writer.enqueue(job);
    } finally {
      admission.readLock().unlock();
    }
    return job.done();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the store at " + file + " is closed");
    }
  }

  /** Work runs on the writer; from there, waiting for the writer (or a snapshot that misses its own writes) is a bug. */
  private void refuseOnWriter(String what) {
    if (writer.isWriterThread()) {
      throw new IllegalStateException(what + " called from inside store work; use the Tx you were given");
    }
  }

  /** The failure as the work threw it: runtime exceptions and errors unwrapped, anything else wrapped once. */
  private static RuntimeException rethrowable(Throwable failure) {
    if (failure instanceof RuntimeException e) {
      return e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    return new SqliteException("store work failed", failure);
  }

  @Override
  public String toString() {
    return "SqliteStore[" + file + "]";
  }
}
