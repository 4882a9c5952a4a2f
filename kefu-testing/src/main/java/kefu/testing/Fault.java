package kefu.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;
import kefu.protocol.Json;

/**
 * A fault for {@link Faults#inject}: what it does, to which calls or pushes, and how often. Immutable: each method
 * returns a changed copy.
 *
 * <pre>{@code
 * kefu.faults().inject(Fault.errcode(-1).on("/cgi-bin/message/custom/send").times(2));
 * kefu.faults().inject(Fault.delayPush(Duration.ofSeconds(10)).forUser(alice));
 * }</pre>
 *
 * Errcodes, latency and dropped connections act on WeChat-API calls; duplicated and delayed pushes on the pushes to
 * your server. Without {@link #times} or {@link #during}, a fault applies once.
 */
public final class Fault {
  private final ObjectNode effect;
  private final String path;
  private final String openid;
  private final Integer times;
  private final Duration during;

  private Fault(ObjectNode effect, String path, String openid, Integer times, Duration during) {
    this.effect = effect;
    this.path = path;
    this.openid = openid;
    this.times = times;
    this.during = during;
  }

  private static Fault of(ObjectNode effect) {
    return new Fault(effect, null, null, null, null);
  }

  /** The call is answered with this errcode and WeChat's errmsg for it, and does nothing. */
  public static Fault errcode(int errcode) {
    return of(Json.newObject().put("type", "errcode").put("errcode", errcode));
  }

  /** As {@link #errcode(int)}, with this errmsg (kefu appends the rid). */
  public static Fault errcode(int errcode, String errmsg) {
    return of(Json.newObject().put("type", "errcode").put("errcode", errcode).put("errmsg", errmsg));
  }

  /** The call runs; its answer comes this much later (real time). */
  public static Fault latency(Duration latency) {
    return of(Json.newObject().put("type", "latency").put("ms", latency.toMillis()));
  }

  /** The connection is closed without an answer, and the call does not run. */
  public static Fault dropConnection() {
    return of(Json.newObject().put("type", "drop").put("after_call", false));
  }

  /** The call runs, then the connection is closed without its answer: did the send go through? */
  public static Fault dropConnectionAfterCall() {
    return of(Json.newObject().put("type", "drop").put("after_call", true));
  }

  /** The push reaches your server twice in a row, the same MsgId, timestamp, nonce and body. */
  public static Fault duplicatePush() {
    return of(Json.newObject().put("type", "duplicate_push"));
  }

  /** The push goes out this much later on kefu's clock: {@link TestClock#advance} it to deliver it. */
  public static Fault delayPush(Duration delay) {
    return of(Json.newObject().put("type", "delay_push").put("ms", delay.toMillis()));
  }

  /** Only calls to this WeChat-API path, or to every path it prefixes when it ends in {@code *}. */
  public Fault on(String path) {
    return new Fault(effect, Objects.requireNonNull(path, "path"), openid, times, during);
  }

  /** Only calls or pushes about this user. */
  public Fault forUser(SimulatedUser user) {
    return new Fault(effect, path, user.openid(), times, during);
  }

  /** For the next {@code n} matching calls or pushes. */
  public Fault times(int n) {
    return new Fault(effect, path, openid, n, during);
  }

  /** For this long on kefu's clock, in whole seconds (with {@link #times}: whichever runs out first). */
  public Fault during(Duration span) {
    return new Fault(effect, path, openid, times, Objects.requireNonNull(span, "span"));
  }

  /** The rule as {@code POST /kefu/v1/faults} takes it. */
  String toJson() {
    ObjectNode rule = Json.newObject();
    if (path != null) {
      rule.put("path", path);
    }
    if (openid != null) {
      rule.put("openid", openid);
    }
    rule.set("effect", effect);
    if (times != null || during == null) {
      rule.put("count", times == null ? 1 : times);
    }
    if (during != null) {
      rule.put("seconds", during.toSeconds());
    }
    return Json.write(rule);
  }

  @Override
  public String toString() {
    return "Fault" + toJson();
  }
}
