package kefu.protocol.limit;

/**
 * The limits of one API path for one app: calls per day ({@code daily}, else 45009) and per minute
 * ({@code perMinute}, else 45011), each {@link #UNLIMITED} where there is none. A limit of 0 refuses every call.
 */
public record ApiLimit(int daily, int perMinute) {
  public static final int UNLIMITED = -1;
  /** The largest limit that can be set. */
  public static final int MAX = 1_000_000_000;
  /** No limit either way: the calls are still counted, for the dashboard. */
  public static final ApiLimit NONE = new ApiLimit(UNLIMITED, UNLIMITED);

  public ApiLimit {
    if (!valid(daily) || !valid(perMinute)) {
      throw new IllegalArgumentException("a limit is between 0 and " + MAX + ", or UNLIMITED; was " + daily + " a day, "
          + perMinute + " a minute");
    }
  }

  static boolean valid(long limit) {
    return limit == UNLIMITED || (limit >= 0 && limit <= MAX);
  }
}
