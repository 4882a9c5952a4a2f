package kefu.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.Json;

/**
 * A small WeChat-API client for tests: what a mini program's backend calls, answered as {@link WxResponse} values
 * whatever their errcode, so a test asserts on 45015 and 45047 the way it asserts on success.
 *
 * <p>It takes its access token from {@code POST /cgi-bin/stable_token}, which WeChat keeps apart from
 * {@code /cgi-bin/token}: the backend under test can fetch tokens its own way without either side superseding the
 * other's. A token kefu's clock has expired is renewed before the call; a call answered 40001 or 42001 is retried
 * once with a new token. These calls appear in {@link Kefu#requests()} like any other.
 *
 * <p>Thread-safety: the cached token and its expiry are guarded by {@code lock}.
 */
public final class WeChatApi {
  private final Platform platform;
  private final TestClock clock;
  private final String appid;
  private final String secret;
  private final ReentrantLock lock = new ReentrantLock();
  private String token;
  private Instant expiresAt = Instant.MIN;

  WeChatApi(Platform platform, TestClock clock, String appid, String secret) {
    this.platform = platform;
    this.clock = clock;
    this.appid = appid;
    this.secret = secret;
  }

  /** A valid access token for the app (fetched when the cached one is missing or expired on kefu's clock). */
  public String token() {
    lock.lock();
    try {
      if (token == null || !clock.now().isBefore(expiresAt)) {
        ObjectNode body = Json.newObject().put("grant_type", "client_credential").put("appid", appid)
            .put("secret", secret);
        WxResponse r = platform.wechat("POST", "/cgi-bin/stable_token", Json.write(body));
        String fresh = r.isOk() ? r.json().path("access_token").asText("") : "";
        if (fresh.isEmpty()) {
          throw new AssertionError("kefu gave no access token for " + appid + ": " + r.body());
        }
        token = fresh;
        expiresAt = clock.now().plusSeconds(r.json().path("expires_in").asLong(7200));
      }
      return token;
    } finally {
      lock.unlock();
    }
  }

  /** {@code POST /cgi-bin/message/custom/send} with a text message. */
  public WxResponse sendText(SimulatedUser to, String content) {
    return sendText(to.openid(), content);
  }

  public WxResponse sendText(String openid, String content) {
    ObjectNode body = Json.newObject().put("touser", openid).put("msgtype", "text");
    body.putObject("text").put("content", content);
    return send(Json.write(body));
  }

  /** {@code POST /cgi-bin/message/custom/send} with any body, sent as given (for malformed ones too). */
  public WxResponse send(String json) {
    return call("/cgi-bin/message/custom/send", json);
  }

  /** {@code POST /cgi-bin/message/custom/typing}: {@code Typing} when {@code typing}, else {@code CancelTyping}. */
  public WxResponse typing(SimulatedUser to, boolean typing) {
    return call("/cgi-bin/message/custom/typing", Json.write(Json.newObject().put("touser", to.openid())
        .put("command", typing ? "Typing" : "CancelTyping")));
  }

  private WxResponse call(String path, String json) {
    WxResponse r = platform.wechat("POST", path + "?access_token=" + token(), json);
    if (r.errcode() == 40001 || r.errcode() == 42001) {
      forget();
      r = platform.wechat("POST", path + "?access_token=" + token(), json);
    }
    return r;
  }

  /** After a reset kefu no longer knows the token. */
  void forget() {
    lock.lock();
    try {
      token = null;
    } finally {
      lock.unlock();
    }
  }
}
