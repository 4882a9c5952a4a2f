package kefu.server.clock;

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

  /** This node's clock was moved: store it and tell the other nodes. */
  public void published() {
    store.inTransaction(tx -> {
      tx.clock().put(clock.state());
      return null;
    });
    store.notify(CHANNEL, "moved");
    moved.run();
  }

  private void load() {
    try {
      store.read(tx -> tx.clock().get()).ifPresent(clock::apply);
      moved.run();
    } catch (RuntimeException e) {
      LOG.warn("could not load the deployment's clock: {}", e.toString());
    }
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
