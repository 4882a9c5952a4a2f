package kefu.protocol.limit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import kefu.protocol.WxError;

/**
 * An app's API limits, like WeChat's per-account quotas (spec §2.1, §2.2, §9): per API path, a daily quota (45009
 * {@code reach max api daily quota limit}) and a per-minute quota (45011 {@code api minute-quota reach limit, must
 * slower, retry next minute}). {@link #OFF}, the default, limits nothing and counts nothing, so that test suites
 * and benchmarks are never throttled; {@link #wechat()} switches them on with WeChat-like figures, and
 * {@link #with} overrides one path.
 *
 * <p>Days are Beijing days (China Standard Time, as WeChat's daily quotas and the forced stable-token refreshes
 * count them); minutes are clock minutes. Both are read from the request's {@code now} on kefu's clock.
 */
public record ApiLimits(boolean on, Map<String, ApiLimit> byPath) {
  /** The time zone of WeChat's days. */
  public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

  /**
   * WeChat's figures where it publishes one: 2000 {@code /cgi-bin/token} a day; {@code stable_token} 500 000 a day
   * and 10 000 a minute; the Official Account table's 500 000 customer-service messages, 5000 uploads and 10 000
   * downloads a day. Typing is kefu's choice, the same as sending. WeChat publishes no other per-minute quota.
   */
  public static final Map<String, ApiLimit> WECHAT;

  static {
    Map<String, ApiLimit> m = new LinkedHashMap<>();
    m.put("/cgi-bin/token", new ApiLimit(2000, ApiLimit.UNLIMITED));
    m.put("/cgi-bin/stable_token", new ApiLimit(500_000, 10_000));
    m.put("/cgi-bin/message/custom/send", new ApiLimit(500_000, ApiLimit.UNLIMITED));
    m.put("/cgi-bin/message/custom/typing", new ApiLimit(500_000, ApiLimit.UNLIMITED));
    m.put("/cgi-bin/message/custom/business/typing", new ApiLimit(500_000, ApiLimit.UNLIMITED));
    m.put("/cgi-bin/media/upload", new ApiLimit(5000, ApiLimit.UNLIMITED));
    m.put("/cgi-bin/media/get", new ApiLimit(10_000, ApiLimit.UNLIMITED));
    WECHAT = Collections.unmodifiableMap(m);
  }

  public static final ApiLimits OFF = new ApiLimits(false, Map.of());

  /** @throws IllegalArgumentException for a path that is not a limited WeChat API, or limits given while off */
  public ApiLimits {
    Objects.requireNonNull(byPath, "byPath");
    if (!on && !byPath.isEmpty()) {
      throw new IllegalArgumentException("limits that are off have no paths");
    }
    for (String path : byPath.keySet()) {
      if (!WECHAT.containsKey(path)) {
        throw new IllegalArgumentException("not a limited API path: " + path);
      }
    }
    byPath = Collections.unmodifiableMap(new LinkedHashMap<>(byPath));
  }

  /** Switched on, with {@link #WECHAT}'s figures. */
  public static ApiLimits wechat() {
    return new ApiLimits(true, WECHAT);
  }

  /** These limits, switched on, with {@code path}'s replaced. */
  public ApiLimits with(String path, ApiLimit limit) {
    Map<String, ApiLimit> next = new LinkedHashMap<>(on ? byPath : WECHAT);
    next.put(path, Objects.requireNonNull(limit, "limit"));
    return new ApiLimits(true, next);
  }

  /** The limit of {@code path}; {@link ApiLimit#NONE} for a path without one. */
  public ApiLimit of(String path) {
    return byPath.getOrDefault(path, ApiLimit.NONE);
  }

  /** The first instant of the Beijing day that holds {@code now}. */
  public static Instant dayStart(Instant now) {
    return LocalDate.ofInstant(now, BEIJING).atStartOfDay(BEIJING).toInstant();
  }

  /** The first instant of the minute that holds {@code now}. */
  public static Instant minuteStart(Instant now) {
    return now.truncatedTo(ChronoUnit.MINUTES);
  }

  /**
   * Whether one more call is allowed after {@code today} calls this day and {@code thisMinute} this minute: OK,
   * 45009 when the day's quota is used up (whatever the minute), else 45011 when the minute's is.
   */
  public static WxError check(ApiLimit limit, long today, long thisMinute) {
    if (limit.daily() != ApiLimit.UNLIMITED && today >= limit.daily()) {
      return WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT;
    }
    if (limit.perMinute() != ApiLimit.UNLIMITED && thisMinute >= limit.perMinute()) {
      return WxError.API_MINUTE_QUOTA_REACH_LIMIT;
    }
    return WxError.OK;
  }
}
