package kefu.server.clock;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import kefu.store.ClockState;
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
   * Moves this node's clock by {@code change}, stores the new state and tells the other nodes. The change is made on
   * a copy and applied only once stored: a request never reads a time the store may not keep (after a crash before
   * the write, the clock would stand behind what such requests wrote). A reload never runs in between: one that read
   * the stored state before the move's write would put the clock back where it was.
   */
  public void move(Consumer<KefuClock> change) {
    lock.lock();
    try {
      KefuClock moved = clock.copy();
      change.accept(moved);
      ClockState next = moved.state();
      store.inTransaction(tx -> {
        tx.clock().put(next);
        return null;
      });
      clock.apply(next);
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
