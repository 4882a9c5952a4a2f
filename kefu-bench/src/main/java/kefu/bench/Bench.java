package kefu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.protocol.push.PushSettings;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import kefu.server.KefuServer;
import kefu.server.clock.KefuClock;
import kefu.server.config.ServerConfig;
import kefu.store.App;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Spec;

/**
 * {@code ./kefu bench}: starts kefu in process on a fresh data directory, sets it up over HTTP the way a user
 * would (token, users, one message each to open their windows), then runs three phases of closed-loop load with
 * the same clients (virtual threads sharing one HTTP/1.1 {@link HttpClient}, whose pool keeps a keep-alive
 * connection per request in flight): the health endpoint (HTTP and framework, no store), {@code media/get} of an
 * unknown id (token check and media lookup: store reads only) and {@code message/custom/send} (window check,
 * decrement and the durable write). Send throughput is reported as a ratio to both baselines measured in the same run.
 */
@Command(name = "kefu bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures kefu's send path against baselines run on the same machine in the same run.",
        "Prints a table and writes the same figures as JSON. Exits 1 if any request failed."})
public final class Bench implements Callable<Integer> {
  private static final App APP = new App("wxkefubench0000001", "kefubench0secret0000000000000001",
      "gh_kefubench0001", new WindowRules("bench", new Allowance(1, Duration.ofMinutes(1)),
      new Allowance(10_000_000, Duration.ofHours(48))), true, PushSettings.NONE);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  @Spec
  CommandSpec spec;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
      description = "measured seconds per phase (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
      description = "warm-up seconds before each phase (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "64",
      description = "concurrent clients, each with its own user (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--out", paramLabel = "FILE",
      description = "where to write the JSON result (default: kefu-bench/target/bench-result.json)")
  Path out;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (seconds < 1 || warmupSeconds < 0 || clients < 1) {
      throw new ParameterException(spec.commandLine(),
          "--seconds and --clients must be at least 1 and --warmup at least 0");
    }
    Path outFile = out != null ? out : defaultOut();
    Path dataDir = Files.createTempDirectory("kefu-bench-");
    try (KefuServer server = KefuServer.start(
        ServerConfig.defaults().withPort(0).withDataDir(dataDir).withApps(List.of(APP)), KefuClock.system());
         HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
             .connectTimeout(Duration.ofSeconds(5)).build()) {
      URI base = server.baseUri();
      String token = token(http, base);
      List<String> openids = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        openids.add(userWhoSaysHi(http, base, i));
      }
      List<Load.Result> results = new ArrayList<>();
      for (Load.Phase phase : phases(base, token, openids)) {
        System.err.printf("bench: %s (%d s warm-up, %d s measured)…%n", phase.name(), warmupSeconds, seconds);
        results.add(Load.run(phase, http, clients, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds)));
      }
      ObjectNode report = report(results);
      printTable(System.out, report, results);
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      System.out.println("JSON: " + outFile);
      return results.stream().allMatch(Load.Result::ok) ? 0 : 1;
    } finally {
      deleteTree(dataDir);
    }
  }

  private List<Load.Phase> phases(URI base, String token, List<String> openids) {
    HttpRequest health = get(base, "/kefu/v1/health");
    HttpRequest mediaGet = get(base, "/cgi-bin/media/get?access_token=" + token + "&media_id=nope");
    return List.of(
        new Load.Phase("health", "GET /kefu/v1/health: HTTP baseline, no store",
            i -> health, r -> expect(r, "status", "ok")),
        new Load.Phase("store-read", "GET /cgi-bin/media/get (unknown id, 40007): token + media reads",
            i -> mediaGet, r -> expect(r, "errcode", "40007")),
        new Load.Phase("send", "POST /cgi-bin/message/custom/send: window check + durable write",
            i -> post(base, "/cgi-bin/message/custom/send?access_token=" + token,
                Json.newObject().put("touser", openids.get(i)).put("msgtype", "text")
                    .set("text", Json.newObject().put("content", "bench"))),
            r -> expect(r, "errcode", "0")));
  }

  /** Null when the answer is HTTP 200 with {@code field} equal to {@code value}, else what came back. */
  private static String expect(HttpResponse<byte[]> r, String field, String value) {
    if (r.statusCode() == 200
        && Json.object(r.body()).map(json -> value.equals(json.path(field).asText())).orElse(false)) {
      return null;
    }
    return "HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
  }

  // --- set-up, as a developer's backend and a simulated user would do it ---------------------------------------

  private static String token(HttpClient http, URI base) throws IOException, InterruptedException {
    JsonNode r = call(http, get(base, "/cgi-bin/token?grant_type=client_credential&appid=" + APP.appid()
        + "&secret=" + APP.secret()));
    return r.path("access_token").asText();
  }

  private static String userWhoSaysHi(HttpClient http, URI base, int i) throws IOException, InterruptedException {
    String users = "/kefu/v1/apps/" + APP.appid() + "/users";
    String openid = call(http, post(base, users, Json.newObject().put("nickname", "bench-" + i)))
        .path("openid").asText();
    call(http, post(base, users + "/" + openid + "/messages", Json.newObject().put("msgtype", "text")
        .set("text", Json.newObject().put("content", "hi"))));
    return openid;
  }

  private static JsonNode call(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode json = Json.object(r.body()).orElse(null);
    if (r.statusCode() != 200 || json == null || json.path("errcode").asInt(0) != 0) {
      throw new IllegalStateException("set-up failed: " + request.method() + " " + request.uri().getPath()
          + " answered HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return json;
  }

  private static HttpRequest get(URI base, String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT).GET().build();
  }

  private static HttpRequest post(URI base, String pathAndQuery, JsonNode body) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body).getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  // --- the report ------------------------------------------------------------------------------------------------

  private ObjectNode report(List<Load.Result> results) {
    ObjectNode o = Json.newObject()
        .put("clients", clients)
        .put("warmup_seconds", warmupSeconds)
        .put("seconds", seconds)
        .put("cpus", Runtime.getRuntime().availableProcessors())
        .put("java", Runtime.version().toString());
    ArrayNode phases = o.putArray("phases");
    for (Load.Result r : results) {
      ObjectNode p = phases.addObject()
          .put("name", r.phase().name())
          .put("label", r.phase().label())
          .put("requests", r.latencies().count())
          .put("throughput_rps", round(r.throughput(), 1))
          .put("failures", r.failures());
      p.putObject("latency_ms")
          .put("p50", round(Latencies.millis(r.latencies().percentileNanos(50)), 3))
          .put("p90", round(Latencies.millis(r.latencies().percentileNanos(90)), 3))
          .put("p99", round(Latencies.millis(r.latencies().percentileNanos(99)), 3))
          .put("max", round(Latencies.millis(r.latencies().maxNanos()), 3));
      ArrayNode samples = p.putArray("failure_samples");
      r.failureSamples().forEach(samples::add);
    }
    double health = throughput(results, "health");
    double storeRead = throughput(results, "store-read");
    double send = throughput(results, "send");
    o.putObject("ratios")
        .put("send_to_health", round(ratio(send, health), 4))
        .put("send_to_store_read", round(ratio(send, storeRead), 4))
        .put("store_read_to_health", round(ratio(storeRead, health), 4));
    o.put("ok", results.stream().allMatch(Load.Result::ok));
    return o;
  }

  private static void printTable(PrintStream out, ObjectNode report, List<Load.Result> results) {
    out.printf("%nkefu bench: %d clients, %d s warm-up + %d s measured per phase, %d CPUs, Java %s%n%n",
        report.get("clients").asInt(), report.get("warmup_seconds").asInt(), report.get("seconds").asInt(),
        report.get("cpus").asInt(), report.get("java").asText());
    out.printf("%-11s %10s %10s %8s %8s %8s %8s %8s%n",
        "phase", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
    for (JsonNode p : report.get("phases")) {
      JsonNode l = p.get("latency_ms");
      out.printf("%-11s %10d %10.1f %8.2f %8.2f %8.2f %8.2f %8d%n", p.get("name").asText(),
          p.get("requests").asLong(), p.get("throughput_rps").asDouble(), l.get("p50").asDouble(),
          l.get("p90").asDouble(), l.get("p99").asDouble(), l.get("max").asDouble(), p.get("failures").asLong());
    }
    out.println();
    for (Load.Result r : results) {
      out.printf("  %-11s %s%n", r.phase().name(), r.phase().label());
    }
    JsonNode ratios = report.get("ratios");
    out.printf("%nsend / health       = %.3f%nsend / store-read   = %.3f%nstore-read / health = %.3f%n",
        ratios.get("send_to_health").asDouble(), ratios.get("send_to_store_read").asDouble(),
        ratios.get("store_read_to_health").asDouble());
    for (Load.Result r : results) {
      if (!r.ok()) {
        out.printf("%nFAILED %s: %d failed responses, e.g.%n", r.phase().name(), r.failures());
        r.failureSamples().forEach(s -> out.println("  " + s));
      }
    }
  }

  private static double throughput(List<Load.Result> results, String name) {
    return results.stream().filter(r -> r.phase().name().equals(name)).findFirst()
        .map(Load.Result::throughput).orElse(0.0);
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  /** {@code bench-result.json} beside the jar (or the classes directory): kefu-bench/target. */
  private static Path defaultOut() {
    try {
      Path code = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("bench-result.json");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("kefu-bench", "target", "bench-result.json");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }
}
