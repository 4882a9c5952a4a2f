package kefu.store;

/**
 * The deployment's clock as {@code POST /kefu/v1/clock} left it: the system clock plus {@code offsetMillis}, or, when
 * {@code frozenAtMillis} is not null, frozen at that instant (epoch milliseconds). Stored so that every kefu node on
 * one database runs on the same clock.
 */
public record ClockState(long offsetMillis, Long frozenAtMillis) {
  /** The system clock as it is: no offset, not frozen. */
  public static final ClockState SYSTEM = new ClockState(0, null);
}
