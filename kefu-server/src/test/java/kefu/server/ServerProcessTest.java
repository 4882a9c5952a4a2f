package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kefu as a child process, the way {@code ./kefu serve} runs it: durable across restarts and {@code kill -9}, and a
 * clean exit 0 on SIGTERM that commits what is in flight.
 */
class ServerProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();

  @TempDir
  Path data;
  @TempDir
  Path logs;
  private final List<Process> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** A running child: its process, base URI, and the file it prints to. */
  record Child(Process process, URI base, Path log) {
    List<String> output() throws IOException {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    }
  }

  Child startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile(logs, "kefu", ".log");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "kefu.server.Main",
        "serve", "--port", "0", "--data", data.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    URI[] base = new URI[1];
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          assertThat(p.isAlive()).as("kefu exited early: %s", Files.readString(log)).isTrue();
          Matcher m = LISTENING.matcher(Files.readString(log));
          assertThat(m.find()).as("kefu reported its address").isTrue();
          base[0] = URI.create(m.group(1));
        });
    return new Child(p, base[0], log);
  }

  JsonNode call(Child c, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(c.base().resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return Json.MAPPER.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  String token(Child c) throws Exception {
    return call(c, "GET", "/cgi-bin/token?grant_type=client_credential&appid=" + TestKefu.DEMO.appid() + "&secret="
        + TestKefu.DEMO.secret(), null).path("access_token").asText();
  }

  JsonNode send(Child c, String token, String openid, String text) throws Exception {
    return call(c, "POST", "/cgi-bin/message/custom/send?access_token=" + token,
        "{\"touser\":\"" + openid + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + text + "\"}}");
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void a_send_answered_0_survives_kill_9_and_state_survives_a_restart() throws Exception {
    Child first = startChild();
    String token = token(first);
    String alice = call(first, "POST", APP + "/users", "").path("openid").asText();
    call(first, "POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
    assertThat(send(first, token, alice, "durable").path("errcode").asInt()).isZero();
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    Child second = startChild();
    JsonNode messages = call(second, "GET", APP + "/users/" + alice + "/conversation", null).path("messages");
    assertThat(messages).extracting(m -> m.path("text").path("content").asText()).containsExactly("hi", "durable");
    assertThat(call(second, "GET", APP + "/users/" + alice + "/window", null).path("remaining").asInt()).isEqualTo(4);
    assertThat(send(second, token, alice, "same token after restart").path("errcode").asInt()).isZero();
  }

  @Test
  void sigterm_commits_what_is_in_flight_and_exits_0() throws Exception {
    Child c = startChild();
    call(c, "PUT", APP, "{\"rules\":{\"name\":\"many\",\"enter\":{\"count\":1,\"seconds\":60},"
        + "\"message\":{\"count\":100000,\"seconds\":172800}}}");
    String token = token(c);
    String alice = call(c, "POST", APP + "/users", "").path("openid").asText();
    call(c, "POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
    AtomicInteger answeredOk = new AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      senders.add(Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            if (send(c, token, alice, "in flight").path("errcode").asInt() == 0) {
              answeredOk.incrementAndGet();
            }
          }
        } catch (Exception serverWentAway) {
          // expected once kefu stops
        }
      }));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answeredOk.get() >= 50);
    c.process().destroy();
    assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(c.process().exitValue()).isZero();
    for (Thread t : senders) {
      t.join(Duration.ofSeconds(30));
    }
    assertThat(c.output()).anyMatch(line -> line.contains("kefu stopped"));

    Child again = startChild();
    JsonNode messages = call(again, "GET", APP + "/users/" + alice + "/conversation?limit=1000", null)
        .path("messages");
    long stored = java.util.stream.StreamSupport.stream(messages.spliterator(), false)
        .filter(m -> m.path("direction").asText().equals("to_user")).count();
    assertThat(stored).as("every send answered 0 is stored").isGreaterThanOrEqualTo(answeredOk.get());
  }

  @Test
  void pushes_pending_at_kill_9_are_all_delivered_after_restart() throws Exception {
    try (DeveloperServer developer = new DeveloperServer()) {
      developer.byDefault(r -> DeveloperServer.Answer.slow(Duration.ofSeconds(2)));
      Child first = startChild();
      call(first, "PUT", APP + "?skip_url_check=true", "{\"push\":{\"url\":\"" + developer.url()
          + "\",\"token\":\"kefutoken\",\"format\":\"json\"}}");
      java.util.Set<Long> sent = new java.util.TreeSet<>();
      for (int u = 0; u < 4; u++) {
        String openid = call(first, "POST", APP + "/users", "").path("openid").asText();
        for (int i = 0; i < 5; i++) {
          sent.add(call(first, "POST", APP + "/users/" + openid + "/messages",
              "{\"msgtype\":\"text\",\"text\":{\"content\":\"m" + i + "\"}}").path("msgid").asLong());
        }
      }
      developer.takePush(Duration.ofSeconds(30));
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

      developer.byDefault(r -> DeveloperServer.Answer.of("success"));
      startChild();
      java.util.Set<Long> received = new java.util.TreeSet<>();
      Pattern msgId = Pattern.compile("\"MsgId\":(\\d+)");
      while (!received.containsAll(sent)) {
        Matcher m = msgId.matcher(developer.takePush(Duration.ofSeconds(30)).body());
        assertThat(m.find()).isTrue();
        received.add(Long.parseLong(m.group(1)));
      }
      assertThat(received).as("only MsgIds that were sent").isEqualTo(sent);
    }
  }
}
