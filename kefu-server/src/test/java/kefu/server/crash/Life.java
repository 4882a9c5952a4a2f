package kefu.server.crash;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One life of the child under load, from the moment the load starts to the kill. The load counts what it gets
 * acknowledged; the kill comes once the count reaches {@code killAfter}, drawn at random, so it lands among requests
 * in flight. The child's clock is frozen at {@code kefuNowMs} for the whole life. Thread-safe.
 */
final class Life {
  final int number;
  final Client client;
  final long kefuNowMs;
  private final int killAfter;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final CountDownLatch killMoment = new CountDownLatch(1);
  private volatile boolean over;

  Life(int number, Client client, long kefuNowMs, int killAfter) {
    this.number = number;
    this.client = client;
    this.kefuNowMs = kefuNowMs;
    this.killAfter = killAfter;
  }

  boolean running() {
    return !over;
  }

  /** One more operation answered. */
  void acknowledged() {
    if (acknowledged.incrementAndGet() == killAfter) {
      killMoment.countDown();
    }
  }

  /** Blocks until the load has had {@code killAfter} operations acknowledged; false when that took too long. */
  boolean awaitKillMoment(Duration timeout) throws InterruptedException {
    return killMoment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int acknowledgedSoFar() {
    return acknowledged.get();
  }

  /** The load stops starting new operations. */
  void end() {
    over = true;
  }
}
