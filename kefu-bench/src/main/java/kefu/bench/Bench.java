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
import java.sql.SQLException;
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
import kefu.store.postgres.PostgresOptions;
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
 *       MsgId missing (which fails the run) or received twice. Their clients send as fast as kefu answers, which
 *       accepts messages faster than it pushes them, so their delivery latency is mostly the outbox's queue;
 *   <li>{@code push-rate}: the same plain JSON pushes in an open loop ({@link OpenLoad}): {@code --push-rate}
 *       messages per second on a fixed schedule, round robin over as many users as clients, each measured from
 *       its scheduled time (the delivery latency at a rate kefu is given, free of coordinated omission); reported
 *       with the messages and pushes per second achieved, the backlog when the window ended and the generator's lag.
 *       Several rates run the phase once each, named {@code push-rate@N}. Near kefu's limit the outcome depends on
 *       how the phase starts: a backlog built while the JVM is cold, or right after a closed-loop push phase, can
 *       persist through the window, so rates are best given in ascending order after a warm-up phase.
 * </ul>
 * Each user-message phase has its own app and users, set up through the platform API.
 *
 * <p>With {@code --postgres URL}, four more phases follow on PostgreSQL, each deployment on a fresh schema that a
 * {@link PostgresDeployment} creates and drops: {@code pg-health-1} and {@code pg-send-1} against one node, then
 * {@code pg-health-2} and {@code pg-send-2} against two nodes in this process on one schema, the clients split evenly
 * between them, with one token (issued through the first node) and the same users on both. Their send phases do what
 * the embedded {@code send} does and are reported as ratios to it and to each other. {@code --only} runs a subset of
 * the phases.
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
  private static final String PUSH_RATE = "push-rate";
  /** The phases on the embedded store, in the order they run. */
  static final List<String> EMBEDDED_PHASES =
      List.of("health", "store-read", "send", NO_PUSH, "push-plain", "push-secure", PUSH_RATE);
  /** The phases on PostgreSQL ({@code --postgres}), in the order they run; the digit is the number of nodes. */
  static final List<String> POSTGRES_PHASES = List.of("pg-health-1", "pg-send-1", "pg-health-2", "pg-send-2");
  /** Ratios of throughputs, reported when both phases ran; those of the push phases are made in {@link #report}. */
  private static final List<Ratio> RATIOS = List.of(
      new Ratio("send", "health"), new Ratio("send", "store-read"), new Ratio("store-read", "health"));
  private static final List<Ratio> POSTGRES_RATIOS = List.of(
      new Ratio("pg-send-1", "send"), new Ratio("pg-send-2", "pg-send-1"), new Ratio("pg-send-1", "pg-health-1"),
      new Ratio("pg-send-2", "pg-health-2"), new Ratio("pg-health-2", "pg-health-1"));

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

  @Option(names = "--postgres", paramLabel = "URL",
      description = {"also measure sends on PostgreSQL, with one node and then two nodes in this process, each on "
          + "a fresh schema " + PostgresDeployment.SCHEMA_PREFIX + "… (created, then dropped), "
          + "e.g. postgresql://127.0.0.1:5432/test?user=postgres (no schema parameter)"})
  String postgres;

  @Option(names = "--only", paramLabel = "PHASES", split = ",",
      description = {"run only these phases, comma-separated, e.g. send,pg-send-1,pg-send-2; known: "
          + "health, store-read, send, msg-no-push, push-plain, push-secure, push-rate, and with --postgres "
          + "pg-health-1, pg-send-1, pg-health-2, pg-send-2 (default: all)"})
  List<String> only;

  @Option(names = "--push-rate", paramLabel = "N", split = ",", defaultValue = "200",
      description = {"messages per second, all users together, of the open-loop phase push-rate: user messages "
          + "sent on a fixed schedule (round robin over --clients users) to an app pushing plain JSON, each "
          + "measured from its scheduled time; several rates run the phase once each, as push-rate@N, in the "
          + "order given (list them ascending: near kefu's limit, a cold JVM builds a backlog in the warm-up) "
          + "(default: ${DEFAULT-VALUE})"})
  List<Integer> pushRates;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException, SQLException {
    if (seconds < 1 || warmupSeconds < 0 || clients < 1 || drainSeconds < 1) {
      throw new ParameterException(spec.commandLine(),
          "--seconds, --clients and --drain must be at least 1 and --warmup at least 0");
    }
    checkPushRates();
    checkPostgres();
    checkOnly();
    List<String> selected = phasesToRun(only, postgres != null);
    Path outFile = out != null ? out : defaultOut();
    List<Load.Result> results = new ArrayList<>();
    Map<String, PushOutcome> pushes = new LinkedHashMap<>();
    Map<String, OpenLoad.Result> openLoops = new LinkedHashMap<>();
    String postgresVersion = null;
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      if (selected.stream().anyMatch(EMBEDDED_PHASES::contains)) {
        embedded(http, selected, results, pushes, openLoops);
      }
      for (int nodes = 1; nodes <= 2; nodes++) {
        List<String> names = List.of("pg-health-" + nodes, "pg-send-" + nodes);
        if (names.stream().anyMatch(selected::contains)) {
          postgresVersion = onPostgres(http, nodes, selected, results);
        }
      }
    }
    ObjectNode report = report(results, pushes, openLoops, postgresVersion);
    printTable(System.out, report, results, pushes, openLoops);
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Files.writeString(outFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
    System.out.println("JSON: " + outFile);
    return report.get("ok").asBoolean() ? 0 : 1;
  }

  /**
   * The phases to run, in the order they run: those named in {@code only} (null for all), of
   * {@link #EMBEDDED_PHASES} and, with {@code postgres}, {@link #POSTGRES_PHASES}. Unknown names are left out.
   */
  static List<String> phasesToRun(List<String> only, boolean postgres) {
    List<String> known = new ArrayList<>(EMBEDDED_PHASES);
    if (postgres) {
      known.addAll(POSTGRES_PHASES);
    }
    return only == null ? List.copyOf(known) : known.stream().filter(only::contains).toList();
  }

  private void checkPostgres() {
    if (postgres == null) {
      return;
    }
    try {
      ServerConfig.defaults().withStore(postgres).validate();
      PostgresOptions.fromUrl(postgres, 1);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--postgres: " + e.getMessage());
    }
    if (PostgresDeployment.hasSchema(postgres)) {
      throw new ParameterException(spec.commandLine(), "--postgres: leave out the schema parameter; the bench "
          + "makes a fresh schema " + PostgresDeployment.SCHEMA_PREFIX + "… for each deployment and drops it");
    }
  }

  private void checkPushRates() {
    if (pushRates.isEmpty() || pushRates.stream().anyMatch(r -> r == null || r < 1)) {
      throw new ParameterException(spec.commandLine(), "--push-rate: each rate must be at least 1 message/s");
    }
    if (pushRates.stream().distinct().count() < pushRates.size()) {
      throw new ParameterException(spec.commandLine(), "--push-rate: a rate is given twice: " + pushRates);
    }
  }

  /** The name of the {@code push-rate} phase run at {@code rate} messages per second. */
  static String pushRateName(int rate) {
    return PUSH_RATE + "@" + rate;
  }

  private void checkOnly() {
    if (only == null) {
      return;
    }
    for (String name : only) {
      if (POSTGRES_PHASES.contains(name) && postgres == null) {
        throw new ParameterException(spec.commandLine(), "--only: " + name + " needs --postgres URL");
      }
      if (!EMBEDDED_PHASES.contains(name) && !POSTGRES_PHASES.contains(name)) {
        throw new ParameterException(spec.commandLine(), "--only: unknown phase '" + name + "'; known: "
            + String.join(", ", EMBEDDED_PHASES) + ", " + String.join(", ", POSTGRES_PHASES));
      }
    }
  }

  /** The selected phases on the embedded store, on a fresh data directory. */
  private void embedded(HttpClient http, List<String> selected, List<Load.Result> results,
                        Map<String, PushOutcome> pushes, Map<String, OpenLoad.Result> openLoops)
      throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("kefu-bench-");
    try (KefuServer server = KefuServer.start(
        ServerConfig.defaults().withPort(0).withDataDir(dataDir).withApps(List.of(APP)), KefuClock.system())) {
      URI base = server.baseUri();
      String token = token(http, base);
      List<String> openids = usersWhoSayHi(http, base);
      HttpRequest mediaGet = get(base, "/cgi-bin/media/get?access_token=" + token + "&media_id=nope");
      for (Load.Phase phase : List.of(
          healthPhase("health", "GET /kefu/v1/health: HTTP baseline, no store", List.of(base)),
          new Load.Phase("store-read", "GET /cgi-bin/media/get (unknown id, 40007): token + media reads",
              i -> mediaGet,
              (r, sentAt) -> expect(r, "errcode", "40007")),
          sendPhase("send", "POST /cgi-bin/message/custom/send: window check + durable write",
              List.of(base), token, openids))) {
        if (selected.contains(phase.name())) {
          results.add(run(phase, http));
        }
      }
      if (selected.contains(NO_PUSH)) {
        results.add(noPushPhase(http, base));
      }
      for (PushMode mode : List.of(PushMode.PLAIN, PushMode.SECURE)) {
        if (selected.contains("push-" + mode.wireName())) {
          PushRun push = pushPhase(http, base, mode);
          results.add(push.result());
          pushes.put(push.result().phase().name(), push.outcome());
        }
      }
      if (selected.contains(PUSH_RATE)) {
        for (int rate : pushRates) {
          PushRateRun run = pushRatePhase(http, base, rate);
          results.add(run.open().load());
          pushes.put(run.open().load().phase().name(), run.outcome());
          openLoops.put(run.open().load().phase().name(), run.open());
        }
      }
    } finally {
      deleteTree(dataDir);
    }
  }

  /**
   * The selected phases of {@code nodes} nodes on PostgreSQL, on a fresh schema: the token is issued and the users
   * are made through the first node; client {@code i} talks to node {@code i % nodes}. Returns the server version.
   */
  private String onPostgres(HttpClient http, int nodes, List<String> selected, List<Load.Result> results)
      throws IOException, InterruptedException, SQLException {
    try (PostgresDeployment pg = PostgresDeployment.start(postgres, nodes, List.of(APP))) {
      List<URI> bases = pg.bases();
      System.err.printf("bench: PostgreSQL %s, schema %s, %d node(s): %s%n", ServerConfig.masked(postgres),
          pg.schema(), nodes, bases);
      String token = token(http, bases.get(0));
      List<String> openids = usersWhoSayHi(http, bases.get(0));
      String where = nodes == 1 ? "1 node" : nodes + " nodes in this process, clients split evenly";
      for (Load.Phase phase : List.of(
          healthPhase("pg-health-" + nodes, "GET /kefu/v1/health on PostgreSQL, " + where + ": no store",
              bases),
          sendPhase("pg-send-" + nodes, "POST …/custom/send on PostgreSQL, " + where
              + ": conditional UPDATE + durable write", bases, token, openids))) {
        if (selected.contains(phase.name())) {
          results.add(run(phase, http));
        }
      }
      return pg.serverVersion();
    }
  }

  private Load.Result run(Load.Phase phase, HttpClient http) throws InterruptedException {
    System.err.printf("bench: %s (%d s warm-up, %d s measured)…%n", phase.name(), warmupSeconds, seconds);
    return Load.run(phase, http, clients, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds));
  }

  /** Health checks; client {@code i} asks node {@code i % bases.size()}. */
  private static Load.Phase healthPhase(String name, String label, List<URI> bases) {
    List<HttpRequest> health = bases.stream().map(base -> get(base, "/kefu/v1/health")).toList();
    return new Load.Phase(name, label, i -> health.get(i % health.size()),
        (r, sentAt) -> expect(r, "status", "ok"));
  }

  /** Custom text messages to client {@code i}'s user, through node {@code i % bases.size()}; errcode 0 each. */
  private static Load.Phase sendPhase(String name, String label, List<URI> bases, String token,
                                      List<String> openids) {
    return new Load.Phase(name, label,
        i -> post(bases.get(i % bases.size()), "/cgi-bin/message/custom/send?access_token=" + token,
            Json.newObject().put("touser", openids.get(i)).put("msgtype", "text")
                .set("text", Json.newObject().put("content", "bench"))),
        (r, sentAt) -> expect(r, "errcode", "0"));
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
      List<String> users = pushApp(http, base, appid, mode, receiver);
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

  /** An open-loop push phase's load and what its receiver got. */
  private record PushRateRun(OpenLoad.Result open, PushOutcome outcome) {}

  /**
   * Users' messages at {@code rate} per second on a fixed schedule ({@link OpenLoad}, round robin over
   * {@code --clients} users) to an app pushing plain JSON to a receiver started for the phase, so the delivery
   * latency (from each message's scheduled time to its push's arrival) is kefu's at a rate it is given, not the
   * queue a closed loop builds; after the window, waits (at most {@code --drain} seconds) for every push.
   */
  private PushRateRun pushRatePhase(HttpClient http, URI base, int rate) throws IOException, InterruptedException {
    String appid = "wxkefubench0rate" + rate;
    String name = pushRateName(rate);
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.PLAIN)) {
      List<String> users = pushApp(http, base, appid, PushMode.PLAIN, receiver);
      Map<Long, Long> dueAt = new ConcurrentHashMap<>();
      Load.Phase phase = new Load.Phase(name, "POST …/users/{openid}/messages at " + rate
          + "/s on a fixed schedule (open loop), push plain JSON", i -> userMessage(base, appid, users.get(i)),
          new AcceptedMessages("push", dueAt));
      System.err.printf("bench: %s (%d msgs/s over %d users, %d s warm-up, %d s measured)…%n", name, rate,
          clients, warmupSeconds, seconds);
      OpenLoad.Result open = OpenLoad.run(phase, http, clients, rate, Duration.ofSeconds(warmupSeconds),
          Duration.ofSeconds(seconds));
      long drainFrom = System.nanoTime();
      if (!receiver.awaitAll(dueAt.keySet(), drainFrom + Duration.ofSeconds(drainSeconds).toNanos())) {
        System.err.printf("bench: %s: not every push arrived within %d s%n", name, drainSeconds);
      }
      return new PushRateRun(open, PushOutcome.of(dueAt, receiver.arrivals(), open.load().window()));
    }
  }

  /** Creates the app {@code appid} pushing JSON in {@code mode} to {@code receiver}, and one user per client. */
  private List<String> pushApp(HttpClient http, URI base, String appid, PushMode mode, PushReceiver receiver)
      throws IOException, InterruptedException {
    ObjectNode push = Json.newObject().put("url", receiver.url().toString()).put("token", PUSH_TOKEN)
        .put("format", "json").put("mode", mode.wireName()).put("encoding_aes_key", AES_KEY);
    ObjectNode app = Json.newObject().put("secret", USER_APP_SECRET);
    app.set("push", push);
    putApp(http, base, appid, app);
    return users(http, base, appid);
  }

  /**
   * A good answer to a user message: HTTP 200, errcode 0 and {@code routed_to} the expected route; its msgid is
   * noted with the time its request started (open loop: the time it was scheduled). Thread-safe: {@code sentAt}
   * is a concurrent map.
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

  /** One user per client, who has said hi (so the window is open), made through {@code base}. */
  private List<String> usersWhoSayHi(HttpClient http, URI base) throws IOException, InterruptedException {
    List<String> openids = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      openids.add(userWhoSaysHi(http, base, i));
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

  /** {@code numerator}'s throughput over {@code denominator}'s, named {@code key} in the JSON. */
  private record Ratio(String key, String numerator, String denominator) {
    Ratio(String numerator, String denominator) {
      this((numerator + "_to_" + denominator).replace('-', '_'), numerator, denominator);
    }

    /** A push phase's messages accepted per second over those of {@value #NO_PUSH}. */
    static Ratio toNoPush(String push) {
      return new Ratio(push.replace('-', '_') + "_to_no_push", push, NO_PUSH);
    }

    String label() {
      return numerator + " / " + denominator;
    }
  }

  private ObjectNode report(List<Load.Result> results, Map<String, PushOutcome> pushes,
                            Map<String, OpenLoad.Result> openLoops, String postgresVersion) {
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
      OpenLoad.Result open = openLoops.get(r.phase().name());
      if (open != null) {
        ObjectNode loop = p.putObject("open_loop")
            .put("target_rate_per_second", open.targetRate())
            .put("users", open.schedule().users())
            .put("due_in_window", open.dueInWindow())
            .put("achieved_rps", round(r.throughput(), 1));
        loop.set("send_lag_ms", millis(open.sendLag()));
      }
      PushOutcome push = pushes.get(r.phase().name());
      if (push != null) {
        p.set("push", pushReport(push));
      }
    }
    ObjectNode ratios = o.putObject("ratios");
    List<Ratio> all = new ArrayList<>(RATIOS);
    pushes.keySet().stream().filter(name -> !openLoops.containsKey(name))
        .forEach(name -> all.add(Ratio.toNoPush(name)));
    all.addAll(POSTGRES_RATIOS);
    for (Ratio r : all) {
      Optional<Double> numerator = throughput(results, r.numerator());
      Optional<Double> denominator = throughput(results, r.denominator());
      if (numerator.isPresent() && denominator.isPresent()) {
        ratios.put(r.key(), round(ratio(numerator.get(), denominator.get()), 4));
      }
    }
    if (postgresVersion != null) {
      o.putObject("postgres")
          .put("url", ServerConfig.masked(postgres))
          .put("server_version", postgresVersion)
          .put("pool_size_per_node", PostgresOptions.DEFAULT_POOL_SIZE);
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
                                 Map<String, PushOutcome> pushes, Map<String, OpenLoad.Result> openLoops) {
    out.printf("%nkefu bench: %d clients, %d s warm-up + %d s measured per phase, %d CPUs, Java %s%n%n",
        report.get("clients").asInt(), report.get("warmup_seconds").asInt(), report.get("seconds").asInt(),
        report.get("cpus").asInt(), report.get("java").asText());
    out.printf("%-14s %10s %10s %8s %8s %8s %8s %8s%n",
        "phase", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
    for (JsonNode p : report.get("phases")) {
      JsonNode l = p.get("latency_ms");
      out.printf("%-14s %10d %10.1f %8.2f %8.2f %8.2f %8.2f %8d%n", p.get("name").asText(),
          p.get("requests").asLong(), p.get("throughput_rps").asDouble(), l.get("p50").asDouble(),
          l.get("p90").asDouble(), l.get("p99").asDouble(), l.get("max").asDouble(), p.get("failures").asLong());
    }
    out.println();
    for (Load.Result r : results) {
      out.printf("  %-14s %s%n", r.phase().name(), r.phase().label());
    }
    if (report.has("postgres")) {
      JsonNode pg = report.get("postgres");
      out.printf("%nPostgreSQL %s at %s, pool of %d per node; each deployment on a fresh schema%n",
          pg.get("server_version").asText(), pg.get("url").asText(), pg.get("pool_size_per_node").asInt());
    }
    if (pushes.size() > openLoops.size()) {
      out.printf("%npush delivery, closed loop (latency: start of the user-message request to the push's "
          + "arrival at the receiver;%nbacklog: messages sent but not yet pushed when the window ended)%n");
      out.printf("%-14s %8s %8s %8s %8s %8s %8s %8s %8s %8s %5s%n", "phase", "msgs/s", "pushes/s", "p50 ms",
          "p90 ms", "p99 ms", "max ms", "backlog", "drain s", "missing", "dups");
    }
    for (Load.Result r : results) {
      PushOutcome push = pushes.get(r.phase().name());
      if (push != null && !openLoops.containsKey(r.phase().name())) {
        Latencies d = push.delivery();
        out.printf("%-14s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8d %8.2f %8d %5d%n", r.phase().name(),
            r.throughput(), push.pushesPerSecond(), Latencies.millis(d.percentileNanos(50)),
            Latencies.millis(d.percentileNanos(90)), Latencies.millis(d.percentileNanos(99)),
            Latencies.millis(d.maxNanos()), push.backlog(), push.drainNanos() / 1e9, push.missing(),
            push.arrivals().duplicates());
      }
    }
    if (!openLoops.isEmpty()) {
      out.printf("%npush delivery, open loop at a fixed rate (latency: scheduled send time of the user message "
          + "to the push's%narrival at the receiver; backlog: messages due but not yet pushed when the window "
          + "ended;%nlag: how late the generator sent a message after its scheduled time)%n");
      out.printf("%-14s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %5s %8s%n", "phase", "target/s", "msgs/s",
          "pushes/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "backlog", "drain s", "missing", "dups",
          "lag p99");
    }
    for (Load.Result r : results) {
      OpenLoad.Result open = openLoops.get(r.phase().name());
      PushOutcome push = pushes.get(r.phase().name());
      if (open != null && push != null) {
        Latencies d = push.delivery();
        out.printf("%-14s %8d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8d %8.2f %8d %5d %8.1f%n", r.phase().name(),
            open.targetRate(), r.throughput(), push.pushesPerSecond(), Latencies.millis(d.percentileNanos(50)),
            Latencies.millis(d.percentileNanos(90)), Latencies.millis(d.percentileNanos(99)),
            Latencies.millis(d.maxNanos()), push.backlog(), push.drainNanos() / 1e9, push.missing(),
            push.arrivals().duplicates(), Latencies.millis(open.sendLag().percentileNanos(99)));
      }
    }
    JsonNode ratios = report.get("ratios");
    if (!ratios.isEmpty()) {
      out.println();
    }
    for (Ratio r : RATIOS) {
      if (ratios.has(r.key())) {
        out.printf("%-26s = %.3f%n", r.label(), ratios.get(r.key()).asDouble());
      }
    }
    for (String name : pushes.keySet()) {
      if (openLoops.containsKey(name)) {
        continue;
      }
      Ratio r = Ratio.toNoPush(name);
      if (ratios.has(r.key())) {
        out.printf("%-26s = %.3f (messages accepted per second)%n", r.label(), ratios.get(r.key()).asDouble());
      }
    }
    for (Ratio r : POSTGRES_RATIOS) {
      if (ratios.has(r.key())) {
        out.printf("%-26s = %.3f%n", r.label(), ratios.get(r.key()).asDouble());
      }
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

  /** The throughput of the phase {@code name}, if it ran. */
  private static Optional<Double> throughput(List<Load.Result> results, String name) {
    return results.stream().filter(r -> r.phase().name().equals(name)).findFirst().map(Load.Result::throughput);
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
