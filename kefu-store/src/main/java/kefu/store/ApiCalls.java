package kefu.store;

import java.time.Instant;
import java.util.Map;
import kefu.protocol.WxError;
import kefu.protocol.limit.ApiLimit;

/**
 * The calls counted against the apps' {@link kefu.protocol.limit.ApiLimits API limits}: per app and API path, the
 * calls of the current Beijing day and of the current minute ({@link kefu.protocol.limit.ApiLimits#dayStart},
 * {@link kefu.protocol.limit.ApiLimits#minuteStart} of the {@code now} given). A counter whose period has passed
 * counts from zero again. {@link Store#reset} clears them.
 */
public interface ApiCalls {
  /**
   * Counts one call of {@code appid} on {@code path} at {@code now}, atomically: OK, or, counting nothing, 45009
   * when the day already holds {@code limit.daily()} calls, else 45011 when the minute holds
   * {@code limit.perMinute()} ({@link kefu.protocol.limit.ApiLimits#check}). Correct however many transactions, on
   * however many nodes, count at once: together they allow exactly what the limit holds.
   */
  WxError count(String appid, String path, ApiLimit limit, Instant now);

  /** The app's calls counted in the day and in the minute of {@code now}, by path; a path never counted is absent. */
  Map<String, Usage> usage(String appid, Instant now);

  /** Calls counted today and in this minute. */
  record Usage(long today, long thisMinute) {}
}
