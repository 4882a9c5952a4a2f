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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.protocol.Json;

/**
 * kefu servers as child processes, the way {@code ./kefu serve} runs them, each printing to its own log file;
 * closing kills whatever is still running.
 */
public final class KefuProcesses implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();

  private final Path logs;
  private final String classPath;
  private final List<String> jvmOptions;
  private final List<Process> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Children on the test's own classpath. */
  public KefuProcesses(Path logs) {
    this(logs, System.getProperty("java.class.path"), List.of());
  }

  /** Children on {@code classPath}, their JVM started with {@code jvmOptions}. */
  public KefuProcesses(Path logs, String classPath, List<String> jvmOptions) {
    this.logs = logs;
    this.classPath = classPath;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** A running child: its process, base URI, and the file it prints to. */
  public final class Child {
    public final Process process;
    public final URI base;
    public final Path log;

    Child(Process process, URI base, Path log) {
      this.process = process;
      this.base = base;
      this.log = log;
    }

    List<String> output() throws IOException {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    JsonNode call(String method, String path, String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).method(
          method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return Json.MAPPER.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    String token() throws Exception {
      return call("GET", "/cgi-bin/token?grant_type=client_credential&appid=" + TestKefu.DEMO.appid() + "&secret="
          + TestKefu.DEMO.secret(), null).path("access_token").asText();
    }

    JsonNode send(String token, String openid, String text) throws Exception {
      return call("POST", "/cgi-bin/message/custom/send?access_token=" + token,
          "{\"touser\":\"" + openid + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + text + "\"}}");
    }

    String newUser() throws Exception {
      return call("POST", APP + "/users", "").path("openid").asText();
    }

    JsonNode says(String openid, String text) throws Exception {
      return call("POST", APP + "/users/" + openid + "/messages",
          "{\"msgtype\":\"text\",\"text\":{\"content\":\"" + text + "\"}}");
    }
  }

  /** Starts {@code kefu serve --port 0} with {@code args} and waits until it says where it listens. */
  public Child start(String... args) throws Exception {
    return listening(launch(args));
  }

  /** A child just launched, which may not listen yet: its process and the file it prints to. */
  public record Launched(Process process, Path log) {}

  /** Launches {@code kefu serve --port 0} with {@code args}, without waiting for it. */
  public Launched launch(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile(logs, "kefu", ".log");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath, "kefu.server.Main", "serve", "--port", "0"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    return new Launched(p, log);
  }

  /** Waits until {@code launched} says where it listens. */
  public Child listening(Launched launched) {
    Process p = launched.process();
    Path log = launched.log();
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

  @Override
  public void close() {
    started.forEach(Process::destroyForcibly);
  }
}
