package kefu.server.crash;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the crash harness counts, and the anomalies it finds; printed once at the end. Thread-safe: every counter is
 * a {@link LongAdder} created up front, the anomalies a concurrent queue.
 */
final class Figures {
  /** A counted figure and how it is printed. */
  enum Figure {
    KILLS("kills (SIGKILL)"),
    KILLS_AT_START_UP("  of which while kefu was starting"),
    TOKENS("/cgi-bin/token answered with a token"),
    STABLE_TOKENS("/cgi-bin/stable_token answered with a token"),
    FORCED_REFRESHES("  of which force_refresh"),
    UPLOADS("media uploads answered with a media_id"),
    UPLOAD_QUOTA_REACHED("media uploads answered 45009 (an app's daily quota)"),
    USER_MESSAGES("user messages answered 0"),
    ROUTED_TO_AGENT("  of which routed to an agent"),
    SENDS("sends answered 0"),
    IMAGE_SENDS("  of which images"),
    COUNT_LIMITED("sends answered 45047"),
    OUT_OF_TIME("sends answered 45015"),
    TOKEN_REFUSED("calls answered 40001/42001"),
    ACCEPTS("users accepted by an agent"),
    AGENT_MESSAGES("agent messages answered 0"),
    CLOSES("agent sessions closed"),
    CUT_OFF("requests cut off by a kill"),
    PUSH_ATTEMPTS("push attempts received"),
    TRANSFERS("  answered transfer_customer_service"),
    MESSAGES_MATCHED("acknowledged messages found in conversations (all checks)"),
    TOKENS_STILL_VALID("tokens checked still valid after a restart"),
    TOKENS_DEAD("tokens checked refused once superseded or expired"),
    MEDIA_SERVED("uploads checked served after a restart");

    private final String label;

    Figure(String label) {
      this.label = label;
    }
  }

  private final Map<Figure, LongAdder> counters = new EnumMap<>(Figure.class);
  private final ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();

  Figures() {
    for (Figure f : Figure.values()) {
      counters.put(f, new LongAdder());
    }
  }

  void count(Figure figure) {
    counters.get(figure).increment();
  }

  long get(Figure figure) {
    return counters.get(figure).sum();
  }

  void anomaly(String what) {
    anomalies.add(what);
  }

  List<String> anomalies() {
    return List.copyOf(anomalies);
  }

  void print(PrintStream out, long distinctMsgIds) {
    out.println("crash harness figures:");
    for (Figure f : Figure.values()) {
      out.printf("  %-62s %8d%n", f.label, get(f));
      if (f == Figure.TRANSFERS) {
        out.printf("  %-62s %8d%n", "distinct MsgIds pushed", distinctMsgIds);
        out.printf("  %-62s %8d%n", "duplicate pushes (same MsgId again)", get(Figure.PUSH_ATTEMPTS) - distinctMsgIds);
      }
    }
    out.printf("  %-62s %8d%n", "anomalies", anomalies.size());
    anomalies.stream().limit(50).forEach(a -> out.println("  ANOMALY " + a));
    out.flush();
  }
}
