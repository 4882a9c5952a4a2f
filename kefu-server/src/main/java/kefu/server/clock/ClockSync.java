package kefu.server.clock;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import kefu.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one clock for the deployment: a move of this node's clock is stored and announced on
 * {@value #CHANNEL}; every node (this one included) reloads the stored state when it hears it, and at start.
 * With the embedded store this also makes a moved clock survive a restart.
 */
public final class ClockSync implements AutoCloseable {
  static final String CHANNEL = "kefu.clock";
  private static final Logger LOG = LoggerFactory.getLogger(ClockSync.class);

  private final Store store;
  private final KefuClock clock;
  private final Runnable moved;
  private final Lock lock = new ReentrantLock();
  private AutoCloseable listening;

  /** {@code moved} runs after each reload (to wake whatever waits on the clock). */
  public ClockSync(Store store, KefuClock clock, Runnable moved) {
    this.store = store;
    this.clock = clock;
    this.moved = moved;
  }

  public void start() {
    load();
    // listeners must not call the store: reload on a virtual thread of its own
    listening = store.listen(CHANNEL, payload -> Thread.ofVirtual().name("clock-sync").start(this::load));
  }

  /**
   * Moves this node's clock by {@code change}, stores the new state and tells the other nodes. A reload never runs
   * in between: one that read the stored state before the move's write would put the clock back where it was.
   */
  public void move(Runnable change) {
    lock.lock();
    try {
      change.run();
      store.inTransaction(tx -> {
        tx.clock().put(clock.state());
        return null;
      });
    } finally {
      lock.unlock();
    }
    store.notify(CHANNEL, "moved");
    moved.run();
  }

  private void load() {
    lock.lock();
    try {
      store.read(tx -> tx.clock().get()).ifPresent(clock::apply);
    } catch (RuntimeException e) {
      LOG.warn("could not load the deployment's clock: {}", e.toString());
      return;
    } finally {
      lock.unlock();
    }
    moved.run();
  }

  @Override
  public void close() {
    if (listening != null) {
      try {
        listening.close();
      } catch (Exception e) {
        LOG.debug("closing the clock listener: {}", e.toString());
      }
    }
  }
}
