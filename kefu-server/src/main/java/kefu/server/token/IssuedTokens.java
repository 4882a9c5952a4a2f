package kefu.server.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.token.AccessToken;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.store.App;
import kefu.store.Store;

/**
 * {@code GET /kefu/v1/apps/{appid}/tokens?limit=}: the app's issued access tokens, newest first, each with its state
 * at the request's instant ({@code valid}, {@code in_grace}, {@code superseded}, {@code expired}); for the
 * developer's dashboard.
 */
public final class IssuedTokens {
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 200;

  private final Store store;

  public IssuedTokens(Store store) {
    this.store = store;
  }

  public Reply list(WxCall call) {
    String appid = call.pathParam("appid");
    call.identify(appid, "");
    int limit;
    try {
      limit = call.query("limit").filter(s -> !s.isEmpty()).map(Integer::parseInt).orElse(DEFAULT_LIMIT);
    } catch (NumberFormatException e) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "limit must be an integer");
    }
    int bounded = Math.max(1, Math.min(limit, MAX_LIMIT));
    record Found(Optional<App> app, List<AccessToken> tokens) {}
    Found found = store.read(tx -> new Found(tx.apps().find(appid), tx.tokens().list(appid, bounded)));
    if (found.app().isEmpty()) {
      return Reply.error(WxError.INVALID_APPID, "no app " + appid);
    }
    ObjectNode o = Json.newObject().put("now_ms", call.now().toEpochMilli());
    ArrayNode tokens = o.putArray("tokens");
    found.tokens().forEach(t -> tokens.add(view(t, call.now())));
    return Reply.json(o);
  }

  static ObjectNode view(AccessToken t, Instant now) {
    ObjectNode o = Json.newObject();
    o.put("access_token", t.value());
    o.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
    o.put("forced", t.forced());
    o.put("issued_at_ms", t.issuedAt().toEpochMilli());
    o.put("expires_at_ms", t.expiresAt().toEpochMilli());
    if (t.revokedAt() == null) {
      o.putNull("revoked_at_ms");
    } else {
      o.put("revoked_at_ms", t.revokedAt().toEpochMilli());
    }
    o.put("expires_in", t.expiresInSeconds(now));
    o.put("state", t.stateAt(now));
    return o;
  }
}
