package kefu.store.postgres;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kefu.protocol.WxError;
import kefu.protocol.limit.ApiLimit;
import kefu.protocol.limit.ApiLimits;
import kefu.store.ApiCalls;

/**
 * API calls. {@link #count} is one conditional upsert per period: it adds the call only while the period's count is
 * below the limit (or starts a new period at one), and PostgreSQL re-checks that condition on the newest row version
 * when another transaction counted first, so concurrent calls on every node together get exactly what the limit
 * holds. The day is counted first; when the minute then refuses, the day's call is taken back, on the row this
 * transaction still holds locked.
 */
record PostgresApiCalls(PostgresTx tx) implements ApiCalls {
  private static final String COUNT = "INSERT INTO api_calls AS c (appid, path, period, started_at, calls)"
      + " VALUES (?, ?, ?, ?, 1) ON CONFLICT (appid, path, period) DO UPDATE"
      + " SET calls = CASE WHEN c.started_at = excluded.started_at THEN c.calls + 1 ELSE 1 END,"
      + " started_at = excluded.started_at"
      + " WHERE c.started_at <> excluded.started_at OR c.calls < ?"
      + " RETURNING calls";
  private static final String USAGE = "SELECT path,"
      + " SUM(CASE WHEN period = 'DAY' AND started_at = ? THEN calls ELSE 0 END) AS today,"
      + " SUM(CASE WHEN period = 'MINUTE' AND started_at = ? THEN calls ELSE 0 END) AS this_minute"
      + " FROM api_calls WHERE appid = ? GROUP BY path ORDER BY path";

  @Override
  public WxError count(String appid, String path, ApiLimit limit, Instant now) {
    // a limit of 0 refuses the first call too, which the upsert (it inserts a first call unconditionally) cannot
    WxError none = ApiLimits.check(limit, 0, 0);
    if (none != WxError.OK) {
      return none;
    }
    if (!counted(appid, path, "DAY", ApiLimits.dayStart(now), limit.daily())) {
      return WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT;
    }
    if (!counted(appid, path, "MINUTE", ApiLimits.minuteStart(now), limit.perMinute())) {
      tx.update("UPDATE api_calls SET calls = calls - 1 WHERE appid = ? AND path = ? AND period = 'DAY'", appid, path);
      return WxError.API_MINUTE_QUOTA_REACH_LIMIT;
    }
    return WxError.OK;
  }

  @Override
  public Map<String, Usage> usage(String appid, Instant now) {
    Map<String, Usage> byPath = new LinkedHashMap<>();
    tx.list(USAGE, row -> Map.entry(row.getString("path"), new Usage(row.getLong("today"), row.getLong("this_minute"))),
        ApiLimits.dayStart(now).toEpochMilli(), ApiLimits.minuteStart(now).toEpochMilli(), appid)
        .forEach(e -> byPath.put(e.getKey(), e.getValue()));
    return byPath;
  }

  /** Whether the call was counted in the period that started at {@code start}, below {@code limit}. */
  private boolean counted(String appid, String path, String period, Instant start, int limit) {
    long below = limit == ApiLimit.UNLIMITED ? Long.MAX_VALUE : limit;
    return tx.first(COUNT, row -> row.getLong("calls"), appid, path, period, start.toEpochMilli(), below).isPresent();
  }
}
