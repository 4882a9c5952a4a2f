package kefu.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import kefu.protocol.Json;

/**
 * HTTP to one life of the child. Every call returns kefu's answer, or nothing when the child died before answering
 * (the connection failed or was cut): a request cut off by a kill is not an answer. Thread-safe (one
 * {@link HttpClient}).
 */
final class Client implements AutoCloseable {
  /** An answer: HTTP status and body. */
  record Answer(int status, byte[] body) {
    /** The body as JSON; a missing node when it is not JSON. */
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        return MissingNode.getInstance();
      }
    }

    /** The errcode; 0 for answers that carry none (a token, an upload, an accepted session). */
    int errcode() {
      return json().path("errcode").asInt(0);
    }

    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return "HTTP " + status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  Client(URI base) {
    this.base = base;
  }

  Optional<Answer> get(String path) {
    return call(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Optional<Answer> post(String path, String json) {
    return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  Optional<Answer> post(String path, byte[] body, String contentType) {
    return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Optional<Answer> put(String path, String json) {
    return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Optional<Answer> call(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return Optional.of(new Answer(r.statusCode(), r.body()));
    } catch (IOException cutOff) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
