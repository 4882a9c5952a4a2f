package kefu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import kefu.store.App;
import kefu.store.postgres.PostgresOptions;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./kefu bench}: measures kefu against the limit and against what users would pick instead, side by side in one
 * run, on loopback, each phase bounded in time. Every server under test runs in a JVM of its own
 * ({@link ServerProcess}) with the same JDK and JVM options, and the one load generator ({@link Load},
 * {@link OpenLoad}) runs in this JVM:
 * <ul>
 *   <li>{@code startup}: {@code kefu-server.jar serve} on a fresh data directory, from spawning the process to the first
 *       HTTP 200 from {@code /kefu/v1/health}, several times (median); and kefu-testing's JUnit extension in a fresh
 *       JVM ({@link ExtensionStartup}): first start, a second start in the warm JVM, the reset between tests;
 *   <li>{@code send}: {@code POST /cgi-bin/message/custom/send} with a valid token over many users with open windows,
 *       closed loop at each {@code --connections} count, against kefu on its embedded store (each errcode 0 is on disk),
 *       the bare Helidon server ({@link BareServer}, the ceiling) and WireMock standalone serving a stub for the same
 *       endpoint; throughput counts errcode 0 only; reported with the ratios kefu/bare and kefu/WireMock;
 *   <li>{@code open-loop}: kefu and the bare server at one fixed rate, half kefu's throughput at 64 connections
 *       (or {@code --open-rate}), 64 connections, latency from each request's due time (no coordinated omission);
 *   <li>{@code push}, {@code push-rate}: user messages to an app pushing JSON to a receiver in this JVM that answers
 *       {@code success}, closed loop and then at fixed rates: pushes per second, time from the user's message to the
 *       receiver;
 *   <li>{@code growth}: a kefu whose store the bench fills with past conversations ({@link History}) to each
 *       {@code --growth} size, restarted on it, then the send test at 64 connections, with RSS and heap after each;
 *   <li>{@code postgres}: when the database answers, the send test on one node and on two nodes of kefu sharing it.
 * </ul>
 * Writes {@code bench/results/<UTC time>.md} and {@code .json} (machine, JDK, every figure, every ratio, each target
 * with the figure measured against it) and prints the Markdown.
 */
@Command(name = "kefu bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures kefu against a bare HTTP server on the same stack and against WireMock, in one run.",
        "Prints a Markdown report and writes it, with the same figures as JSON, to bench/results/.",
        "Exits 1 if any request failed, a push never came or a server would not start."})
public final class Bench implements Callable<Integer> {
  private static final String APP_SECRET = "kefubench0secret0000000000000001";
  static final ConfiguredApp APP = new ConfiguredApp(new App("wxkefubench0000001",
      SecretHash.of(APP_SECRET, new SecureRandom()), "gh_kefubench0001", new WindowRules("bench",
      new Allowance(1, Duration.ofMinutes(1)), new Allowance(10_000_000, Duration.ofHours(48))), true,
      PushSettings.NONE, ApiLimits.OFF), APP_SECRET);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final String USER_APP_SECRET = "kefubench0secret0000000000000002";
  private static final String PUSH_TOKEN = "kefutoken";
  private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  private static final String SEND_PATH = "/cgi-bin/message/custom/send";
  /** Connections of the open-loop, growth and PostgreSQL phases, and of the throughput targets. */
  static final int REFERENCE_CONNECTIONS = 64;
  static final String WIREMOCK_VERSION = "3.13.2";
  /** WireMock's settings for speed, as a user load-testing against it would choose them. */
  static final List<String> WIREMOCK_FLAGS = List.of("--no-request-journal", "--disable-request-logging",
      "--disable-banner", "--disable-gzip", "--disable-response-templating");
  /** The phases, in the order they run. */
  static final List<String> PHASES = List.of("startup", "send", "open-loop", "push", "push-rate", "growth", "postgres");
  static final String DEFAULT_POSTGRES = "postgresql://127.0.0.1:5432/test?user=postgres";

  /** What a run does: the presets of {@code --quick} and of a full run, changed by the options given. */
  record Settings(double warmupSeconds, double seconds, List<Integer> connections, int users, int startups,
                  List<Long> growth, List<Integer> pushRates, int drainSeconds) {
    static final Settings FULL = new Settings(3, 10, List.of(16, 64, 256), 1024, 5,
        List.of(10_000L, 1_000_000L, 10_000_000L), List.of(200), 30);
    static final Settings QUICK = new Settings(1, 2, List.of(16, 64, 256), 256, 3,
        List.of(10_000L, 1_000_000L), List.of(200), 15);

    Duration warmup() {
      return Duration.ofNanos((long) (warmupSeconds * 1e9));
    }

    Duration measure() {
      return Duration.ofNanos((long) (seconds * 1e9));
    }
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--quick", description = "the short run, under 2 minutes: 1 s warm-up and 2 s per phase, 256 users, "
      + "3 start-ups, growth to 10000 and 1000000 messages")
  boolean quick;

