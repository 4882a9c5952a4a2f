package kefu.server.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.StableDecision;
import kefu.protocol.token.TokenKind;
import kefu.protocol.token.TokenRules;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.limit.Limits;
import kefu.store.App;
import kefu.store.Store;
import kefu.store.Tx;

/**
 * {@code GET /cgi-bin/token} and {@code POST /cgi-bin/stable_token} (spec §2), and the access-token check every other
 * WeChat API makes. Checks run in WeChat's order: appid missing (41002), unknown appid (40013, even before
 * grant_type), grant_type (40002), secret missing (41004), wrong secret (40125); then, the app authenticated, its
 * API limits ({@link Limits}: 45009, 45011).
 */
public final class TokenEndpoints {
  private static final int BODY_LIMIT = 64 * 1024;

  private final Store store;
  private final RandomGenerator secureRandom;
  private final Limits limits;

  public TokenEndpoints(Store store, RandomGenerator secureRandom, Limits limits) {
    this.store = store;
    this.secureRandom = secureRandom;
    this.limits = limits;
  }

  public Reply token(WxCall call) {
    Decoded<App> app = credentials(call, call.query("appid"), call.query("grant_type"), call.query("secret"));
    if (app instanceof Decoded.Bad<App> bad) {
      return Reply.error(bad.error());
    }
    App a = ((Decoded.Ok<App>) app).value();
    AccessToken token = TokenRules.issue(a.appid(), TokenKind.ORDINARY, false, call.now(), secureRandom);
    store.inTransaction(tx -> {
      tx.tokens().revokeAll(a.appid(), TokenKind.ORDINARY, call.now().plus(TokenRules.GRACE));
      tx.tokens().insert(token);
      return null;
    });
    return tokenReply(token, call.now());
  }

