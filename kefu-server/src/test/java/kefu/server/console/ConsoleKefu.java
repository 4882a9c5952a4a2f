package kefu.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.server.KefuServer;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;

/**
 * A kefu for one console test, in process: port 0, its own data directory, a frozen clock, and the calls a test makes
 * as the developer's backend or through the platform API. (The server package's {@code TestKefu} is package-private;
 * this is its small public-API twin for the browser tests.)
 */
final class ConsoleKefu implements AutoCloseable {
  static final ConfiguredApp DEMO = ServerConfig.DEMO_APP;
  static final String APP = "/kefu/v1/apps/" + DEMO.appid();

  private final Path dir;
  private final KefuServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String adminToken;

  private ConsoleKefu(Path dir, KefuServer server, String adminToken) {
    this.dir = dir;
    this.server = server;
    this.adminToken = adminToken;
  }

  static ConsoleKefu start(UnaryOperator<ServerConfig> configure) {
    try {
      Path dir = Files.createTempDirectory("kefu-console-test");
      KefuClock clock = KefuClock.system();
      clock.freeze(true);
      ServerConfig config = configure.apply(ServerConfig.defaults()).withPort(0).withDataDir(dir);
      return new ConsoleKefu(dir, KefuServer.start(config, clock), config.adminToken());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String pathAndQuery) {
    return server.baseUri() + pathAndQuery;
  }

  /** The page in Chinese with the demo app selected, plus more query parameters ("user=o-alice"). */
  String page(String page, String query) {
    return url("/" + page + "?lang=zh&app=" + DEMO.appid() + (query.isEmpty() ? "" : "&" + query));
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  JsonNode post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  JsonNode put(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> raw(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode send(HttpRequest.Builder request) {
    if (adminToken != null) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    try {
      String body = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- the developer's backend -------------------------------------------------------------------------------------

  String token() {
    return get("/cgi-bin/token?grant_type=client_credential&appid=" + DEMO.appid() + "&secret=" + DEMO.secret())
        .path("access_token").asText();
  }

  JsonNode sendText(String openid, String content) {
    ObjectNode body = Json.newObject().put("touser", openid).put("msgtype", "text");
    body.putObject("text").put("content", content);
    return post("/cgi-bin/message/custom/send?access_token=" + token(), Json.write(body));
  }

  /** Pushes the demo app's users' messages to {@code url} (XML, plain mode), without WeChat's URL check. */
  void pushTo(String url) {
    JsonNode r = put(APP + "?skip_url_check=true",
        "{\"push\":{\"url\":\"" + url + "\",\"token\":\"kefutoken\",\"format\":\"xml\",\"mode\":\"plain\"}}");
    if (!r.path("push").path("enabled").asBoolean()) {
      throw new AssertionError("push not configured: " + r);
    }
  }

  // --- the simulated user ------------------------------------------------------------------------------------------

  String newUser(String openid, String nickname) {
    ObjectNode body = Json.newObject().put("openid", openid).put("nickname", nickname);
    return post(APP + "/users", Json.write(body)).path("openid").asText();
  }

  JsonNode says(String openid, String text) {
    ObjectNode body = Json.newObject().put("msgtype", "text");
    body.putObject("text").put("content", text);
    return post(APP + "/users/" + openid + "/messages", Json.write(body));
  }

  @Override
  public void close() throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
