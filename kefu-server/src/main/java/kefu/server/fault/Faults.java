package kefu.server.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultEffect;
import kefu.protocol.fault.FaultRule;
import kefu.protocol.token.AccessToken;
import kefu.server.http.Endpoints;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection: the deployment's fault rules applied to WeChat-API calls (around every endpoint, see
 * {@link Endpoints.Around}) and to pushes ({@link #forPush}). The first live rule that matches, oldest first, applies;
 * one fault per call or push.
 *
 * <p>The rules live in the store, so every node of a deployment applies the same ones, and each use is counted there
 * ({@link kefu.store.FaultRules#use}), so "the next N matching calls" is exact across threads and nodes. This node
 * keeps the rules that are not used up in {@code rules}: a call reads that list first, so without rules the cost is
 * one volatile read. The list is reloaded when this node changes the rules (before it answers), when another node
 * announces a change on {@value #CHANNEL}, and when a use finds a rule used up, expired or gone. A node that misses
 * an announcement (PostgreSQL connection lost at that moment) keeps its list until the next reload.
 *
 * <p>Thread-safety: {@code rules} is an immutable list, replaced whole; reloads run one at a time under
 * {@code reloading}, each reading the store after the previous one installed its list, so a reload never installs
 * an older list than the one it replaces.
 */
public final class Faults implements Endpoints.Around {
  static final String CHANNEL = "kefu.faults";
  /** Bodies up to this size are looked into when a rule asks about the openid (or the appid of a stable_token). */
  private static final int PEEK_LIMIT = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

  private final Store store;
  private final ReentrantLock reloading = new ReentrantLock();
  private volatile List<FaultRule> rules = List.of();

  public Faults(Store store) {
    this.store = store;
  }

  /** Loads the rules and starts hearing other nodes' changes; closing the answer stops hearing them. */
  public AutoCloseable start() {
    reload();
    // listeners must not call the store: reload on a virtual thread of its own
    return store.listen(CHANNEL, payload -> Thread.ofVirtual().name("faults-reload").start(this::reloadQuietly));
  }

  /** The rules were changed on this node: reload them before answering, and tell the other nodes. */
  public void changed() {
    reload();
    store.notify(CHANNEL, "changed");
  }

  /**
   * Runs the endpoint, unless a live rule matching the call injects a fault, which marks the call: an errcode
   * answers instead of the endpoint (nothing changes); a latency holds the endpoint's answer back; a drop closes the
   * connection before the endpoint runs, or after.
   */
  @Override
  public Reply run(WxCall call, Endpoints.Endpoint endpoint) {
    List<FaultRule> current = rules;
    if (current.isEmpty()) {
      return endpoint.handle(call);
    }
    Optional<FaultRule> applied = forCall(current, call);
    if (applied.isEmpty()) {
      return endpoint.handle(call);
    }
    FaultRule rule = applied.get();
    call.fault(rule.mark());
    FaultEffect effect = rule.effect();
    if (effect instanceof FaultEffect.Errcode e) {
      return new Reply.Code(e.errcode(), e.errmsgText());
    }
    if (effect instanceof FaultEffect.Drop drop && !drop.afterCall()) {
      return new Reply.Dropped(WxError.SYSTEM_ERROR.code());
    }
    Reply answer = endpoint.handle(call);
    if (effect instanceof FaultEffect.Latency latency) {
      hold(latency.latency());
      return answer;
    }
    return new Reply.Dropped(answer.errcode());
  }

  /**
   * The fault for a push about ({@code appid}, {@code openid}) at {@code now}: the first live rule with a push effect
   * that matches, used once; empty when none applies.
   */
  public Optional<FaultRule> forPush(String appid, String openid, Instant now) {
    for (FaultRule rule : rules) {
      if (rule.matchesPush(appid, openid) && rule.live(now)) {
        Optional<FaultRule> used = use(rule, now);
        if (used.isPresent()) {
          return used;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<FaultRule> forCall(List<FaultRule> current, WxCall call) {
    String path = call.request().path().path();
    Subject subject = new Subject(call);
    for (FaultRule rule : current) {
      if (rule.mayMatchCall(path) && rule.live(call.now())
          && rule.matchesCall(path, rule.appid().isEmpty() ? "" : subject.appid(),
              rule.openid().isEmpty() ? "" : subject.openid())) {
        Optional<FaultRule> used = use(rule, call.now());
        if (used.isPresent()) {
          // the endpoint may not run: the journal learns who the call was about here
          call.identify(subject.appid(), subject.openid());
          return used;
        }
      }
    }
    return Optional.empty();
  }

  /** One use of the rule; when the store says it is used up, expired or gone, this node's list is stale. */
  private Optional<FaultRule> use(FaultRule rule, Instant now) {
    Optional<FaultRule> used = store.inTransaction(tx -> tx.faultRules().use(rule.id(), now));
    if (used.isEmpty()) {
      reload();
    }
    return used;
  }

  private static void hold(Duration latency) {
    try {
      Thread.sleep(latency);
    } catch (InterruptedException e) {
      // the server is stopping: answer at once
      Thread.currentThread().interrupt();
    }
  }

  private void reload() {
    reloading.lock();
    try {
      rules = store.read(tx -> tx.faultRules().all()).stream()
          .filter(r -> !r.usedUp()).toList();
    } finally {
      reloading.unlock();
    }
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      LOG.warn("could not reload the fault rules: {}", e.toString());
    }
  }

  /**
   * Who a call is about, found only when a rule asks: the appid from the query ({@code /cgi-bin/token}), from the
   * access token, or from the JSON body ({@code stable_token}); the openid from the body's {@code touser}.
   * Confined to the call's thread.
   */
  private final class Subject {
    private final WxCall call;
    private String appid;
    private String openid;

    Subject(WxCall call) {
      this.call = call;
    }

    String appid() {
      if (appid == null) {
        Optional<String> token = nonEmpty(call.query("access_token"));
        appid = nonEmpty(call.query("appid"))
            .or(() -> token.flatMap(t -> store.read(tx -> tx.tokens().find(t))).map(AccessToken::appid))
            .or(() -> token.isPresent() ? Optional.empty() : bodyText("appid"))
            .orElse("");
      }
      return appid;
    }

    String openid() {
      if (openid == null) {
        openid = bodyText("touser").orElse("");
      }
      return openid;
    }

    private Optional<String> bodyText(String field) {
      return call.body(PEEK_LIMIT).flatMap(Json::object).flatMap(o -> Json.text(o, field));
    }

    private static Optional<String> nonEmpty(Optional<String> value) {
      return value.filter(v -> !v.isEmpty());
    }
  }
}
