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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushMode;
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
 * would (token, users, one message each to open their windows), then runs phases of closed-loop load with the same
 * number of clients (virtual threads sharing one HTTP/1.1 {@link HttpClient}, whose pool keeps a keep-alive
 * connection per request in flight):
 * <ul>
 *   <li>{@code health} (HTTP and framework, no store), {@code store-read} ({@code media/get} of an unknown id: token
 *       check and media lookup) and {@code send} ({@code message/custom/send}: window check, decrement and the
 *       durable write), send reported as a ratio to the first two;
 *   <li>{@code msg-no-push}: simulated user messages to an app without push (message, window and the agents'
 *       queue, no outbox), the baseline of the two push phases; its clients do the same work as theirs;
 *   <li>{@code push-plain} and {@code push-secure}: the same messages to an app pushing JSON to a
 *       {@link PushReceiver} in this process, in plain and in secure mode (AES and signatures): each message also
 *       writes the outbox in its transaction and is then delivered over HTTP. Besides messages accepted per second
 *       (as a ratio to the baseline), these report pushes received per second, the delivery latency from the start
 *       of the message request to the push's arrival, how long the outbox took to drain after the window, and any
 *       MsgId missing (which fails the run) or received twice.
 * </ul>
 * Each user-message phase has its own app and users, set up through the platform API.
 */
@Command(name = "kefu bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures kefu's send and push paths against baselines run on the same machine in the same run.",
        "Prints a table and writes the same figures as JSON. Exits 1 if any request failed or a push never came."})
public final class Bench implements Callable<Integer> {
  private static final App APP = new App("wxkefubench0000001", "kefubench0secret0000000000000001",
      "gh_kefubench0001", new WindowRules("bench", new Allowance(1, Duration.ofMinutes(1)),
      new Allowance(10_000_000, Duration.ofHours(48))), true, PushSettings.NONE);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String USER_APP_SECRET = "kefubench0secret0000000000000002";
  private static final String PUSH_TOKEN = "kefutoken";
  private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  private static final String NO_PUSH = "msg-no-push";

