package kefu.sdk;

import java.time.Duration;

/**
 * How the client waits: between tries after {@code -1}, and while another process holds the token-refresh lease.
 * Tests inject one that records the waits and returns at once.
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks the calling thread for {@code d}. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

  void sleep(Duration d) throws InterruptedException;
}
