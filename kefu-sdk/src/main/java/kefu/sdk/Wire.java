package kefu.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import kefu.protocol.Json;

/**
 * HTTP exchanges and WeChat's answer shape, as values. Messages name the path only: queries carry the access token
 * and the secret.
 */
final class Wire {
  private final HttpClient http;

  Wire(HttpClient http) {
    this.http = http;
  }

  /**
   * Sends {@code request}. A refused connection or a connect timeout is retryable (nothing was sent); any other
   * transport failure only when {@code idempotent}.
   */
  Outcome<HttpResponse<byte[]>> exchange(HttpRequest request, boolean idempotent) {
    String path = request.uri().getPath();
    try {
      return Outcome.ok(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      return Outcome.failed(Failure.transport("cannot connect for " + path + ": " + e, e, true));
    } catch (IOException e) {
      return Outcome.failed(Failure.transport("request " + path + " failed: " + e, e, idempotent));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.failed(Failure.transport("interrupted during " + path, e, false));
    }
  }

  /**
   * WeChat's JSON answer: a non-zero {@code errcode} is a failure; a body that is not a JSON object is a failure
   * too ({@code -1}), retryable for idempotent requests that got a 5xx (a gateway in the way).
   */
  static Outcome<ObjectNode> json(HttpResponse<byte[]> response, boolean idempotent) {
    Optional<ObjectNode> body = Json.object(response.body());
    if (body.isEmpty()) {
      return Outcome.failed(Failure.transport("not a WeChat answer: HTTP " + response.statusCode() + " "
          + contentType(response) + ", " + response.body().length + " bytes from " + response.uri().getPath(),
          null, idempotent && response.statusCode() >= 500));
    }
    ObjectNode o = body.get();
    JsonNode errcode = o.get("errcode");
    if (errcode != null && errcode.canConvertToInt() && errcode.asInt() != 0) {
      return Outcome.failed(Failure.answered(errcode.asInt(), o.path("errmsg").asText("")));
    }
    return Outcome.ok(o);
  }

  static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
  }

  /** Whether the body is JSON by its Content-Type: media/get answers errors as JSON, images otherwise. */
  static boolean isJson(HttpResponse<?> response) {
    String type = contentType(response);
    return type.startsWith("application/json") || type.startsWith("text/plain") || type.startsWith("text/json");
  }
}