  @Option(names = "--seconds", paramLabel = "S", description = "measured seconds per phase (full: 10, quick: 2)")
  Double seconds;

  @Option(names = "--warmup", paramLabel = "S", description = "warm-up seconds before each phase (full: 3, quick: 1)")
  Double warmup;

  @Option(names = "--connections", paramLabel = "N", split = ",",
      description = "concurrent connections of the send phase (default: 16,64,256)")
  List<Integer> connections;

  @Option(names = "--users", paramLabel = "N",
      description = "users with open windows the sends go to, round robin (full: 1024, quick: 256)")
  Integer users;

  @Option(names = "--startups", paramLabel = "N", description = "kefu processes started to time start-up (full: 5, "
      + "quick: 3)")
  Integer startups;

  @Option(names = "--growth", paramLabel = "N", split = ",",
      description = "stored messages of the growth phase, ascending (full: 10000,1000000,10000000; quick: "
          + "10000,1000000)")
  List<Long> growth;

  @Option(names = "--push-rate", paramLabel = "N", split = ",",
      description = "messages per second of the open-loop push phase, one run per rate, ascending (default: 200)")
  List<Integer> pushRates;

  @Option(names = "--drain", paramLabel = "S",
      description = "at most this many seconds to wait after a push phase for every push (full: 30, quick: 15)")
  Integer drain;

  @Option(names = "--open-rate", paramLabel = "N",
      description = "requests per second of the open-loop phase (default: half kefu's send throughput at 64 "
          + "connections, measured in the send phase)")
  Integer openRate;

  @Option(names = "--postgres", paramLabel = "URL", defaultValue = DEFAULT_POSTGRES,
      description = {"the PostgreSQL of the postgres phase, each deployment on a fresh schema "
          + PostgresDeployment.SCHEMA_PREFIX + "… (created, then dropped); skipped when it does not answer; "
          + "'off' to skip (default: ${DEFAULT-VALUE})"})
  String postgres;

  @Option(names = "--only", paramLabel = "PHASES", split = ",",
      description = "run only these phases: startup, send, open-loop, push, push-rate, growth, postgres (default: all)")
  List<String> only;

  @Option(names = "--jvm-opt", paramLabel = "OPT",
      description = "a JVM option for every server under test, e.g. --jvm-opt=-Xmx256m (repeatable; default: none)")
  List<String> jvmOptions = new ArrayList<>();

  @Option(names = "--server-jar", paramLabel = "FILE",
      description = "kefu-server.jar to measure (default: kefu-server/target/kefu-server.jar of this checkout)")
  Path serverJar;

  @Option(names = "--wiremock-jar", paramLabel = "FILE",
      description = "WireMock standalone (default: kefu-bench/target/lib/wiremock-standalone-" + WIREMOCK_VERSION
          + ".jar)")
  Path wiremockJar;

  @Option(names = "--results", paramLabel = "DIR", description = "where to write the report (default: bench/results "
      + "of this checkout)")
  Path results;

