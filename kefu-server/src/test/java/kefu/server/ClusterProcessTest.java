package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two kefu processes on one PostgreSQL database (the real one on 127.0.0.1:5432, database {@code test}, a schema
 * of this class's own): quotas, tokens, the clock, push delivery and live events hold across nodes.
 */
class ClusterProcessTest {
  static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String APP = KefuProcesses.APP;
  static String schema;

  @TempDir
  Path dir;
  KefuProcesses kefus;
  KefuProcesses.Child a;
  KefuProcesses.Child b;

  @BeforeAll
  static void postgres() {
    try (Connection c = DriverManager.getConnection(JDBC)) {
      schema = "kefu_cluster_" + Long.toHexString(System.nanoTime());
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("PostgreSQL on 127.0.0.1:5432 is unreachable and CI=true: " + e.getMessage(), e);
      }
      Assumptions.abort("PostgreSQL on 127.0.0.1:5432 is unreachable (" + e.getMessage()
          + "); the cluster tests need it (they fail instead of skipping when CI=true)");
    }
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(JDBC); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @BeforeEach
  void twoNodes() throws Exception {
    try (Connection c = DriverManager.getConnection(JDBC); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    Path config = Files.writeString(dir.resolve("kefu.yaml"), """
        store: postgresql://127.0.0.1:5432/test?user=postgres&schema=%s
        push_timeout_ms: 1000
        push_backoff_ms: 100
        apps:
          - appid: %s
            secret: %s
            original_id: %s
        """.formatted(schema, TestKefu.DEMO.appid(), TestKefu.DEMO.secret(), TestKefu.DEMO.originalId()));
    kefus = new KefuProcesses(dir);
    a = kefus.start("--config", config.toString(), "--data", dir.resolve("a").toString());
    b = kefus.start("--config", config.toString(), "--data", dir.resolve("b").toString());
  }

  @AfterEach
  void stop() {
    kefus.close();
  }

  @Test
  void two_hundred_concurrent_sends_across_both_nodes_against_five_left_give_exactly_five() throws Exception {
    String token = a.token();
    String alice = a.newUser();
    b.says(alice, "hi");
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        KefuProcesses.Child node = i % 2 == 0 ? a : b;
        results.add(pool.submit(() -> node.send(token, alice, "reply").path("errcode").asInt()));
      }
    }
    Map<Integer, Integer> byCode = new TreeMap<>();
    for (Future<Integer> f : results) {
      byCode.merge(f.get(), 1, Integer::sum);
    }
    assertThat(byCode).isEqualTo(Map.of(0, 5, 45047, 195));
    assertThat(a.call("GET", APP + "/users/" + alice + "/window", null).path("remaining").asInt()).isZero();
  }

  @Test
  void a_token_superseded_through_the_other_node_dies_on_both_after_the_grace() throws Exception {
    String alice = a.newUser();
    a.says(alice, "hi");
    String old = a.token();
    String fresh = b.token();
    assertThat(b.send(old, alice, "in grace").path("errcode").asInt()).isZero();
    long before = b.call("GET", "/kefu/v1/clock", null).path("now_ms").asLong();
    a.call("POST", "/kefu/v1/clock", "{\"advance_seconds\":301}");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        b.call("GET", "/kefu/v1/clock", null).path("now_ms").asLong() >= before + 301_000);
    assertThat(a.send(old, alice, "late").path("errcode").asInt()).isEqualTo(40001);
    assertThat(b.send(old, alice, "late").path("errcode").asInt()).isEqualTo(40001);
    assertThat(a.send(fresh, alice, "fresh").path("errcode").asInt()).isZero();
  }

  @Test
  void a_fault_rule_added_on_one_node_applies_on_both_and_its_count_holds_across_them() throws Exception {
    String token = a.token();
    String alice = a.newUser();
    String probe = a.newUser();
    a.says(alice, "hi");
    a.call("POST", "/kefu/v1/faults", "{\"openid\":\"" + alice
        + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":5}");
    a.call("POST", "/kefu/v1/faults", "{\"openid\":\"" + probe
        + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"seconds\":3600}");
    // node b hears of the rules through NOTIFY; once it faults the probe, added last, it has both
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        b.send(token, probe, "probe").path("errcode").asInt() == 45009);

    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        KefuProcesses.Child node = i % 2 == 0 ? a : b;
        results.add(pool.submit(() -> node.send(token, alice, "reply").path("errcode").asInt()));
      }
    }
    Map<Integer, Integer> byCode = new TreeMap<>();
    for (Future<Integer> f : results) {
      byCode.merge(f.get(), 1, Integer::sum);
    }
    assertThat(byCode).as("5 faulted, 5 sent, the rest over the window").isEqualTo(Map.of(-1, 5, 0, 5, 45047, 30));
  }

  @Test
  void pushes_in_flight_on_a_killed_node_are_delivered_by_the_other_after_the_lease() throws Exception {
    b.process.destroyForcibly();
    try (DeveloperServer developer = new DeveloperServer()) {
      developer.byDefault(r -> DeveloperServer.Answer.slow(Duration.ofSeconds(30)));
      a.call("PUT", APP + "?skip_url_check=true", "{\"push\":{\"url\":\"" + developer.url()
          + "\",\"token\":\"kefutoken\",\"format\":\"json\"}}");
      Set<Long> sent = new TreeSet<>();
      for (int u = 0; u < 3; u++) {
        String openid = a.newUser();
        for (int i = 0; i < 3; i++) {
          sent.add(a.says(openid, "m" + i).path("msgid").asLong());
        }
      }
      developer.takePush(Duration.ofSeconds(20));
      a.process.destroyForcibly();
      assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killedAt = System.nanoTime();
      developer.byDefault(r -> DeveloperServer.Answer.of("success"));
      KefuProcesses.Child survivor = kefus.start("--config", dir.resolve("kefu.yaml").toString(),
          "--data", dir.resolve("c").toString());
      Set<Long> received = new TreeSet<>();
      Pattern msgId = Pattern.compile("\"MsgId\":(\\d+)");
      while (!received.containsAll(sent)) {
        Matcher m = msgId.matcher(developer.takePush(Duration.ofSeconds(30)).body());
        assertThat(m.find()).isTrue();
        received.add(Long.parseLong(m.group(1)));
      }
      assertThat(received).isEqualTo(sent);
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("the pushes node a held waited for its lease")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
      assertThat(survivor.call("GET", APP + "/pushes?status=delivered&limit=100", null).path("pushes").size())
          .isGreaterThanOrEqualTo(sent.size());
    }
  }

  @Test
  void an_event_on_one_node_reaches_a_live_client_of_the_other() throws Exception {
    String alice = a.newUser();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        a.base.resolve(APP + "/users/" + alice + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.put(line);
        }
      } catch (Exception e) {
        // the stream ends with the test
      }
    });
    assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("event:ready");
    b.says(alice, "hello from node b");
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 20 && !seen.toString().contains("hello from node b"); i++) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertThat(line).as("an event within 10 s; so far %s", seen).isNotNull();
      seen.append(line).append('\n');
    }
    assertThat(seen.toString()).contains("event:message").contains("hello from node b");
    stream.body().close();
    reader.interrupt();
  }
}
