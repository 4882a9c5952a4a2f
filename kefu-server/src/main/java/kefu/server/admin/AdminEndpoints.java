package kefu.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultCodec;
import kefu.server.clock.KefuClock;
import kefu.protocol.push.PushSettings;
import kefu.server.config.AppSpec;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.push.UrlChecker;
import kefu.store.App;
import kefu.store.JournalQuery;
import kefu.store.Store;

/** The platform's own API: health, clock, apps, reset and the request journal. */
public final class AdminEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;
  private static final int MAX_JOURNAL_LIMIT = 1000;

  private final Store store;
  private final KefuClock clock;
  private final RandomGenerator secureRandom;
  private final UrlChecker urlChecker;
  private final Consumer<Consumer<KefuClock>> clockMove;
  private final Runnable emptied;

  /**
   * {@code clockMove} moves the clock by the change it is given and shares the move with the other nodes;
   * {@code emptied} runs after a reset (the fault rules are gone).
   */
  public AdminEndpoints(Store store, KefuClock clock, RandomGenerator secureRandom, UrlChecker urlChecker,
                        Consumer<Consumer<KefuClock>> clockMove, Runnable emptied) {
    this.store = store;
    this.clock = clock;
    this.secureRandom = secureRandom;
    this.urlChecker = urlChecker;
    this.clockMove = clockMove;
    this.emptied = emptied;
  }

  public Reply health(WxCall call) {
    return Reply.json(Json.newObject().put("status", "ok"));
  }

  public Reply clock(WxCall call) {
    return Reply.json(clockView());
  }

  /** {@code {"advance_seconds":N}}, {@code {"set_ms":T}} or {@code {"frozen":true|false}} (combinable). */
  public Reply setClock(WxCall call) {
    Optional<ObjectNode> body = call.body(BODY_LIMIT).flatMap(Json::object);
    if (body.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "expected a JSON object");
    }
    ObjectNode b = body.get();
    JsonNode advance = b.get("advance_seconds");
    JsonNode set = b.get("set_ms");
    JsonNode frozen = b.get("frozen");
    if (advance == null && set == null && frozen == null) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "give advance_seconds, set_ms or frozen");
    }
    if ((advance != null && !advance.isIntegralNumber()) || (set != null && !set.isIntegralNumber())
        || (frozen != null && !frozen.isBoolean())) {
      return Reply.error(WxError.DATA_FORMAT_ERROR,
          "advance_seconds and set_ms must be integers, frozen true or false");
    }
    if (advance != null && (advance.longValue() < 0 || advance.longValue() > 10L * 365 * 86_400)) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "advance_seconds must be between 0 and 10 years");
    }
    clockMove.accept(moved -> {
      if (frozen != null) {
        moved.freeze(frozen.booleanValue());
      }
      if (set != null) {
        moved.set(Instant.ofEpochMilli(set.longValue()));
      }
      if (advance != null) {
        moved.advance(Duration.ofSeconds(advance.longValue()));
      }
    });
    return Reply.json(clockView());
  }

  public Reply apps(WxCall call) {
    ObjectNode o = Json.newObject();
    ArrayNode apps = o.putArray("apps");
    store.read(tx -> tx.apps().all()).forEach(a -> apps.add(AppSpec.render(a)));
    return Reply.json(o);
  }

  public Reply app(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    return store.read(tx -> tx.apps().find(appid)).<Reply>map(a -> Reply.json(AppSpec.render(a)))
        .orElseGet(() -> Reply.error(WxError.INVALID_APPID, "no app " + appid));
  }

  /**
   * Creates or updates an app: only the fields given change. A push URL or token that changes (or push being
   * enabled) is checked the way WeChat checks it, unless {@code ?skip_url_check=true} (for a developer's server
   * that starts later); a failed check saves nothing.
   */
  public Reply putApp(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    Optional<ObjectNode> body = call.body(BODY_LIMIT).flatMap(Json::object);
    if (body.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "expected a JSON object");
    }
    App base = store.read(tx -> tx.apps().find(appid)).orElse(null);
    AppSpec.Parsed parsed = AppSpec.parse(appid, body.get(), base, secureRandom);
    if (parsed.app() == null) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, parsed.problem());
    }
    PushSettings push = parsed.app().push();
    PushSettings before = base == null ? PushSettings.NONE : base.push();
    boolean needsCheck = push.active() && (!before.active() || !push.url().equals(before.url())
        || !push.token().equals(before.token()));
    if (needsCheck && !call.query("skip_url_check").map("true"::equals).orElse(false)) {
      Optional<String> refused = urlChecker.check(push);
      if (refused.isPresent()) {
        return Reply.error(WxError.DATA_FORMAT_ERROR, "push.url refused: " + refused.get()
            + " (nothing saved; add ?skip_url_check=true to save without the check)");
      }
    }
    store.inTransaction(tx -> {
      tx.apps().put(parsed.app());
      return null;
    });
    return Reply.json(AppSpec.render(parsed.app()));
  }

  public Reply reset(WxCall call) {
    store.reset();
    emptied.run();
    return Reply.OK;
  }

  /**
   * {@code GET /kefu/v1/journal?appid=&path=&errcode=&limit=}: WeChat-API calls, newest first; {@code fault} is the
   * injected fault ({@code {"rule":7,"effect":"errcode 45009"}}) or null.
   */
  public Reply journal(WxCall call) {
    Integer errcode;
    int limit;
    try {
      errcode = call.query("errcode").filter(s -> !s.isEmpty()).map(Integer::valueOf).orElse(null);
      limit = call.query("limit").filter(s -> !s.isEmpty()).map(Integer::parseInt).orElse(100);
    } catch (NumberFormatException e) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "errcode and limit must be integers");
    }
    JournalQuery q = new JournalQuery(call.query("appid").filter(s -> !s.isEmpty()).orElse(null),
        call.query("path").filter(s -> !s.isEmpty()).orElse(null), errcode,
        Math.max(1, Math.min(limit, MAX_JOURNAL_LIMIT)));
    ObjectNode o = Json.newObject();
    ArrayNode entries = o.putArray("entries");
    store.flush();
    store.read(tx -> tx.journal().query(q)).forEach(e -> entries.addObject()
        .put("at_ms", e.at().toEpochMilli())
        .put("method", e.method())
        .put("path", e.path())
        .put("appid", e.appid())
        .put("openid", e.openid())
        .put("errcode", e.errcode())
        .put("latency_ms", e.latencyMicros() / 1000.0)
        .put("rid", e.rid())
        .set("fault", FaultCodec.render(e.fault())));
    return Reply.json(o);
  }

  private ObjectNode clockView() {
    return Json.newObject().put("now_ms", clock.millis()).put("frozen", clock.isFrozen());
  }
}
