package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kefu as a child process, the way {@code ./kefu serve} runs it: durable across restarts and {@code kill -9}, and a
 * clean exit 0 on SIGTERM that commits what is in flight.
 */
class ServerProcessTest {
  private static final String APP = KefuProcesses.APP;

  @TempDir
  Path data;
  @TempDir
  Path logs;
  KefuProcesses kefus;

  @BeforeEach
  void processes() {
    kefus = new KefuProcesses(logs);
  }

  @AfterEach
  void killLeftovers() {
    kefus.close();
  }

  KefuProcesses.Child startChild() throws Exception {
    return kefus.start("--data", data.toString());
  }

  @Test
  void a_send_answered_0_survives_kill_9_and_state_survives_a_restart() throws Exception {
    KefuProcesses.Child first = startChild();
    String token = first.token();
    String alice = first.call("POST", APP + "/users", "").path("openid").asText();
    first.call("POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
    assertThat(first.send(token, alice, "durable").path("errcode").asInt()).isZero();
    first.process.destroyForcibly();
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    KefuProcesses.Child second = startChild();
    JsonNode messages = second.call("GET", APP + "/users/" + alice + "/conversation", null).path("messages");
    assertThat(messages).extracting(m -> m.path("text").path("content").asText()).containsExactly("hi", "durable");
    assertThat(second.call("GET", APP + "/users/" + alice + "/window", null).path("remaining").asInt()).isEqualTo(4);
    assertThat(second.send(token, alice, "same token after restart").path("errcode").asInt()).isZero();
  }

  @Test
  void sigterm_commits_what_is_in_flight_and_exits_0() throws Exception {
    KefuProcesses.Child c = startChild();
    c.call("PUT", APP, "{\"rules\":{\"name\":\"many\",\"enter\":{\"count\":1,\"seconds\":60},"
        + "\"message\":{\"count\":100000,\"seconds\":172800}}}");
    String token = c.token();
    String alice = c.call("POST", APP + "/users", "").path("openid").asText();
    c.call("POST", APP + "/users/" + alice + "/messages", "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
    AtomicInteger answeredOk = new AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      senders.add(Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            if (c.send(token, alice, "in flight").path("errcode").asInt() == 0) {
              answeredOk.incrementAndGet();
            }
          }
        } catch (Exception serverWentAway) {
          // expected once kefu stops
        }
      }));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answeredOk.get() >= 50);
    c.process.destroy();
    assertThat(c.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(c.process.exitValue()).isZero();
    for (Thread t : senders) {
      t.join(Duration.ofSeconds(30));
    }
    assertThat(c.output()).anyMatch(line -> line.contains("kefu stopped"));

    KefuProcesses.Child again = startChild();
    JsonNode messages = again.call("GET", APP + "/users/" + alice + "/conversation?limit=1000", null)
        .path("messages");
    long stored = java.util.stream.StreamSupport.stream(messages.spliterator(), false)
        .filter(m -> m.path("direction").asText().equals("to_user")).count();
    assertThat(stored).as("every send answered 0 is stored").isGreaterThanOrEqualTo(answeredOk.get());
  }

  @Test
  void pushes_pending_at_kill_9_are_all_delivered_after_restart() throws Exception {
    try (DeveloperServer developer = new DeveloperServer()) {
      developer.byDefault(r -> DeveloperServer.Answer.slow(Duration.ofSeconds(2)));
      KefuProcesses.Child first = startChild();
      first.call("PUT", APP + "?skip_url_check=true", "{\"push\":{\"url\":\"" + developer.url()
          + "\",\"token\":\"kefutoken\",\"format\":\"json\"}}");
      java.util.Set<Long> sent = new java.util.TreeSet<>();
      for (int u = 0; u < 4; u++) {
        String openid = first.call("POST", APP + "/users", "").path("openid").asText();
        for (int i = 0; i < 5; i++) {
          sent.add(first.call("POST", APP + "/users/" + openid + "/messages",
              "{\"msgtype\":\"text\",\"text\":{\"content\":\"m" + i + "\"}}").path("msgid").asLong());
        }
      }
      developer.takePush(Duration.ofSeconds(30));
      first.process.destroyForcibly();
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

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
