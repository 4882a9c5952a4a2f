package kefu.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;

/**
 * A short, representative run of kefu for the JVM to learn from: the launcher runs it once after each build with
 * the JVM recording what it loads and links (and, on JDK 25+, how the hot methods behave) into a cache that
 * {@code ./kefu serve} then starts from. It starts kefu on a throw-away data directory and port, drives the demo
 * app through the requests a developer's first minutes make — health, token, a user and their message, sends,
 * typing, the window and conversation views, an error, a console page — and stops it the way SIGTERM does.
 */
final class WarmUp {
  private static final int ROUNDS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI base;

  private WarmUp(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  /** Runs the warm-up in a temporary directory under {@code parent}, which is deleted afterwards. */
  static void run(Path parent) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(parent, "kefu-warm-up");
    try {
      ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dir.resolve("data"));
      try (KefuServer server = KefuServer.start(config, KefuClock.system());
           HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        new WarmUp(http, server.baseUri()).drive(ServerConfig.DEMO_APP);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void drive(ConfiguredApp app) throws IOException, InterruptedException {
    get("/kefu/v1/health");
    String token = get("/cgi-bin/token?grant_type=client_credential&appid=" + app.appid() + "&secret="
        + app.secret()).path("access_token").asText();
    String openid = post("/kefu/v1/apps/" + app.appid() + "/users", "{}").path("openid").asText();
    String user = "/kefu/v1/apps/" + app.appid() + "/users/" + openid;
    for (int i = 0; i < ROUNDS; i++) {
      post(user + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"你好 " + i + "\"}}");
      post("/cgi-bin/message/custom/send?access_token=" + token, "{\"touser\":\"" + openid
          + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"hello " + i + "\"}}");
      post("/cgi-bin/message/custom/typing?access_token=" + token, "{\"touser\":\"" + openid
          + "\",\"command\":\"Typing\"}");
      get(user + "/window");
      send(HttpRequest.newBuilder(base.resolve("/cgi-bin/media/get?access_token=" + token + "&media_id=none"))
          .timeout(TIMEOUT).build(), WxError.INVALID_MEDIA_ID.code());
    }
    get(user + "/conversation");
    get("/kefu/v1/journal");
    get("/phone");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build(), 0);
  }

  private JsonNode post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), 0);
  }

  /** Sends {@code request}; anything but HTTP 200 with the errcode expected (0 when absent) stops the warm-up. */
  private JsonNode send(HttpRequest request, int errcode) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
    JsonNode body = json ? Json.MAPPER.readTree(response.body()) : Json.newObject();
    if (response.statusCode() != 200 || body.path("errcode").asInt(0) != errcode) {
      throw new IOException(request.uri().getPath() + " answered HTTP " + response.statusCode() + ": "
          + response.body());
    }
    return body;
  }
}
