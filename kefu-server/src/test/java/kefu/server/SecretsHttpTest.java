package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.WindowRules;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import kefu.server.push.DeliveryOptions;
import kefu.store.App;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * No secret leaves kefu. A flow through every API (tokens with right and wrong secrets, stable tokens, sends, pushes
 * in plain and secure mode to a receiver that fails, URL checks, app changes, errors) leaves the AppSecret, the push
 * Token, the EncodingAESKey and the admin token out of every log line (logback and java.util.logging, at every
 * level), the request journal, the push journal and every answer; and the AppSecret is not in the data files
 * either, only its salted hash.
 */
class SecretsHttpTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String APPID = "wxsecrets000000001";
  /** WeChat-shaped: 32 hex digits. */
  private static final String SECRET = HexFormat.of().formatHex(RANDOM.generateSeed(16));
  private static final String PUSH_TOKEN = "pt" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
  private static final String AES_KEY = "K" + HexFormat.of().formatHex(RANDOM.generateSeed(21));
  private static final String ADMIN_TOKEN = "admin-" + HexFormat.of().formatHex(RANDOM.generateSeed(12));
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String APP = "/kefu/v1/apps/" + APPID;

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withAdminToken(ADMIN_TOKEN)
      .withDelivery(new DeliveryOptions(Duration.ofMillis(700), 2, Duration.ZERO))
      .withApps(List.of(configured(SECRET))));

  private static final List<String> VERBOSE = List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.helidon",
      "org.flywaydb", "com.zaxxer.hikari");

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Map<String, Level> levels = new HashMap<>();
  private java.util.logging.Level julLevel;
  private java.util.logging.Handler[] julHandlers;
  private final List<String> answers = new ArrayList<>();
  private DeveloperServer developer;

  /**
   * Every log event from here on, at every level (TRACE for logback, ALL for java.util.logging, where Helidon logs):
   * what a deployment that turns debugging on would print.
   */
  @BeforeEach
  void captureLogs() throws IOException {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("");
    julHandlers = jul.getHandlers();
    julLevel = jul.getLevel();
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    jul.setLevel(java.util.logging.Level.ALL);
    for (String name : VERBOSE) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, logger.getLevel());
      logger.setLevel(Level.TRACE);
    }
    logs.start();
    root().addAppender(logs);
    developer = new DeveloperServer();
  }

  @AfterEach
  void stopCapturing() {
    developer.close();
    root().detachAppender(logs);
    levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    SLF4JBridgeHandler.uninstall();
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("");
    jul.setLevel(julLevel);
    for (java.util.logging.Handler handler : julHandlers) {
      jul.addHandler(handler);
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void a_flow_through_every_api_leaves_no_secret_in_logs_journals_or_answers() throws Exception {
    // tokens: right, wrong and missing secrets; the stable token too
    String token = call("GET", "/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET,
        null).path("access_token").asText();
    assertThat(token).isNotEmpty();
    assertThat(call("GET", "/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET + "x",
        null).path("errcode").asInt()).isEqualTo(40125);
    assertThat(call("POST", "/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID
        + "\",\"secret\":\"" + SECRET + "\",\"force_refresh\":true}").has("access_token")).isTrue();
    assertThat(call("POST", "/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID
        + "\",\"secret\":\"" + SECRET.toUpperCase() + "\"}").path("errcode").asInt()).isEqualTo(40125);

    // a user, a send, errors
    String alice = call("POST", APP + "/users", "").path("openid").asText();
    call("POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
    assertThat(send(token, alice, "hello").path("errcode").asInt()).isZero();
    assertThat(call("POST", "/cgi-bin/message/custom/send?access_token=" + token, "{not json").path("errcode")
        .asInt()).isEqualTo(47001);
    assertThat(send("no-such-token", alice, "x").path("errcode").asInt()).isEqualTo(40001);
    assertThat(call("GET", "/kefu/v1/nowhere", null).path("errcode").asInt()).isEqualTo(404);
    assertThat(call("PUT", APP, "{\"push\":{\"url\":\"http://127.0.0.1:9/\",\"token\":\"" + PUSH_TOKEN
        + "\",\"encoding_aes_key\":\"" + AES_KEY.substring(1) + "!\",\"mode\":\"secure\"}}").path("errcode").asInt())
        .isEqualTo(47001);

    // push settings: a URL check that fails (nothing saved), one that passes
    developer.thenAnswer(DeveloperServer.Answer.of("not the echostr"));
    assertThat(putPush("secure").path("errmsg").asText()).contains("push.url refused");
    assertThat(putPush("secure").path("push").path("token_set").asBoolean()).isTrue();

    // pushes to a receiver that fails, in secure mode, then in plain mode: each tried twice, then the notice
    developer.byDefault(r -> DeveloperServer.Answer.status(500));
    call("POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"secure\"}}");
    awaitPushAttempts(2);
    assertThat(call("PUT", APP + "?skip_url_check=true", "{\"push\":{\"mode\":\"plain\"}}").path("push")
        .path("mode").asText()).isEqualTo("plain");
    call("POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"plain\"}}");
    awaitPushAttempts(4);

    // requests Helidon cannot read (a control character in the method, a header without a colon, a head cut off),
    // the secret in their query: kefu logs some of them
    String target = " /cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET + " HTTP/1.1";
    raw("G\u0001T" + target + "\r\nHost: x\r\n\r\n");
    raw("GET" + target + "\r\nHost: x\r\nBad Header\r\n\r\n");
    raw("GET" + target + "\r\nHost: x\r\nX-Cut: off in the middle of the head");

    // what the dashboard reads
    for (String read : List.of("/kefu/v1/apps", APP, APP + "/users", APP + "/tokens", APP + "/pushes?limit=1000",
        APP + "/users/" + alice + "/conversation", APP + "/users/" + alice + "/window", "/kefu/v1/journal?limit=1000",
        "/kefu/v1/clock", "/kefu/v1/health")) {
      call("GET", read, null);
    }

    kefu.server.store().flush();
    List<String> journals = new ArrayList<>();
    kefu.server.store().read(tx -> {
      tx.journal().query(new kefu.store.JournalQuery(null, null, null, 1000)).forEach(e -> journals.add(e.toString()));
      tx.pushJournal().query(APPID, null, null, 1000).forEach(a -> journals.add(a.toString()));
      return null;
    });
    assertThat(journals).as("journal rows").hasSizeGreaterThan(10);
    List<String> logLines;
    synchronized (logs) { // the lock logback appends under: other threads keep logging
      logLines = logs.list.stream().map(SecretsHttpTest::line).toList();
    }
    assertThat(logLines).as("something was logged, so the check means something").hasSizeGreaterThan(100);

    for (Map.Entry<String, String> secret : secrets().entrySet()) {
      assertThat(logLines).as("log lines holding the " + secret.getKey())
          .noneMatch(l -> l.contains(secret.getValue()));
      assertThat(journals).as("journal rows holding the " + secret.getKey())
          .noneMatch(j -> j.contains(secret.getValue()));
      assertThat(answers).as("answers holding the " + secret.getKey())
          .noneMatch(a -> a.contains(secret.getValue()));
    }
  }

  @Test
  void the_app_secret_is_not_in_the_data_files_only_its_salted_hash() throws Exception {
    call("GET", "/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET, null);
    Path data = kefu.server.config().dataDir();
    kefu.close();

    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(data)) {
      List<Path> all = files.toList();
      assertThat(all).isNotEmpty();
      for (Path file : all) {
        assertThat(indexOf(Files.readAllBytes(file), secret)).as(file.toString()).isEqualTo(-1);
      }
    }
  }

  @Test
  void the_start_banner_shows_only_the_demo_apps_secret() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.banner(kefu.server, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8)).contains(APPID).doesNotContain(SECRET);
  }

  @Test
  void a_configured_secret_is_hashed_once_and_kept_across_restarts_until_the_file_changes_it(@TempDir Path dir) {
    ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dir).withApps(List.of(configured(SECRET)));
    SecretHash first;
    try (TestKefu node = TestKefu.start(config)) {
      first = storedSecret(node);
    }
    try (TestKefu node = TestKefu.start(config.withApps(List.of(configured(SECRET))))) {
      assertThat(storedSecret(node)).as("the same secret, hashed anew by the config, keeps the stored hash")
          .isEqualTo(first);
    }
    String changed = HexFormat.of().formatHex(RANDOM.generateSeed(16));
    try (TestKefu node = TestKefu.start(config.withApps(List.of(configured(changed))))) {
      assertThat(storedSecret(node).matches(changed)).isTrue();
      assertThat(tokenErrcode(node, changed)).isZero();
      assertThat(tokenErrcode(node, SECRET)).isEqualTo(40125);
    }
  }

  @Test
  void a_secret_put_through_the_api_replaces_the_old_one_and_is_stored_hashed() {
    String fresh = HexFormat.of().formatHex(RANDOM.generateSeed(16));
    assertThat(call("PUT", APP, "{\"secret\":\"" + fresh + "\"}").has("secret")).isFalse();

    assertThat(tokenErrcode(kefu, fresh)).isZero();
    assertThat(tokenErrcode(kefu, SECRET)).isEqualTo(40125);
    assertThat(storedSecret(kefu).encoded()).doesNotContain(fresh);
  }

  private static ConfiguredApp configured(String secret) {
    return new ConfiguredApp(new App(APPID, SecretHash.of(secret, RANDOM), "gh_secrets0001", WindowRules.SEED, true,
        PushSettings.NONE, ApiLimits.OFF), secret);
  }

  private static SecretHash storedSecret(TestKefu node) {
    return node.server.store().read(tx -> tx.apps().find(APPID)).orElseThrow().secret();
  }

  private static int tokenErrcode(TestKefu node, String secret) {
    return node.get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + secret).errcode();
  }

  private Map<String, String> secrets() {
    return Map.of("AppSecret", SECRET, "push Token", PUSH_TOKEN, "EncodingAESKey", AES_KEY,
        "admin token", ADMIN_TOKEN);
  }

  private JsonNode putPush(String mode) {
    return call("PUT", APP, "{\"push\":{\"url\":\"" + developer.url() + "\",\"token\":\"" + PUSH_TOKEN
        + "\",\"encoding_aes_key\":\"" + AES_KEY + "\",\"format\":\"json\",\"mode\":\"" + mode + "\"}}");
  }

  private void awaitPushAttempts(int attempts) {
    Awaitility.await().atMost(WAIT).until(() -> call("GET", APP + "/pushes?limit=1000", null).path("pushes").size(),
        n -> n >= attempts);
  }

  private JsonNode send(String token, String openid, String text) {
    return call("POST", "/cgi-bin/message/custom/send?access_token=" + token, "{\"touser\":\"" + openid
        + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + text + "\"}}");
  }

  /** A call with the admin token; its answer is kept for the final check. */
  private JsonNode call(String method, String pathAndQuery, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(kefu.uri(pathAndQuery))
        .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    TestKefu.Response r = kefu.send(request);
    answers.add(r.text());
    return r.json();
  }

  /** Sends {@code request} as it is on a connection of its own and ends it, reads the answer, and keeps it. */
  private void raw(String request) throws IOException {
    try (Socket socket = new Socket(kefu.uri("/").getHost(), kefu.uri("/").getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      answers.add(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String line(ILoggingEvent e) {
    return e.getLoggerName() + " " + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