  private Settings settings;
  private KefuCommand kefu;
  private Path work;
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final long began = System.nanoTime();

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException, SQLException {
    settings = settings();
    List<String> selected = phasesToRun(only);
    if (selected.contains("open-loop") && !selected.contains("send") && openRate == null) {
      throw new ParameterException(spec.commandLine(), "--only open-loop needs send too (its rate is half kefu's "
          + "send throughput at 64 connections), or --open-rate N");
    }
    Clock clock = Clock.systemUTC();
    Instant date = clock.instant();
    Path checkout = checkout();
    Path wiremock = wiremockJar != null ? wiremockJar
        : codeDirectory().resolve("lib").resolve("wiremock-standalone-" + WIREMOCK_VERSION + ".jar");
    work = Files.createTempDirectory("kefu-bench-");
    ObjectNode report = Json.newObject()
        .put("date", date.toString())
        .put("variant", variant())
        .put("command", "./kefu bench" + (spec.commandLine().getParseResult().originalArgs().isEmpty() ? ""
            : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs())));
    report.set("machine", Machine.here().json());
    try {
      kefu = KefuCommand.find(serverJar != null ? serverJar
          : checkout.resolve("kefu-server").resolve("target").resolve("kefu-server.jar"), APP, work);
      report.set("servers", serversJson(wiremock));
      report.set("settings", settingsJson(selected));
      if (selected.contains("startup")) {
        phase("startup", () -> report.set("startup", startup()));
      }
      if (Stream.of("send", "open-loop", "push", "push-rate").anyMatch(selected::contains)) {
        phase("send", () -> sendAndPush(report, selected, wiremock));
      }
      if (selected.contains("growth")) {
        phase("growth", () -> report.set("growth", growth(clock)));
      }
      if (selected.contains("postgres")) {
        phase("postgres", () -> report.set("postgres", postgres()));
      }
    } finally {
      deleteTree(work);
    }
    ArrayNode failed = report.putArray("failures");
    failures.forEach(failed::add);
    report.put("ok", failures.isEmpty());
    report.set("targets", Report.targets(report));
    String markdown = Report.markdown(report);
    Path dir = results != null ? results : checkout.resolve("bench").resolve("results");
    Files.createDirectories(dir);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(date);
    Path json = dir.resolve(stamp + ".json");
    Path md = dir.resolve(stamp + ".md");
    Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
    Files.writeString(md, markdown);
    System.out.println(markdown);
    System.out.println("Written: " + md + " and " + json);
    return failures.isEmpty() ? 0 : 1;
  }

  /** What the run is doing, on stderr, with the seconds since it began. */
  private void progress(String what) {
    System.err.printf("bench [%5.1f s]: %s%n", (System.nanoTime() - began) / 1e9, what);
  }

  /** A phase's work; what it throws ends the phase, not the run. */
  @FunctionalInterface
  private interface Work {
    void run() throws IOException, InterruptedException, SQLException;
  }

  /** Runs a phase; a failure (a server that would not start, a set-up call refused) is noted and the run goes on. */
  private void phase(String name, Work work) throws InterruptedException {
    try {
      work.run();
    } catch (IOException | SQLException | RuntimeException e) {
      e.printStackTrace();
      failures.add(name + ": " + e);
    }
  }

  private String variant() {
    boolean changed = seconds != null || warmup != null || connections != null || users != null || startups != null
        || growth != null || pushRates != null || drain != null || only != null;
    return (quick ? "quick" : "full") + (changed ? ", changed by options" : "");
  }

  /** The preset, then each option given; usage errors name the option. */
  Settings settings() {
    Settings p = quick ? Settings.QUICK : Settings.FULL;
    Settings s = new Settings(warmup != null ? warmup : p.warmupSeconds(), seconds != null ? seconds : p.seconds(),
        connections != null ? List.copyOf(connections) : p.connections(), users != null ? users : p.users(),
        startups != null ? startups : p.startups(), growth != null ? List.copyOf(growth) : p.growth(),
        pushRates != null ? List.copyOf(pushRates) : p.pushRates(), drain != null ? drain : p.drainSeconds());
    if (s.seconds() <= 0 || s.warmupSeconds() < 0) {
      throw usage("--seconds must be above 0 and --warmup at least 0");
    }
    if (s.connections().isEmpty() || s.connections().stream().anyMatch(c -> c == null || c < 1)) {
      throw usage("--connections: each count must be at least 1");
    }
    if (s.users() < 1 || s.startups() < 1 || s.drainSeconds() < 1) {
      throw usage("--users, --startups and --drain must be at least 1");
    }
    if (s.growth().stream().anyMatch(n -> n == null || n < 1) || !ascending(s.growth())) {
      throw usage("--growth: sizes must be at least 1 and strictly ascending");
    }
    if (s.pushRates().isEmpty() || s.pushRates().stream().anyMatch(r -> r == null || r < 1)
        || !ascending(s.pushRates())) {
      throw usage("--push-rate: each rate must be at least 1 message/s, strictly ascending");
    }
    if (openRate != null && openRate < 1) {
      throw usage("--open-rate must be at least 1");
    }
    if (!postgres.equals("off")) {
      try {
        ServerConfig.defaults().withStore(postgres).validate();
        PostgresOptions.fromUrl(postgres, 1);
      } catch (IllegalArgumentException e) {
        throw usage("--postgres: " + e.getMessage());
      }
      if (PostgresDeployment.hasSchema(postgres)) {
        throw usage("--postgres: leave out the schema parameter; the bench makes a fresh schema "
            + PostgresDeployment.SCHEMA_PREFIX + "… for each deployment and drops it");
      }
    }
    if (only != null) {
      for (String name : only) {
        if (!PHASES.contains(name)) {
          throw usage("--only: unknown phase '" + name + "'; known: " + String.join(", ", PHASES));
        }
      }
    }
    return s;
  }

  private static <T extends Comparable<T>> boolean ascending(List<T> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i).compareTo(values.get(i - 1)) <= 0) {
        return false;
      }
    }
    return true;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The phases to run, in the order they run: those named in {@code only} (null for all). */
  static List<String> phasesToRun(List<String> only) {
    return only == null ? PHASES : PHASES.stream().filter(only::contains).toList();
  }

  // --- start-up --------------------------------------------------------------------------------------------------

  private ObjectNode startup() throws IOException, InterruptedException {
    ObjectNode o = Json.newObject();
    List<Double> runs = new ArrayList<>();
    for (int i = 0; i < settings.startups(); i++) {
      progress(String.format("startup %d of %d…", i + 1, settings.startups()));
      Path data = Files.createTempDirectory(work, "startup-");
      try (ServerProcess p = startKefu(data, List.of())) {
        runs.add(Latencies.millis(p.startupNanos()));
      }
      deleteTree(data);
    }
    ObjectNode process = o.putObject("kefu_process_ms");
    runs.forEach(process.putArray("runs")::add);
    List<Double> sorted = runs.stream().sorted().toList();
    process.put("median", round(median(sorted), 1)).put("min", round(sorted.getFirst(), 1))
        .put("max", round(sorted.getLast(), 1));
    progress("startup of the JUnit extension…");
    o.set("junit_extension", extensionStartup());
    return o;
  }

  static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** {@link ExtensionStartup} in a fresh JVM with the servers' JVM options; its one line of JSON. */
  private JsonNode extensionStartup() throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(ServerProcess.javaBinary().toString()));
    argv.addAll(jvmOptions);
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), ExtensionStartup.class.getName()));
    Path log = Files.createTempFile(work, "extension-", ".log");
    Process p = new ProcessBuilder(argv).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String last = out.lines().reduce((a, b) -> b).orElse("");
    Optional<ObjectNode> json = Json.object(last.getBytes(StandardCharsets.UTF_8));
    if (p.exitValue() != 0 || json.isEmpty() || json.get().has("error")) {
      failures.add("startup: the JUnit extension probe failed: " + last + " (log: " + Files.readString(log) + ")");
      return Json.newObject().put("error", last);
    }
    ObjectNode o = json.get();
    List<Double> perTest = new ArrayList<>();
    o.get("per_test_ms").forEach(v -> perTest.add(v.asDouble()));
    List<Double> sorted = perTest.stream().sorted().toList();
    o.put("per_test_median_ms", round(median(sorted), 2)).put("per_test_max_ms", round(sorted.getLast(), 2));
    o.remove("per_test_ms");
    return o;
  }

  // --- send, open loop and push on one kefu --------------------------------------------------------------------------

  private void sendAndPush(ObjectNode report, List<String> selected, Path wiremock)
      throws IOException, InterruptedException {
    Path data = Files.createTempDirectory(work, "kefu-");
    try (ServerProcess k = startKefu(data, List.of())) {
      List<String> openids = setUp(k.base(), settings.users());
      String token = token(k.base());
      List<ObjectNode> send = new ArrayList<>();
      ObjectNode memory = Json.newObject();
      Map<String, Double> at64 = new ConcurrentHashMap<>();
      if (selected.contains("send")) {
        for (int c : settings.connections()) {
          send.add(Json.newObject().put("connections", c));
        }
        measureSends(k, send, openids, token, at64);
        memory.set("kefu", memory(k));
        try (ServerProcess bare = startBare()) {
          measureSends(bare, send, openids, token, at64);
          memory.set("bare", memory(bare));
          try (ServerProcess wm = startWireMock(wiremock)) {
            measureSends(wm, send, openids, token, at64);
            memory.set("wiremock", memory(wm));
          }
          for (ObjectNode row : send) {
            row.put("kefu_to_bare", ratio(row, "kefu", "bare")).put("kefu_to_wiremock", ratio(row, "kefu", "wiremock"));
          }
          ArrayNode rows = report.putArray("send");
          send.forEach(rows::add);
          report.set("memory_after_send", memory);
          if (selected.contains("open-loop")) {
            report.set("open_loop", openLoop(k, bare, openids, token, at64.get("kefu")));
          }
        }
      } else if (selected.contains("open-loop")) {
        try (ServerProcess bare = startBare()) {
          report.set("open_loop", openLoop(k, bare, openids, token, null));
        }
      }
      if (selected.contains("push")) {
        report.set("push", pushPhase(k.base()));
      }
      if (selected.contains("push-rate")) {
        ArrayNode rates = report.putArray("push_rate");
        for (int rate : settings.pushRates()) {
          rates.add(pushRatePhase(k.base(), rate));
        }
      }
    }
    deleteTree(data);
  }

  /**
   * The send test against {@code server} at each connection count, one row of {@code rows} per count; every server
   * gets the same requests (kefu's token, kefu's users).
   */
  private void measureSends(ServerProcess server, List<ObjectNode> rows, List<String> openids, String token,
                            Map<String, Double> at64) throws InterruptedException {
    for (ObjectNode row : rows) {
      int c = row.get("connections").asInt();
      Load.Result r = run(sendPhase("send-" + server.name() + "@" + c, server.base(), token, openids, c), c);
      row.set(server.name(), loadJson(r));
      if (c == REFERENCE_CONNECTIONS) {
        at64.put(server.name(), r.throughput());
      }
    }
  }

  private static double ratio(ObjectNode row, String a, String b) {
    double den = row.path(b).path("throughput_rps").asDouble(0);
    return den == 0 ? 0 : round(row.path(a).path("throughput_rps").asDouble(0) / den, 3);
  }

  private ObjectNode openLoop(ServerProcess k, ServerProcess bare, List<String> openids, String token,
                              Double kefuPeak) throws InterruptedException {
    int rate = openRate != null ? openRate : (int) Math.max(1, Math.round(kefuPeak / 2));
    ObjectNode o = Json.newObject().put("rate_per_second", rate).put("connections", REFERENCE_CONNECTIONS)
        .put("rate_from", openRate != null ? "--open-rate" : "half kefu's send throughput at 64 connections");
    for (ServerProcess server : List.of(k, bare)) {
      Load.Phase phase = sendPhase("open-" + server.name() + "@" + rate, server.base(), token, openids,
          REFERENCE_CONNECTIONS);
      progress(String.format("%s (%d/s over %d connections)…", phase.name(), rate, REFERENCE_CONNECTIONS));
      OpenLoad.Result r;
      try (HttpClient http = Load.client()) {
        r = OpenLoad.run(phase, http, REFERENCE_CONNECTIONS, rate, settings.warmup(), settings.measure());
      }
      noteFailures(r.load());
      ObjectNode s = loadJson(r.load());
      s.put("due_in_window", r.dueInWindow());
      s.set("send_lag_ms", millis(r.sendLag()));
      o.set(server.name(), s);
    }
    double bareP99 = o.path("bare").path("latency_ms").path("p99").asDouble(0);
    o.put("kefu_p99_to_bare_p99", bareP99 == 0 ? 0
        : round(o.path("kefu").path("latency_ms").path("p99").asDouble() / bareP99, 3));
    return o;
  }

  private Load.Result run(Load.Phase phase, int connections) throws InterruptedException {
    progress(String.format("%s (%.1f s warm-up, %.1f s measured)…", phase.name(), settings.warmupSeconds(),
        settings.seconds()));
    Load.Result r;
    try (HttpClient http = Load.client()) {
      r = Load.run(phase, http, connections, settings.warmup(), settings.measure());
    }
    noteFailures(r);
    return r;
  }

  private void noteFailures(Load.Result r) {
    if (!r.ok()) {
      failures.add(r.phase().name() + ": " + r.failures() + " failed answers, e.g. " + r.failureSamples());
    }
  }

  /**
   * Custom text messages to the users through the nodes at {@code bases} (user {@code i} through node
   * {@code i mod nodes}), round robin over {@code clients}; a good answer is HTTP 200 with errcode 0.
   */
  private static Load.Phase sendPhase(String name, List<URI> bases, String token, List<String> openids,
                                      int clients) {
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < openids.size(); i++) {
      requests.add(post(bases.get(i % bases.size()), SEND_PATH + "?access_token=" + token,
          Json.newObject().put("touser", openids.get(i)).put("msgtype", "text")
              .set("text", Json.newObject().put("content", "您好，有什么可以帮您？"))));
    }
    return new Load.Phase(name, "POST " + SEND_PATH, Load.Requests.roundRobin(requests, clients),
        (r, sentAt) -> expect(r, "errcode", "0"));
  }

  private static Load.Phase sendPhase(String name, URI base, String token, List<String> openids, int clients) {
    return sendPhase(name, List.of(base), token, openids, clients);
  }

  // --- the servers -------------------------------------------------------------------------------------------------

  private ServerProcess startKefu(Path data, List<String> more) throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(kefu.jvmOptions());
    options.addAll(jvmOptions);
    return ServerProcess.start(kefu.serve(data, more), options, work, START_TIMEOUT);
  }

  private ServerProcess startBare() throws IOException, InterruptedException {
    progress("starting the bare server…");
    return ServerProcess.start(ServerProcess.Command.main("bare", System.getProperty("java.class.path"),
        BareServer.class.getName(), "/health", List.of("{port}")), jvmOptions, work, START_TIMEOUT);
  }

  private ServerProcess startWireMock(Path jar) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("WireMock standalone is not at " + jar + "; build kefu-bench (mvn package "
          + "copies it there) or give --wiremock-jar");
    }
    progress("starting WireMock…");
    Path root = Files.createTempDirectory(work, "wiremock-");
    Files.createDirectories(root.resolve("mappings"));
    ObjectNode stub = Json.newObject();
    stub.putObject("request").put("method", "POST").put("urlPath", SEND_PATH);
    ObjectNode response = stub.putObject("response").put("status", 200)
        .put("body", new String(BareServer.OK, StandardCharsets.US_ASCII));
    response.putObject("headers").put("Content-Type", "application/json");
    Files.writeString(root.resolve("mappings").resolve("send.json"), Json.write(stub));
    List<String> args = new ArrayList<>(List.of("--port", "{port}", "--bind-address", "127.0.0.1", "--root-dir",
        root.toString()));
    args.addAll(WIREMOCK_FLAGS);
    return ServerProcess.start(ServerProcess.Command.jar("wiremock", jar, "/__admin/health", args), jvmOptions, work,
        START_TIMEOUT);
  }

  private ObjectNode serversJson(Path wiremock) {
    ObjectNode o = Json.newObject();
    ArrayNode options = o.putArray("jvm_options");
    jvmOptions.forEach(options::add);
    o.put("kefu", kefu.describe() + " on its embedded store (SQLite, WAL, synchronous=FULL, group commit)");
    o.put("bare", "java -cp <bench class path> " + BareServer.class.getName() + ": Helidon SE, one handler, fixed "
        + "answer");
    o.put("wiremock", "java -jar " + wiremock.getFileName() + " " + String.join(" ", WIREMOCK_FLAGS)
        + ", one stub for POST " + SEND_PATH);
    o.put("load_generator", "this JVM: java.net.http.HttpClient (HTTP/1.1, one keep-alive connection per client), "
        + "virtual threads (closed loop) or platform threads (open loop); latencies in HdrHistogram");
    return o;
  }

  private ObjectNode settingsJson(List<String> selected) {
    ObjectNode o = Json.newObject()
        .put("warmup_seconds", settings.warmupSeconds())
        .put("seconds", settings.seconds())
        .put("users", settings.users())
        .put("startups", settings.startups())
        .put("drain_bound_seconds", settings.drainSeconds())
        .put("postgres", postgres.equals("off") ? "off" : ServerConfig.masked(postgres));
    settings.connections().forEach(o.putArray("connections")::add);
    settings.growth().forEach(o.putArray("growth")::add);
    settings.pushRates().forEach(o.putArray("push_rates")::add);
    selected.forEach(o.putArray("phases")::add);
    return o;
  }

  private static ObjectNode memory(ServerProcess p) throws InterruptedException {
    ObjectNode o = Json.newObject();
    p.rssBytes().ifPresent(b -> o.put("rss_mb", round(b / 1048576.0, 1)));
    p.heap().ifPresent(h -> o.put("heap_used_mb", round(h.used() / 1048576.0, 1))
        .put("heap_committed_mb", round(h.committed() / 1048576.0, 1)));
    return o;
  }

  // --- growth ------------------------------------------------------------------------------------------------------

  private ArrayNode growth(Clock clock) throws IOException, InterruptedException, SQLException {
    ArrayNode rows = Json.MAPPER.createArrayNode();
    Path data = Files.createTempDirectory(work, "growth-");
    List<String> openids;
    String token;
    try (ServerProcess k = startKefu(data, List.of())) {
      openids = setUp(k.base(), settings.users());
      token = token(k.base());
    }
    for (long size : settings.growth()) {
      progress(String.format("growth: filling the store to %,d messages…", size));
      long from = System.nanoTime();
      long added = History.growTo(data, APP.appid(), size, clock.instant());
      double fillSeconds = (System.nanoTime() - from) / 1e9;
      long stored = History.storedMessages(data);
      ObjectNode row = rows.addObject().put("target_messages", size).put("stored_messages", stored)
          .put("added", added).put("fill_seconds", round(fillSeconds, 1))
          .put("db_mb", round(Files.size(data.resolve("kefu.db")) / 1048576.0, 1));
      try (ServerProcess k = startKefu(data, List.of())) {
        row.put("startup_ms", round(Latencies.millis(k.startupNanos()), 1));
        Load.Result r = run(sendPhase("growth-send@" + size, k.base(), token, openids, REFERENCE_CONNECTIONS),
            REFERENCE_CONNECTIONS);
        row.set("send", loadJson(r));
        row.setAll(memory(k));
      }
    }
    deleteTree(data);
    return rows;
  }

  // --- PostgreSQL ---------------------------------------------------------------------------------------------------

  private ObjectNode postgres() throws IOException, InterruptedException, SQLException {
    if (postgres.equals("off")) {
      return Json.newObject().put("skipped", "--postgres off");
    }
    Optional<String> unreachable = PostgresDeployment.unreachable(postgres);
    if (unreachable.isPresent()) {
      progress("postgres: skipped, " + ServerConfig.masked(postgres) + " does not answer: "
          + unreachable.get());
      return Json.newObject().put("skipped", ServerConfig.masked(postgres) + " does not answer: " + unreachable.get());
    }
    ObjectNode o = Json.newObject().put("url", ServerConfig.masked(postgres))
        .put("pool_size_per_node", PostgresOptions.DEFAULT_POOL_SIZE)
        .put("connections", REFERENCE_CONNECTIONS);
    for (int nodes = 1; nodes <= 2; nodes++) {
      try (PostgresDeployment pg = PostgresDeployment.start(postgres, nodes, kefu, jvmOptions, work, START_TIMEOUT)) {
        o.put("server_version", pg.serverVersion());
        List<URI> bases = pg.bases();
        String token = token(bases.getFirst());
        List<String> openids = setUp(bases.getFirst(), settings.users());
        Load.Result r = run(sendPhase("pg-send-" + nodes, bases, token, openids, REFERENCE_CONNECTIONS),
            REFERENCE_CONNECTIONS);
        ObjectNode s = loadJson(r);
        ArrayNode memory = s.putArray("memory");
        for (ServerProcess node : pg.nodes()) {
          memory.add(memory(node));
        }
        o.set(nodes == 1 ? "one_node" : "two_nodes", s);
      }
    }
    double one = o.path("one_node").path("throughput_rps").asDouble(0);
    o.put("two_to_one", one == 0 ? 0 : round(o.path("two_nodes").path("throughput_rps").asDouble() / one, 3));
    return o;
  }

  // --- push ----------------------------------------------------------------------------------------------------------

  /**
   * Users' messages to an app pushing plain JSON to a receiver started for the phase, closed loop; after the window,
   * waits (at most {@code --drain} seconds) for every accepted message's push.
   */
  private ObjectNode pushPhase(URI base) throws IOException, InterruptedException {
    String appid = "wxkefubench0push";
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.PLAIN)) {
      List<String> users = pushApp(base, appid, receiver);
      Map<Long, Long> sentAt = new ConcurrentHashMap<>();
      Load.Result result = run(new Load.Phase("push", "POST …/users/{openid}/messages, push plain JSON",
          Load.Requests.roundRobin(users.stream().map(u -> userMessage(base, appid, u)).toList(),
              REFERENCE_CONNECTIONS), new AcceptedMessages(sentAt)), REFERENCE_CONNECTIONS);
      PushOutcome outcome = drain(receiver, sentAt, result.window(), "push");
      ObjectNode o = loadJson(result);
      o.put("connections", REFERENCE_CONNECTIONS);
      o.set("push", pushJson(outcome));
      return o;
    }
  }

  /**
   * Users' messages at {@code rate} per second on a fixed schedule ({@link OpenLoad}, round robin over 64 users) to
   * an app pushing plain JSON to a receiver started for the phase, so the delivery latency (from each message's
   * scheduled time to its push's arrival) is kefu's at a rate it is given, not the queue a closed loop builds.
   */
  private ObjectNode pushRatePhase(URI base, int rate) throws IOException, InterruptedException {
    String appid = "wxkefubench0rate" + rate;
    String name = "push-rate@" + rate;
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.PLAIN)) {
      List<String> users = pushApp(base, appid, receiver);
      Map<Long, Long> dueAt = new ConcurrentHashMap<>();
      Load.Phase phase = new Load.Phase(name, "POST …/users/{openid}/messages at " + rate + "/s, push plain JSON",
          Load.Requests.roundRobin(users.stream().map(u -> userMessage(base, appid, u)).toList(),
              REFERENCE_CONNECTIONS), new AcceptedMessages(dueAt));
      progress(String.format("%s (%d msgs/s over %d users)…", name, rate, REFERENCE_CONNECTIONS));
      OpenLoad.Result open;
      try (HttpClient http = Load.client()) {
        open = OpenLoad.run(phase, http, REFERENCE_CONNECTIONS, rate, settings.warmup(), settings.measure());
      }
      noteFailures(open.load());
      PushOutcome outcome = drain(receiver, dueAt, open.load().window(), name);
      ObjectNode o = loadJson(open.load());
      o.put("target_rate_per_second", rate);
      o.set("send_lag_ms", millis(open.sendLag()));
      o.set("push", pushJson(outcome));
      return o;
    }
  }

  private PushOutcome drain(PushReceiver receiver, Map<Long, Long> sentAt, Load.Window window, String name)
      throws InterruptedException {
    long drainFrom = System.nanoTime();
    if (!receiver.awaitAll(sentAt.keySet(), drainFrom + Duration.ofSeconds(settings.drainSeconds()).toNanos())) {
      progress(String.format("%s: not every push arrived within %d s", name, settings.drainSeconds()));
    }
    PushOutcome outcome = PushOutcome.of(sentAt, receiver.arrivals(), window);
    if (!outcome.ok()) {
      failures.add(name + ": " + outcome.missing() + " of " + outcome.expected() + " pushes never arrived (e.g. "
          + outcome.missingSamples() + "), " + outcome.arrivals().unreadable() + " unreadable");
    }
    return outcome;
  }

  /** Creates the app {@code appid} pushing plain JSON to {@code receiver}, and 64 users. */
  private List<String> pushApp(URI base, String appid, PushReceiver receiver) throws IOException, InterruptedException {
    ObjectNode push = Json.newObject().put("url", receiver.url().toString()).put("token", PUSH_TOKEN)
        .put("format", "json").put("mode", PushMode.PLAIN.wireName()).put("encoding_aes_key", AES_KEY);
    ObjectNode app = Json.newObject().put("secret", USER_APP_SECRET);
    app.set("push", push);
    try (HttpClient http = Load.client()) {
      call(http, HttpRequest.newBuilder(base.resolve("/kefu/v1/apps/" + appid)).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.write(app).getBytes(StandardCharsets.UTF_8))).build());
      List<String> openids = new ArrayList<>();
      for (int i = 0; i < REFERENCE_CONNECTIONS; i++) {
        openids.add(call(http, post(base, "/kefu/v1/apps/" + appid + "/users",
            Json.newObject().put("nickname", "bench-" + i))).path("openid").asText());
      }
      return openids;
    }
  }

  /**
   * A good answer to a user message: HTTP 200, errcode 0 and {@code routed_to} push; its msgid is noted with the time
   * its request started (open loop: the time it was due). Thread-safe: {@code sentAt} is a concurrent map.
   */
  private record AcceptedMessages(Map<Long, Long> sentAt) implements Load.Check {
    @Override
    public String failure(HttpResponse<byte[]> response, long sentAt) {
      Optional<ObjectNode> json = response.statusCode() == 200 ? Json.object(response.body()) : Optional.empty();
      long msgid = json.filter(o -> o.path("errcode").asInt(-1) == 0 && "push".equals(o.path("routed_to").asText()))
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

  // --- set-up, as a developer's backend and a simulated user would do it -------------------------------------------

  private static String token(URI base) throws InterruptedException {
    try (HttpClient http = Load.client()) {
      return call(http, get(base, "/cgi-bin/token?grant_type=client_credential&appid=" + APP.appid() + "&secret="
          + APP.secret())).path("access_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("set-up failed: no token from " + base, e);
    }
  }

  /** {@code count} users of the bench app who have each said hi, so their windows are open; 8 at a time. */
  private List<String> setUp(URI base, int count) throws InterruptedException {
    progress(String.format("setting up %d users at %s…", count, base));
    String users = "/kefu/v1/apps/" + APP.appid() + "/users";
    List<Future<String>> made = new ArrayList<>();
    try (HttpClient http = Load.client(); ExecutorService threads = Executors.newFixedThreadPool(8,
        Thread.ofVirtual().name("bench-setup-", 0).factory())) {
      for (int i = 0; i < count; i++) {
        int n = i;
        made.add(threads.submit(() -> {
          String openid = call(http, post(base, users, Json.newObject().put("nickname", "bench-" + n)))
              .path("openid").asText();
          call(http, post(base, users + "/" + openid + "/messages", Json.newObject().put("msgtype", "text")
              .set("text", Json.newObject().put("content", "hi"))));
          return openid;
        }));
      }
      List<String> openids = new ArrayList<>();
      for (Future<String> f : made) {
        openids.add(Load.result(f));
      }
      return openids;
    }
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

  // --- figures -------------------------------------------------------------------------------------------------------

  static ObjectNode loadJson(Load.Result r) {
    ObjectNode o = Json.newObject()
        .put("requests", r.completed())
        .put("throughput_rps", round(r.throughput(), 1))
        .put("failures", r.failures());
    o.set("latency_ms", millis(r.latencies()));
    r.failureSamples().forEach(o.putArray("failure_samples")::add);
    return o;
  }

  private static ObjectNode pushJson(PushOutcome push) {
    ObjectNode o = Json.newObject()
        .put("accepted", push.expected())
        .put("delivered_in_window", push.deliveredInWindow())
        .put("pushes_per_second", round(push.pushesPerSecond(), 1))
        .put("backlog_at_window_end", push.backlog())
        .put("drain_seconds", round(push.drainNanos() / 1e9, 3))
        .put("missing", push.missing())
        .put("duplicates", push.arrivals().duplicates())
        .put("unexpected", push.unexpected())
        .put("unreadable", push.arrivals().unreadable());
    o.set("delivery_latency_ms", millis(push.delivery()));
    return o;
  }

  static ObjectNode millis(Latencies l) {
    return Json.newObject()
        .put("count", l.count())
        .put("p50", round(Latencies.millis(l.percentileNanos(50)), 3))
        .put("p90", round(Latencies.millis(l.percentileNanos(90)), 3))
        .put("p99", round(Latencies.millis(l.percentileNanos(99)), 3))
        .put("p99_9", round(Latencies.millis(l.percentileNanos(99.9)), 3))
        .put("max", round(Latencies.millis(l.maxNanos()), 3));
  }

  static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  // --- where things are ----------------------------------------------------------------------------------------------

  /** The directory holding the bench's jar or classes: kefu-bench/target. */
  static Path codeDirectory() {
    try {
      return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("kefu-bench", "target").toAbsolutePath();
    }
  }

  /** The checkout: two levels above kefu-bench/target. */
  static Path checkout() {
    Path target = codeDirectory();
    return target.getParent() != null && target.getParent().getParent() != null
        ? target.getParent().getParent() : Path.of("").toAbsolutePath();
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }
}
