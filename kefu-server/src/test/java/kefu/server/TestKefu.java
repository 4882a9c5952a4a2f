package kefu.server;

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
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.time.Duration;
import java.util.List;
import kefu.protocol.Json;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;

/**
 * A kefu server for one test: port 0, its own data directory, a frozen clock the test moves, and a small HTTP
 * client that speaks to it the way an SDK would. As a field with {@code @RegisterExtension}, it starts before each
 * test (before the class's {@code @BeforeEach} methods) in a fresh temporary directory and stops after it.
 */
final class TestKefu implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  static final ConfiguredApp DEMO = ServerConfig.DEMO_APP;

  KefuServer server;
  KefuClock clock;
  private Path ownDir;
  private final UnaryOperator<ServerConfig> configure;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestKefu(UnaryOperator<ServerConfig> configure) {
    this.configure = configure;
  }

  /** Started and stopped around each test by JUnit. */
  static TestKefu perTest() {
    return new TestKefu(UnaryOperator.identity());
  }

  /** As {@link #perTest()}, with the configuration changed (port and data directory are set afterwards). */
  static TestKefu perTest(UnaryOperator<ServerConfig> configure) {
    return new TestKefu(configure);
  }

  static TestKefu start(Path dir) {
    return start(ServerConfig.defaults().withPort(0).withDataDir(dir));
  }

  static TestKefu start(ServerConfig config) {
    TestKefu kefu = new TestKefu(UnaryOperator.identity());
    kefu.startWith(config);
    return kefu;
  }

  private void startWith(ServerConfig config) {
    clock = KefuClock.system();
    clock.freeze(true);
    server = KefuServer.start(config, clock);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    ownDir = Files.createTempDirectory("kefu-test");
    startWith(configure.apply(ServerConfig.defaults()).withPort(0).withDataDir(ownDir));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    close();
    deleteTree(ownDir);
  }

  /** Deletes {@code dir} and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A response: status, Content-Type, raw bytes, and the body as JSON when it is JSON. */
  record Response(int status, String contentType, byte[] bytes, HttpResponse<byte[]> raw) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
      }
    }

    int errcode() {
      return json().path("errcode").asInt();
    }

    String errmsg() {
      return json().path("errmsg").asText();
    }

    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create(server.baseUri() + pathAndQuery);
  }

  Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  Response post(String pathAndQuery, String json) {
    return post(pathAndQuery, json.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  Response post(String pathAndQuery, byte[] body, String contentType) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Response put(String pathAndQuery, String json) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- what a developer's backend does -------------------------------------------------------------------------

  String token() {
    return token(DEMO);
  }

  String token(ConfiguredApp app) {
    Response r = get("/cgi-bin/token?grant_type=client_credential&appid=" + app.appid() + "&secret=" + app.secret());
    String token = r.json().path("access_token").asText("");
    if (token.isEmpty()) {
      throw new AssertionError("no token: " + r.text());
    }
    return token;
  }

  Response sendText(String token, String openid, String content) {
    ObjectNode body = Json.newObject().put("touser", openid).put("msgtype", "text");
    body.putObject("text").put("content", content);
    return post("/cgi-bin/message/custom/send?access_token=" + token, Json.write(body));
  }

  // --- what the simulated user does ----------------------------------------------------------------------------

  String newUser() {
    return newUser(DEMO);
  }

  String newUser(ConfiguredApp app) {
    return post("/kefu/v1/apps/" + app.appid() + "/users", "").json().path("openid").asText();
  }

  Response enters(String openid) {
    return post("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/enter", "{\"session_from\":\"test\"}");
  }

  Response says(String openid, String text) {
    ObjectNode body = Json.newObject().put("msgtype", "text");
    body.putObject("text").put("content", text);
    return post("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/messages", Json.write(body));
  }

  JsonNode window(String openid) {
    return get("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/window").json();
  }

  List<JsonNode> conversation(String openid) {
    JsonNode messages = get("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/conversation").json()
        .path("messages");
    return java.util.stream.StreamSupport.stream(messages.spliterator(), false).toList();
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  @Override
  public void close() {
    server.close();
  }
}
