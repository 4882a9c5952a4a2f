package kefu.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for something kefu does asynchronously (a push attempt, a reply reaching the user) by asking kefu again
 * until it is there, a few milliseconds apart, so that the tests themselves never sleep. kefu's journals are the
 * truth a test asserts on; asking them keeps the extension free of a second, racing copy of them.
 */
final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(5);

  private Poll() {}

  /** The probe's first present value, or empty once {@code timeout} has passed (on the real clock). */
  static <T> Optional<T> until(Duration timeout, Supplier<Optional<T>> probe) {
    if (timeout.isZero() || timeout.isNegative()) {
      return probe.get();
    }
    try {
      return Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(INTERVAL)
          .atMost(timeout).until(probe::get, Optional::isPresent);
    } catch (ConditionTimeoutException e) {
      return Optional.empty();
    }
  }
}