  public Reply stableToken(WxCall call) {
    if (!call.isPost()) {
      return Reply.error(WxError.REQUIRE_POST_METHOD);
    }
    Optional<byte[]> body = call.body(BODY_LIMIT);
    if (body.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR);
    }
    Decoded<ObjectNode> decoded = Json.requestObject(body.get());
    if (decoded instanceof Decoded.Bad<ObjectNode> bad) {
      return Reply.error(bad.error());
    }
    ObjectNode root = ((Decoded.Ok<ObjectNode>) decoded).value();
    JsonNode force = root.get("force_refresh");
    if (force != null && !force.isBoolean() && !force.isNull()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR);
    }
    boolean forced = force != null && force.booleanValue();
    Decoded<App> app = credentials(call, Json.text(root, "appid"), Json.text(root, "grant_type"),
        Json.text(root, "secret"));
    if (app instanceof Decoded.Bad<App> bad) {
      return Reply.error(bad.error());
    }
    String appid = ((Decoded.Ok<App>) app).value().appid();
    Instant now = call.now();
    // forced refreshes are counted per Beijing day, as WeChat's daily quotas are
    Instant dayStart = ApiLimits.dayStart(now);
    Object outcome = store.inTransaction(tx -> {
      AccessToken current = tx.tokens().latest(appid, TokenKind.STABLE).orElse(null);
      StableDecision d = TokenRules.onStable(current, forced, tx.tokens().countForcedSince(appid, dayStart),
          tx.tokens().lastForcedAt(appid).orElse(null), now);
      if (d instanceof StableDecision.Reuse r) {
        return r.current();
      }
      if (d instanceof StableDecision.Issue issue) {
        if (issue.revokePrevious()) {
          tx.tokens().revokeAll(appid, TokenKind.STABLE, now);
        }
        AccessToken fresh = TokenRules.issue(appid, TokenKind.STABLE, issue.forced(), now, secureRandom);
        tx.tokens().insert(fresh);
        return fresh;
      }
      return ((StableDecision.Denied) d).error();
    });
    if (outcome instanceof WxError error) {
      return Reply.error(error);
    }
    return tokenReply((AccessToken) outcome, now);
  }

  /** An authorized customer-service call: the app, and its decoded request. */
  public record Authorized<T>(App app, T request) {}

  /**
   * The gate of the customer-service APIs (send, typing), in WeChat's order: POST only (43002), a valid token
   * (41001/40001/42001), the app's customer-service permission (48001), the body (at most {@code limit} bytes, else
   * 47001) decoded by {@code decoder}, then {@code references}: what the request names must exist (its user, its
   * media), judged in the same read transaction as the token, so the gate costs the store one read; last the app's
   * API limits, which count only a call that passed the gate.
   */
  public <T> Decoded<Authorized<T>> authorizeCustomerService(WxCall call, int limit,
                                                             Function<byte[], Decoded<T>> decoder,
                                                             BiFunction<Tx, Authorized<T>, WxError> references) {
    if (!call.isPost()) {
      return Decoded.bad(WxError.REQUIRE_POST_METHOD);
    }
    Optional<String> token = call.query("access_token").filter(v -> !v.isEmpty());
    if (token.isEmpty()) {
      return Decoded.bad(WxError.ACCESS_TOKEN_MISSING);
    }
    // decoded before the read, reported after the token's verdict (a bad token outranks a bad body)
    Decoded<T> decoded = call.body(limit).map(decoder).orElseGet(() -> Decoded.bad(WxError.DATA_FORMAT_ERROR));
    Decoded<Authorized<T>> gate = store.read(tx -> {
      Decoded<App> auth = authenticate(tx, call, token.get());
      if (auth instanceof Decoded.Bad<App> bad) {
        return Decoded.bad(bad.error());
      }
      App app = ((Decoded.Ok<App>) auth).value();
      if (!app.customerServiceAllowed()) {
        return Decoded.bad(WxError.API_UNAUTHORIZED);
      }
      if (decoded instanceof Decoded.Bad<T> bad) {
        return Decoded.bad(bad.error());
      }
      Authorized<T> authorized = new Authorized<>(app, ((Decoded.Ok<T>) decoded).value());
      WxError refused = references.apply(tx, authorized);
      return refused == WxError.OK ? Decoded.ok(authorized) : Decoded.bad(refused);
    });
    return gate instanceof Decoded.Ok<Authorized<T>> ok ? admitted(call, ok.value().app(), gate) : gate;
  }

  /**
   * The app whose token the call carries in its query ({@code access_token}): 41001 when missing, 40001 when unknown
   * or superseded past its grace, 42001 when expired; then the app's API limits (45009, 45011).
   */
  public Decoded<App> authenticate(WxCall call) {
    return authenticate(call, call.query("access_token"));
  }

  /** As {@link #authenticate(WxCall)}, with the token found elsewhere (a multipart form field of media/upload). */
  public Decoded<App> authenticate(WxCall call, Optional<String> accessToken) {
    Optional<String> value = accessToken.filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Decoded.bad(WxError.ACCESS_TOKEN_MISSING);
    }
    Decoded<App> auth = store.read(tx -> authenticate(tx, call, value.get()));
    return auth instanceof Decoded.Ok<App> ok ? admitted(call, ok.value(), auth) : auth;
  }

  /**
   * {@code passed}, unless {@code app}'s API limits refuse the call (45009, 45011). Only calls that authenticated
   * come here, so nobody who merely knows an appid can use up its quota.
   */
  private <T> Decoded<T> admitted(WxCall call, App app, Decoded<T> passed) {
    WxError refused = limits.admit(call, app);
    return refused == WxError.OK ? passed : Decoded.bad(refused);
  }

  private static Decoded<App> authenticate(Tx tx, WxCall call, String value) {
    AccessToken token = tx.tokens().find(value).orElse(null);
    WxError verdict = TokenRules.check(token, call.now());
    if (verdict != WxError.OK) {
      return Decoded.bad(verdict);
    }
    call.identify(token.appid(), "");
    return tx.apps().find(token.appid()).<Decoded<App>>map(Decoded::ok)
        .orElseGet(() -> Decoded.bad(WxError.INVALID_CREDENTIAL));
  }

  private Decoded<App> credentials(WxCall call, Optional<String> appid, Optional<String> grantType,
                                   Optional<String> secret) {
    if (appid.isEmpty() || appid.get().isEmpty()) {
      return Decoded.bad(WxError.APPID_MISSING);
    }
    call.identify(appid.get(), "");
    Optional<App> app = store.read(tx -> tx.apps().find(appid.get()));
    if (app.isEmpty()) {
      return Decoded.bad(WxError.INVALID_APPID);
    }
    if (!"client_credential".equals(grantType.orElse(""))) {
      return Decoded.bad(WxError.INVALID_GRANT_TYPE);
    }
    if (secret.isEmpty() || secret.get().isEmpty()) {
      return Decoded.bad(WxError.APPSECRET_MISSING);
    }
    if (!app.get().secret().matches(secret.get())) {
      return Decoded.bad(WxError.INVALID_APPSECRET);
    }
    return admitted(call, app.get(), Decoded.ok(app.get()));
  }

  private static Reply tokenReply(AccessToken token, Instant now) {
    return Reply.json(Json.newObject().put("access_token", token.value())
        .put("expires_in", token.expiresInSeconds(now)));
  }
}
