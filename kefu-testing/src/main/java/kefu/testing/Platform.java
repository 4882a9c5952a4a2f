package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kefu.protocol.Json;

/**
 * The HTTP client the extension talks to kefu with: the WeChat API for {@link WeChatApi}, the platform API for
 * everything else. A platform call that kefu refuses fails the test with kefu's own message, since it means the
 * test set kefu up wrongly. Immutable; the JDK client is safe to share.
 */
final class Platform {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String adminToken;

  Platform(String baseUrl, String adminToken) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** A platform-API GET under {@code /kefu/v1}, as JSON; a non-zero errcode fails the test. */
  JsonNode get(String path) {
    return check("GET", path, exchange(request(path).GET()));
  }

  JsonNode post(String path, String json) {
    return check("POST", path, exchange(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
  }

  JsonNode put(String path, String json) {
    return check("PUT", path, exchange(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))));
  }

  JsonNode delete(String path) {
    return check("DELETE", path, exchange(request(path).DELETE()));
  }

  /** A WeChat-API call, answered as a value whatever its errcode. */
  WxResponse wechat(String method, String pathAndQuery, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(TIMEOUT);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = exchange(b);
    return WxResponse.of(r.statusCode(), r.body());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/kefu/v1" + path)).timeout(TIMEOUT);
    if (adminToken != null) {
      b.header("Authorization", "Bearer " + adminToken);
    }
    return b;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("kefu at " + baseUrl + " did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling kefu", e);
    }
  }

  private static JsonNode check(String method, String path, HttpResponse<String> r) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("kefu answered " + method + " /kefu/v1" + path + " with HTTP " + r.statusCode()
          + " and no JSON: " + r.body());
    }
    if (r.statusCode() != 200 || json.path("errcode").asInt(0) != 0) {
      throw new AssertionError("kefu refused " + method + " /kefu/v1" + path + ": HTTP " + r.statusCode() + " "
          + r.body());
    }
    return json;
  }
}
