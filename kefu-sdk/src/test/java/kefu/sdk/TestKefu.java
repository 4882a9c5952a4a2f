package kefu.sdk;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.server.KefuServer;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kefu server for one test, in process: port 0, its own data directory, a frozen clock the test moves, and
 * the platform API a test needs to play the user (create, enter, say), change the app and read the journal.
 * Register as a field with {@code @RegisterExtension}; it starts before each test and stops after it.
 */
final class TestKefu implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
  static final ConfiguredApp DEMO = ServerConfig.DEMO_APP;

  private final UnaryOperator<ServerConfig> configure;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger markers = new AtomicInteger();
  private KefuServer server;
  private KefuClock clock;
  private Path dir;

  private TestKefu(UnaryOperator<ServerConfig> configure) {
    this.configure = configure;
  }

  static TestKefu perTest() {
    return new TestKefu(UnaryOperator.identity());
  }

  static TestKefu perTest(UnaryOperator<ServerConfig> configure) {
    return new TestKefu(configure);
  }

  /** A second kefu inside a test; the caller closes it. */
  static TestKefu started() {
    TestKefu kefu = new TestKefu(UnaryOperator.identity());
    kefu.start();
    return kefu;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  private void start() {
    try {
      dir = Files.createTempDirectory("kefu-sdk-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    clock = KefuClock.system();
    clock.freeze(true);
    server = KefuServer.start(configure.apply(ServerConfig.defaults()).withPort(0).withDataDir(dir), clock);
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.close();
    server = null;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI baseUri() {
    return server.baseUri();
  }

  KefuClock clock() {
    return clock;
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  /** A client of the demo app on kefu's clock, retrying {@code -1} without real waits. */
  KefuClient.Builder client() {
    return KefuClient.builder().appid(DEMO.appid()).secret(DEMO.secret()).baseUrl(baseUri()).clock(clock)
        .sleeper(d -> { });
  }

  // ---- the simulated user ----

  /** A new user of the demo app. */
  String user() {
    return post("/kefu/v1/apps/" + DEMO.appid() + "/users", "{}").path("openid").asText();
  }

  /** The user sends a text: 5 sends within 48 hours. */
  void says(String openid, String text) {
    JsonNode r = post("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/messages",
        Json.write(Json.newObject().put("msgtype", "text").set("text", Json.newObject().put("content", text))));
    check(r);
  }

  /** The user enters the chat. */
  void enters(String openid) {
    check(post("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/enter", "{}"));
  }

  /** A user who wrote, so a window is open. */
  String userWhoWrote() {
    String openid = user();
    says(openid, "hi");
    return openid;
  }

  /** Creates or changes an app: {@code PUT /kefu/v1/apps/{appid}}. */
  void putApp(String appid, String json) {
    check(send(HttpRequest.newBuilder(uri("/kefu/v1/apps/" + appid))
        .PUT(HttpRequest.BodyPublishers.ofString(json))));
  }

  /** The conversation's messages, oldest first. */
  List<JsonNode> conversation(String openid) {
    List<JsonNode> out = new ArrayList<>();
    get("/kefu/v1/apps/" + DEMO.appid() + "/users/" + openid + "/conversation").path("messages").forEach(out::add);
    return out;
  }

  // ---- the journal ----

  /**
   * Journal entries matching the filters (null for any), once every call made before this one is in: the journal
   * is written after the answer, so a marker call is made and awaited first.
   */
  List<JsonNode> journal(String path, Integer errcode, String appid) {
    String marker = "marker" + markers.incrementAndGet();
    get("/cgi-bin/token?grant_type=client_credential&appid=" + marker);
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(10)).until(() -> get("/kefu/v1/journal?appid=" + marker)
        .path("entries").size() == 1);
    StringBuilder q = new StringBuilder("/kefu/v1/journal?limit=1000");
    if (path != null) {
      q.append("&path=").append(path);
    }
    if (errcode != null) {
      q.append("&errcode=").append(errcode);
    }
    if (appid != null) {
      q.append("&appid=").append(appid);
    }
    List<JsonNode> out = new ArrayList<>();
    get(q.toString()).path("entries").forEach(out::add);
    return out;
  }

  /** Token requests of the demo app ({@code /cgi-bin/token} and {@code /cgi-bin/stable_token}). */
  int tokenRequests() {
    return journal("/cgi-bin/token", null, DEMO.appid()).size()
        + journal("/cgi-bin/stable_token", null, DEMO.appid()).size();
  }

  /** Calls answered with {@code errcode}, any path, any app. */
  int answered(int errcode) {
    return journal(null, errcode, null).size();
  }

  // ---- plumbing ----

  URI uri(String pathAndQuery) {
    return URI.create(server.baseUri() + pathAndQuery);
  }

  JsonNode get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  JsonNode post(String pathAndQuery, String json) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  private JsonNode send(HttpRequest.Builder request) {
    if (server.config().adminToken() != null) {
      request.header("Authorization", "Bearer " + server.config().adminToken());
    }
    try {
      HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode check(JsonNode r) {
    if (r.path("errcode").asInt(0) != 0) {
      throw new AssertionError("kefu refused: " + r);
    }
    return r;
  }
}
