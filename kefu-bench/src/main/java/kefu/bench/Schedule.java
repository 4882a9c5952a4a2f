package kefu.bench;

/**
 * The fixed send schedule of an open-loop phase: message {@code k} (k = 0, 1, …) is due at
 * {@code start + ⌊k · 10⁹ / rate⌋} ns and is sent by user {@code k mod users}, round robin. Together the users send
 * {@code rate} messages per second, each of them one every {@code users / rate} seconds. Due times are worked out
 * from {@code k}, not by adding up a rounded interval, so they do not drift: message {@code rate · s} is due exactly
 * {@code s} seconds after the start. Immutable.
 *
 * @param start due time of message 0, in {@link System#nanoTime()}
 * @param rate messages per second, all users together (at least 1)
 * @param users how many users share the messages (at least 1)
 */
record Schedule(long start, int rate, int users) {
  static final long NANOS_PER_SECOND = 1_000_000_000L;

  Schedule {
    if (rate < 1 || users < 1) {
      throw new IllegalArgumentException("rate and users must be at least 1, were " + rate + " and " + users);
    }
  }

  /** When message {@code k} is due. */
  long dueAt(long k) {
    if (k < 0) {
      throw new IllegalArgumentException("message index must not be negative, was " + k);
    }
    return start + Math.multiplyExact(k, NANOS_PER_SECOND) / rate;
  }

  /** The user (0 ≤ user &lt; users) who sends message {@code k}. */
  int user(long k) {
    return (int) (k % users);
  }

  /**
   * How many messages are due before {@code nanos}, which is also the index of the first one due at or after it:
   * the least {@code k} with {@code ⌊k · 10⁹ / rate⌋ ≥ nanos − start}, that is {@code ⌈(nanos − start) · rate / 10⁹⌉}.
   */
  long dueBefore(long nanos) {
    long elapsed = nanos - start;
    return elapsed <= 0 ? 0 : Math.ceilDiv(Math.multiplyExact(elapsed, (long) rate), NANOS_PER_SECOND);
  }

  /** How many of the first {@code messages} messages (indexes 0 to messages − 1) user {@code user} sends. */
  long countOf(int user, long messages) {
    return messages <= user ? 0 : (messages - user + users - 1) / users;
  }
}