  @Spec
  CommandSpec spec;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "8",
      description = "measured seconds per phase (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
      description = "warm-up seconds before each phase (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "64",
      description = "concurrent clients, each with its own user (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--drain", paramLabel = "N", defaultValue = "30",
      description = "at most this many seconds to wait, after a push phase, for every push to arrive "
          + "(default: ${DEFAULT-VALUE})")
  int drainSeconds;

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
    if (seconds < 1 || warmupSeconds < 0 || clients < 1 || drainSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "--seconds, --clients and --drain must be at least 1 and --warmup at least 0");
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
        results.add(run(phase, http));
      }
      results.add(noPushPhase(http, base));
      Map<String, PushOutcome> pushes = new LinkedHashMap<>();
      for (PushMode mode : List.of(PushMode.PLAIN, PushMode.SECURE)) {
        PushRun push = pushPhase(http, base, mode);
        results.add(push.result());
        pushes.put(push.result().phase().name(), push.outcome());
      }
      ObjectNode report = report(results, pushes);
      printTable(System.out, report, results, pushes);
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.writeString(outFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      System.out.println("JSON: " + outFile);
      return report.get("ok").asBoolean() ? 0 : 1;
    } finally {
      deleteTree(dataDir);
    }
  }

  private Load.Result run(Load.Phase phase, HttpClient http) throws InterruptedException {
    System.err.printf("bench: %s (%d s warm-up, %d s measured)…%n", phase.name(), warmupSeconds, seconds);
    return Load.run(phase, http, clients, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds));
  }

  private List<Load.Phase> phases(URI base, String token, List<String> openids) {
    HttpRequest health = get(base, "/kefu/v1/health");
    HttpRequest mediaGet = get(base, "/cgi-bin/media/get?access_token=" + token + "&media_id=nope");
    return List.of(
        new Load.Phase("health", "GET /kefu/v1/health: HTTP baseline, no store",
            i -> health, (r, sentAt) -> expect(r, "status", "ok")),
        new Load.Phase("store-read", "GET /cgi-bin/media/get (unknown id, 40007): token + media reads",
            i -> mediaGet, (r, sentAt) -> expect(r, "errcode", "40007")),
        new Load.Phase("send", "POST /cgi-bin/message/custom/send: window check + durable write",
            i -> post(base, "/cgi-bin/message/custom/send?access_token=" + token,
                Json.newObject().put("touser", openids.get(i)).put("msgtype", "text")
                    .set("text", Json.newObject().put("content", "bench"))),
            (r, sentAt) -> expect(r, "errcode", "0")));
  }

  // --- user messages, without push and pushed ---------------------------------------------------------------------

  /** A push phase's load and what its receiver got. */
  private record PushRun(Load.Result result, PushOutcome outcome) {}

  /** Users' messages to an app without push: each is stored and puts (keeps) its user in the agents' queue. */
  private Load.Result noPushPhase(HttpClient http, URI base) throws IOException, InterruptedException {
    String appid = "wxkefubench0nopush";
    putApp(http, base, appid, Json.newObject().put("secret", USER_APP_SECRET));
    List<String> users = users(http, base, appid);
    return run(new Load.Phase(NO_PUSH, "POST …/users/{openid}/messages, push off: message + agents' queue",
        i -> userMessage(base, appid, users.get(i)),
        new AcceptedMessages("queue", new ConcurrentHashMap<>())), http);
  }

  /**
   * Users' messages to an app pushing JSON in {@code mode} to a receiver started for the phase; after the window,
   * waits (at most {@code --drain} seconds) for every accepted message's push.
   */
  private PushRun pushPhase(HttpClient http, URI base, PushMode mode) throws IOException, InterruptedException {
    String appid = "wxkefubench0" + mode.wireName();
    PushReceiver.Opener opener = mode.encrypts()
        ? PushReceiver.Opener.secure(new PushCipher(AES_KEY, appid)) : PushReceiver.Opener.PLAIN;
    try (PushReceiver receiver = PushReceiver.start(opener)) {
      ObjectNode push = Json.newObject().put("url", receiver.url().toString()).put("token", PUSH_TOKEN)
          .put("format", "json").put("mode", mode.wireName()).put("encoding_aes_key", AES_KEY);
      ObjectNode app = Json.newObject().put("secret", USER_APP_SECRET);
      app.set("push", push);
      putApp(http, base, appid, app);
      List<String> users = users(http, base, appid);
      Map<Long, Long> sentAt = new ConcurrentHashMap<>();
      Load.Result result = run(new Load.Phase("push-" + mode.wireName(),
          "POST …/users/{openid}/messages, push " + mode.wireName() + " JSON: + outbox, HTTP push",
          i -> userMessage(base, appid, users.get(i)), new AcceptedMessages("push", sentAt)), http);
      long drainFrom = System.nanoTime();
      if (!receiver.awaitAll(sentAt.keySet(), drainFrom + Duration.ofSeconds(drainSeconds).toNanos())) {
        System.err.printf("bench: %s: not every push arrived within %d s%n", result.phase().name(), drainSeconds);
      }
      return new PushRun(result, PushOutcome.of(sentAt, receiver.arrivals(), result.window()));
    }
  }

  /**
   * A good answer to a user message: HTTP 200, errcode 0 and {@code routed_to} the expected route; its msgid is
   * noted with the time its request started. Thread-safe: {@code sentAt} is a concurrent map.
   */
  private record AcceptedMessages(String route, Map<Long, Long> sentAt) implements Load.Check {
    @Override
    public String failure(HttpResponse<byte[]> response, long sentAt) {
      Optional<ObjectNode> json = response.statusCode() == 200 ? Json.object(response.body()) : Optional.empty();
      long msgid = json.filter(o -> o.path("errcode").asInt(-1) == 0 && route.equals(o.path("routed_to").asText()))
          .map(o -> o.path("msgid").asLong(0)).orElse(0L);
      if (msgid <= 0) {
        return "HTTP " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
      }
      this.sentAt.put(msgid, sentAt);
      return null;
    }
  }

  private static HttpRequest userMessage(URI base, String appid, String openid) {
    return post(base, "/kefu/v1/apps/" + appid + "/users/" + openid + "/messages",
        Json.newObject().put("msgtype", "text").set("text", Json.newObject().put("content", "bench")));
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

  /** Creates or changes an app through the platform API (with push, kefu checks the URL with the receiver). */
  private static void putApp(HttpClient http, URI base, String appid, ObjectNode app)
      throws IOException, InterruptedException {
    call(http, HttpRequest.newBuilder(base.resolve("/kefu/v1/apps/" + appid)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.write(app).getBytes(StandardCharsets.UTF_8))).build());
  }

  /** One new user per client, who has said nothing yet. */
  private List<String> users(HttpClient http, URI base, String appid) throws IOException, InterruptedException {
    List<String> openids = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      openids.add(call(http, post(base, "/kefu/v1/apps/" + appid + "/users",
          Json.newObject().put("nickname", "bench-" + i))).path("openid").asText());
    }
    return openids;
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

  private ObjectNode report(List<Load.Result> results, Map<String, PushOutcome> pushes) {
    ObjectNode o = Json.newObject()
        .put("clients", clients)
        .put("warmup_seconds", warmupSeconds)
        .put("seconds", seconds)
        .put("drain_bound_seconds", drainSeconds)
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
      p.set("latency_ms", millis(r.latencies()));
      ArrayNode samples = p.putArray("failure_samples");
      r.failureSamples().forEach(samples::add);
      PushOutcome push = pushes.get(r.phase().name());
      if (push != null) {
        p.set("push", pushReport(push));
      }
    }
    double health = throughput(results, "health");
    double storeRead = throughput(results, "store-read");
    double send = throughput(results, "send");
    double noPush = throughput(results, NO_PUSH);
    ObjectNode ratios = o.putObject("ratios")
        .put("send_to_health", round(ratio(send, health), 4))
        .put("send_to_store_read", round(ratio(send, storeRead), 4))
        .put("store_read_to_health", round(ratio(storeRead, health), 4));
    for (String name : pushes.keySet()) {
      ratios.put(name.replace('-', '_') + "_to_no_push", round(ratio(throughput(results, name), noPush), 4));
    }
    o.put("ok", results.stream().allMatch(Load.Result::ok) && pushes.values().stream().allMatch(PushOutcome::ok));
    return o;
  }

  private static ObjectNode pushReport(PushOutcome push) {
    ObjectNode o = Json.newObject()
        .put("accepted", push.expected())
        .put("delivered_in_window", push.deliveredInWindow())
        .put("pushes_per_second", round(push.pushesPerSecond(), 1))
        .put("backlog_at_window_end", push.backlog())
        .put("drain_seconds", round(push.drainNanos() / 1e9, 3))
        .put("drained", push.missing() == 0)
        .put("missing", push.missing())
        .put("duplicates", push.arrivals().duplicates())
        .put("unexpected", push.unexpected())
        .put("unreadable", push.arrivals().unreadable());
    o.set("delivery_latency_ms", millis(push.delivery()));
    ArrayNode missing = o.putArray("missing_samples");
    push.missingSamples().forEach(missing::add);
    ArrayNode duplicates = o.putArray("duplicate_samples");
    push.arrivals().duplicateSamples().forEach(duplicates::add);
    ArrayNode unreadable = o.putArray("unreadable_samples");
    push.arrivals().unreadableSamples().forEach(unreadable::add);
    return o;
  }

  private static ObjectNode millis(Latencies l) {
    return Json.newObject()
        .put("count", l.count())
        .put("p50", round(Latencies.millis(l.percentileNanos(50)), 3))
        .put("p90", round(Latencies.millis(l.percentileNanos(90)), 3))
        .put("p99", round(Latencies.millis(l.percentileNanos(99)), 3))
        .put("max", round(Latencies.millis(l.maxNanos()), 3));
  }

  private static void printTable(PrintStream out, ObjectNode report, List<Load.Result> results,
                                 Map<String, PushOutcome> pushes) {
    out.printf("%nkefu bench: %d clients, %d s warm-up + %d s measured per phase, %d CPUs, Java %s%n%n",
        report.get("clients").asInt(), report.get("warmup_seconds").asInt(), report.get("seconds").asInt(),
        report.get("cpus").asInt(), report.get("java").asText());
    out.printf("%-12s %10s %10s %8s %8s %8s %8s %8s%n",
        "phase", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
    for (JsonNode p : report.get("phases")) {
      JsonNode l = p.get("latency_ms");
      out.printf("%-12s %10d %10.1f %8.2f %8.2f %8.2f %8.2f %8d%n", p.get("name").asText(),
          p.get("requests").asLong(), p.get("throughput_rps").asDouble(), l.get("p50").asDouble(),
          l.get("p90").asDouble(), l.get("p99").asDouble(), l.get("max").asDouble(), p.get("failures").asLong());
    }
    out.println();
    for (Load.Result r : results) {
      out.printf("  %-12s %s%n", r.phase().name(), r.phase().label());
    }
    out.printf("%npush delivery (latency: start of the user-message request to the push's arrival at the receiver;"
        + "%nbacklog: messages sent but not yet pushed when the window ended)%n");
    out.printf("%-12s %8s %8s %8s %8s %8s %8s %8s %8s %8s %5s%n", "phase", "msgs/s", "pushes/s", "p50 ms",
        "p90 ms", "p99 ms", "max ms", "backlog", "drain s", "missing", "dups");
    for (Load.Result r : results) {
      PushOutcome push = pushes.get(r.phase().name());
      if (push != null) {
        Latencies d = push.delivery();
        out.printf("%-12s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8d %8.2f %8d %5d%n", r.phase().name(),
            r.throughput(), push.pushesPerSecond(), Latencies.millis(d.percentileNanos(50)),
            Latencies.millis(d.percentileNanos(90)), Latencies.millis(d.percentileNanos(99)),
            Latencies.millis(d.maxNanos()), push.backlog(), push.drainNanos() / 1e9, push.missing(),
            push.arrivals().duplicates());
      }
    }
    JsonNode ratios = report.get("ratios");
    out.println();
    out.printf("%-26s = %.3f%n", "send / health", ratios.get("send_to_health").asDouble());
    out.printf("%-26s = %.3f%n", "send / store-read", ratios.get("send_to_store_read").asDouble());
    out.printf("%-26s = %.3f%n", "store-read / health", ratios.get("store_read_to_health").asDouble());
    for (String name : pushes.keySet()) {
      out.printf("%-26s = %.3f (messages accepted per second)%n", name + " / " + NO_PUSH,
          ratios.get(name.replace('-', '_') + "_to_no_push").asDouble());
    }
    for (Load.Result r : results) {
      if (!r.ok()) {
        out.printf("%nFAILED %s: %d failed responses, e.g.%n", r.phase().name(), r.failures());
        r.failureSamples().forEach(s -> out.println("  " + s));
      }
    }
    pushes.forEach((name, push) -> {
      if (push.missing() > 0) {
        out.printf("%nFAILED %s: %d of %d pushes never arrived, e.g. MsgId %s%n", name, push.missing(),
            push.expected(), push.missingSamples());
      }
      if (push.arrivals().unreadable() > 0) {
        out.printf("%nFAILED %s: %d pushes without a readable MsgId, e.g.%n", name, push.arrivals().unreadable());
        push.arrivals().unreadableSamples().forEach(s -> out.println("  " + s));
      }
      if (push.arrivals().duplicates() > 0) {
        out.printf("%n%s: %d pushes repeated a MsgId, e.g. %s%n", name, push.arrivals().duplicates(),
            push.arrivals().duplicateSamples());
      }
    });
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
