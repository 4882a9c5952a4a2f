package kefu.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kefu.store.Channels;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live events between nodes: NOTIFY on a pooled connection, and one dedicated LISTEN connection, read by the thread
 * {@code store-listen}, that hands what arrives to the listeners ({@link Channels}).
 *
 * <p>A store channel {@code c} is the PostgreSQL channel {@code <schema>.c}, so deployments sharing a database do
 * not hear each other. The thread starts with the first {@link #listen}. It waits for notifications at most
 * {@value #WAIT_MILLIS} ms at a time; a listen or close wakes it at once with a NOTIFY on its own channel
 * {@code <schema>.~wake} (no store channel contains '~'). When the connection breaks it reconnects (backing off up to
 * {@value #MAX_BACKOFF_MILLIS} ms) and listens again to every channel that has listeners; what was notified in
 * between is lost.
 *
 * <p>What guards what: the LISTEN connection, and the set of channels it listens to, are confined to the thread.
 * Other threads reach it through {@code requests}: a {@link #listen} that adds a channel's first listener queues the
 * channel and waits until the thread has reconciled it (LISTEN when it has listeners, UNLISTEN when no longer), so a
 * notify sent after {@code listen} returned is heard. {@code lock} guards starting the thread.
 */
final class Notifications implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  static final String THREAD_NAME = "store-listen";
  private static final int WAIT_MILLIS = 1_000;
  private static final int MAX_BACKOFF_MILLIS = 5_000;
  private static final long LISTEN_TIMEOUT_SECONDS = 10;
  private static final String WAKE = "~wake";

  /** A channel whose LISTEN state must be brought in line with its listeners, and who waits for that. */
  private record Request(String channel, CompletableFuture<Void> done) {}

  private final DataSource pool;
  private final PGSimpleDataSource direct;
  private final String prefix;
  private final Channels channels = new Channels();
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean stopping;
  private Thread thread;
  // confined to the thread
  private Connection connection;
  private final Set<String> listening = new HashSet<>();
  private final List<Request> unanswered = new ArrayList<>();

  Notifications(DataSource pool, String jdbcUrl, String schema) {
    this.pool = pool;
    this.direct = new PGSimpleDataSource();
    this.direct.setURL(jdbcUrl);
    this.prefix = schema + ".";
  }

  /** Sends a NOTIFY in a transaction of its own. */
  void notify(String channel, String payload) {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      s.setString(1, prefix + channel);
      s.setString(2, payload);
      s.execute();
      c.commit();
    } catch (SQLException e) {
      throw new PostgresException("NOTIFY on " + prefix + channel + " failed", e);
    }
  }

  AutoCloseable listen(String channel, Consumer<String> listener) {
    Channels.Registration registration = channels.add(channel, listener);
    if (registration.first()) {
      try {
        reconcile(channel).get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        registration.close();
        throw new PostgresException("LISTEN " + prefix + channel + " did not take effect", e);
      } catch (InterruptedException e) {
        registration.close();
        Thread.currentThread().interrupt();
        throw new PostgresException("interrupted while waiting for LISTEN " + prefix + channel, e);
      }
    }
    return () -> {
      registration.close();
      if (!channels.has(channel)) {
        // nobody waits for the UNLISTEN; it happens on the thread's next round
        requests.add(new Request(channel, new CompletableFuture<>()));
      }
    };
  }

  private CompletableFuture<Void> reconcile(String channel) {
    Request request = new Request(channel, new CompletableFuture<>());
    lock.lock();
    try {
      if (stopping) {
        throw new IllegalStateException("the store is closed");
      }
      requests.add(request);
      if (thread == null) {
        thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).start(this::run);
        return request.done();
      }
    } finally {
      lock.unlock();
    }
    wake();
    return request.done();
  }

  private void wake() {
    try {
      notify(WAKE, "");
    } catch (PostgresException e) {
      // the thread wakes up by itself within WAIT_MILLIS
      log.debug("waking {} failed", THREAD_NAME, e);
    }
  }

  /** Stops the thread (waking it while the pool is still open) and closes the LISTEN connection. */
  @Override
  public void close() {
    Thread running;
    lock.lock();
    try {
      stopping = true;
      running = thread;
    } finally {
      lock.unlock();
    }
    if (running == null) {
      return;
    }
    stopped.countDown();
    wake();
    boolean interrupted = false;
    while (true) {
      try {
        running.join();
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
    int backoff = 100;
    while (!stopping) {
      try {
        if (connection == null) {
          connect();
        }
        answerRequests();
        PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        backoff = 100;
        if (received != null) {
          for (PGNotification notification : received) {
            String name = notification.getName();
            if (name.startsWith(prefix) && !name.equals(prefix + WAKE)) {
              channels.dispatch(name.substring(prefix.length()), notification.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopping) {
          break;
        }
        log.warn("the LISTEN connection failed; reconnecting in {} ms", backoff, e);
        disconnect();
        awaitStop(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
    disconnect();
    IllegalStateException closed = new IllegalStateException("the store is closed");
    unanswered.forEach(r -> r.done().completeExceptionally(closed));
    requests.forEach(r -> r.done().completeExceptionally(closed));
  }

  /** Opens the LISTEN connection and listens to the wake channel and every channel that has listeners. */
  private void connect() throws SQLException {
    connection = direct.getConnection();
    connection.setAutoCommit(true);
    listening.clear();
    execute("LISTEN " + quote(prefix + WAKE));
    for (String channel : channels.channels()) {
      align(channel);
    }
  }

  private void answerRequests() throws SQLException {
    for (Request request; (request = requests.poll()) != null; ) {
      unanswered.add(request);
    }
    while (!unanswered.isEmpty()) {
      Request request = unanswered.getFirst();
      align(request.channel());
      unanswered.removeFirst();
      request.done().complete(null);
    }
  }

  /** LISTEN when the channel has listeners, UNLISTEN when it has none, nothing when that is already so. */
  private void align(String channel) throws SQLException {
    boolean wanted = channels.has(channel);
    if (wanted && listening.add(channel)) {
      execute("LISTEN " + quote(prefix + channel));
    } else if (!wanted && listening.remove(channel)) {
      execute("UNLISTEN " + quote(prefix + channel));
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A quoted identifier; store channels and schemas hold no quote, but a channel name is never trusted. */
  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private void disconnect() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing the LISTEN connection failed", e);
    }
    connection = null;
    listening.clear();
  }

  private void awaitStop(int millis) {
    try {
      stopped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // nobody interrupts this thread on purpose; carry on, the loop checks stopping
      log.debug("{} was interrupted", THREAD_NAME);
    }
  }
}
