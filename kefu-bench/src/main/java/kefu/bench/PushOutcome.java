package kefu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a push phase delivered, worked out once the outbox has drained (or the drain bound has passed) from when each
 * accepted user message was sent and when its push arrived. Immutable.
 *
 * <ul>
 *   <li>{@code expected}: messages accepted in the whole phase, warm-up included; each must arrive once.
 *   <li>{@code deliveredInWindow}: first arrivals inside the measured window, whenever their message was sent.
 *   <li>{@code delivery}: for messages sent inside the window, arrival minus the start of the user-message request
 *       (durable write, dispatch and the HTTP push, end to end).
 *   <li>{@code drainNanos}: from the end of the window to the last expected arrival (0 when all came in the window).
 *   <li>{@code backlog}: messages whose request started before the end of the window and whose push had not arrived
 *       by then: what the outbox (and the requests in flight) held when the load stopped.
 *   <li>{@code missing}: expected MsgIds that never arrived, which fails the run; {@code unexpected}: MsgIds that
 *       arrived but were not expected (a message whose answer was lost); duplicates and unreadable pushes are the
 *       receiver's counts. The samples are the lowest missing MsgIds.
 * </ul>
 */
record PushOutcome(long expected, Load.Window window, long deliveredInWindow, Latencies delivery, long drainNanos,
                   long backlog, long missing, List<Long> missingSamples, long unexpected, PushReceiver.Arrivals arrivals) {
  private static final int SAMPLES = 5;

  /**
   * @param sentAt when the request of each accepted message started, by MsgId ({@link System#nanoTime()})
   */
  static PushOutcome of(Map<Long, Long> sentAt, PushReceiver.Arrivals arrivals, Load.Window window) {
    Map<Long, Long> firsts = arrivals.firsts();
    long inWindow = firsts.values().stream().filter(window::contains).count();
    long[] latencies = new long[sentAt.size()];
    int measured = 0;
    long lastArrival = window.to();
    long backlog = 0;
    List<Long> missing = new ArrayList<>();
    for (Map.Entry<Long, Long> sent : sentAt.entrySet()) {
      Long arrival = firsts.get(sent.getKey());
      if (sent.getValue() - window.to() < 0 && (arrival == null || arrival - window.to() >= 0)) {
        backlog++;
      }
      if (arrival == null) {
        missing.add(sent.getKey());
        continue;
      }
      if (arrival - lastArrival > 0) {
        lastArrival = arrival;
      }
      if (window.contains(sent.getValue())) {
        latencies[measured++] = arrival - sent.getValue();
      }
    }
    long unexpected = firsts.keySet().stream().filter(id -> !sentAt.containsKey(id)).count();
    return new PushOutcome(sentAt.size(), window, inWindow,
        Latencies.of(Arrays.copyOf(latencies, measured)), lastArrival - window.to(), backlog,
        missing.size(),
        missing.stream().sorted().limit(SAMPLES).toList(), unexpected, arrivals);
  }

  /** First arrivals per second of the measured window. */
  double pushesPerSecond() {
    return deliveredInWindow / window.seconds();
  }

  /** Every expected push arrived, and every push carried a MsgId. */
  boolean ok() {
    return missing == 0 && arrivals.unreadable() == 0;
  }
}
