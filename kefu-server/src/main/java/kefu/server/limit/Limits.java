package kefu.server.limit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.limit.ApiLimit;
import kefu.protocol.limit.ApiLimits;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.store.ApiCalls;
import kefu.store.App;
import kefu.store.Store;

/**
 * The apps' API limits (45009 daily, 45011 per minute) on WeChat-API calls, and their use for the dashboard.
 *
 * <p>A call is counted once its app has authenticated it: a right AppSecret (token, stable token) or a valid
 * access token (every other API); only then is its app known, and nobody who merely knows an appid can use up its
 * quota. A call the limits refuse is not counted (it changes nothing, like every refused call), so a day's count
 * never exceeds its quota. An app without limits, the default, costs nothing: its limits are read with the app,
 * and no store work is done.
 */
public final class Limits {
  private final Store store;

  public Limits(Store store) {
    this.store = store;
  }

  /** OK, or the error refusing the call because {@code app}'s quota for the call's path is used up. */
  public WxError admit(WxCall call, App app) {
    if (!app.limits().on()) {
      return WxError.OK;
    }
    String path = call.request().path().path();
    ApiLimit limit = app.limits().of(path);
    return store.inTransaction(tx -> tx.apiCalls().count(app.appid(), path, limit, call.now()));
  }

  /**
   * {@code GET /kefu/v1/apps/{appid}/limits}: whether the app's limits are on and, per API path, the calls counted
   * today (the Beijing day) and this minute against each limit ({@code null}: none).
   */
  public Reply usage(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    record Found(Optional<App> app, Map<String, ApiCalls.Usage> used) {}
    Found found = store.read(tx -> new Found(tx.apps().find(appid), tx.apiCalls().usage(appid, call.now())));
    if (found.app().isEmpty()) {
      return Reply.error(WxError.INVALID_APPID, "no app " + appid);
    }
    ApiLimits limits = found.app().get().limits();
    Instant day = ApiLimits.dayStart(call.now());
    ObjectNode o = Json.newObject().put("on", limits.on()).put("now_ms", call.now().toEpochMilli())
        .put("day_started_ms", day.toEpochMilli())
        .put("day_ends_ms", ApiLimits.dayStart(day.plus(Duration.ofHours(36))).toEpochMilli())
        .put("minute_started_ms", ApiLimits.minuteStart(call.now()).toEpochMilli());
    ArrayNode paths = o.putArray("paths");
    limits.byPath().forEach((path, limit) -> {
      ApiCalls.Usage used = found.used().getOrDefault(path, new ApiCalls.Usage(0, 0));
      ObjectNode p = paths.addObject().put("path", path);
      quota(p.putObject("daily"), limit.daily(), used.today());
      quota(p.putObject("per_minute"), limit.perMinute(), used.thisMinute());
    });
    return Reply.json(o);
  }

  private static void quota(ObjectNode o, int limit, long used) {
    if (limit == ApiLimit.UNLIMITED) {
      o.putNull("limit");
    } else {
      o.put("limit", limit);
    }
    o.put("used", used);
  }
}
