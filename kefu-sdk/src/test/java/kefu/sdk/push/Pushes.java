package kefu.sdk.push;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import kefu.protocol.push.PushCodec;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushRequest;
import kefu.protocol.push.PushSettings;

/** Pushes as kefu's own codec makes them, and query strings as an HTTP server hands them over. */
final class Pushes {
  static final String TOKEN = "kefutoken";
  static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  static final String APPID = "wx0123456789abcdef";
  static final String ORIGINAL_ID = "gh_0123456789ab";
  static final String ALICE = "o-alice-0123456789abcdefghij";

  private Pushes() {}

  /** A push: the decoded query and the body. */
  record Push(Map<String, String> query, byte[] body) {
    Push withQuery(String name, String value) {
      Map<String, String> q = new LinkedHashMap<>(query);
      if (value == null) {
        q.remove(name);
      } else {
        q.put(name, value);
      }
      return new Push(q, body);
    }

    Push withBody(String text) {
      return new Push(query, text.getBytes(StandardCharsets.UTF_8));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static PushSettings settings(PushFormat format, PushMode mode) {
    return new PushSettings("http://127.0.0.1/wx", TOKEN, KEY, format, mode, true);
  }

  static Push of(PushEvent event, PushFormat format, PushMode mode) {
    return of(event, settings(format, mode), APPID, "1714112445", "415670741");
  }

  static Push of(PushEvent event, PushSettings settings, String appid, String timestamp, String nonce) {
    PushRequest r = PushCodec.request(event, settings, appid, timestamp, nonce, "0123456789abcdef");
    return new Push(query(r.query()), r.body().getBytes(StandardCharsets.UTF_8));
  }

  static PushEvent.Text text(String content, long msgId) {
    return new PushEvent.Text(ORIGINAL_ID, ALICE, 1714112445L, content, msgId);
  }

  static PushEvent.UserEnteredSession entered(long createTime) {
    return new PushEvent.UserEnteredSession(ORIGINAL_ID, ALICE, createTime, "button-1");
  }

  /** A raw query string decoded into its parameters (the first of repeated names wins). */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return params;
  }
}
