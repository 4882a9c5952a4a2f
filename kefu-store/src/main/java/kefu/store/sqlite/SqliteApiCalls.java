package kefu.store.sqlite;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import kefu.protocol.WxError;
import kefu.protocol.limit.ApiLimit;
import kefu.protocol.limit.ApiLimits;
import kefu.store.ApiCalls;

/** API calls. {@link #count} is a find, decide and put: atomic because the one writer runs one job at a time. */
record SqliteApiCalls(SqliteTx tx) implements ApiCalls {
  private static final String USAGE = "SELECT path,"
      + " SUM(CASE WHEN period = 'DAY' AND started_at = ? THEN calls ELSE 0 END) AS today,"
      + " SUM(CASE WHEN period = 'MINUTE' AND started_at = ? THEN calls ELSE 0 END) AS this_minute"
      + " FROM api_calls WHERE appid = ? GROUP BY path ORDER BY path";

  @Override
  public WxError count(String appid, String path, ApiLimit limit, Instant now) {
    Instant day = ApiLimits.dayStart(now);
    Instant minute = ApiLimits.minuteStart(now);
    long today = counted(appid, path, "DAY", day);
    long thisMinute = counted(appid, path, "MINUTE", minute);
    WxError verdict = ApiLimits.check(limit, today, thisMinute);
    if (verdict == WxError.OK) {
      put(appid, path, "DAY", day, today + 1);
      put(appid, path, "MINUTE", minute, thisMinute + 1);
    }
    return verdict;
  }

  @Override
  public Map<String, Usage> usage(String appid, Instant now) {
    Map<String, Usage> byPath = new LinkedHashMap<>();
    tx.list(USAGE, row -> Map.entry(row.getString("path"), new Usage(row.getLong("today"), row.getLong("this_minute"))),
        ApiLimits.dayStart(now).toEpochMilli(), ApiLimits.minuteStart(now).toEpochMilli(), appid)
        .forEach(e -> byPath.put(e.getKey(), e.getValue()));
    return byPath;
  }

  /** The calls of the period that started at {@code start}; 0 when the stored count is of another period. */
  private long counted(String appid, String path, String period, Instant start) {
    return tx.first("SELECT calls FROM api_calls WHERE appid = ? AND path = ? AND period = ? AND started_at = ?",
        row -> row.getLong("calls"), appid, path, period, start.toEpochMilli()).orElse(0L);
  }

  private void put(String appid, String path, String period, Instant start, long calls) {
    tx.update("INSERT INTO api_calls (appid, path, period, started_at, calls) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid, path, period) DO UPDATE SET started_at = excluded.started_at,"
            + " calls = excluded.calls",
        appid, path, period, start.toEpochMilli(), calls);
  }
}
