package kefu.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kefu.protocol.push.PushMode;
import kefu.server.DeveloperServer;
import kefu.server.KefuProcesses;
import kefu.server.crash.Figures.Figure;
import kefu.store.sqlite.SqliteStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: kefu runs as a child process ({@code kefu serve} on the embedded store, two apps pushing to a
 * developer's backend in this JVM, one in plain and one in secure mode) under concurrent load — token fetches,
 * sends, user messages, media uploads, pushes, transfers to an agent — and is killed with SIGKILL at random moments
 * (after a random number of answered operations; now and then while it starts, once its store has opened), then
 * restarted on the same data directory. After every kill the {@link Invariants} are checked against what the clients
 * were answered. The child's clock is frozen and moved only between lives, so every answer's time is known.
 *
 * <p>The seed is printed; {@code -Dkefu.crash.seed=N} repeats the run's choices (the interleaving of threads and the
 * moments of the kills within a request differ).
 */
class CrashSafetyTest {
  private static final int KILLS = 20;
  /** How far the clock moves at a restart: past the push lease (25 s), the token grace, a window (1800 s). */
  private static final long[] CLOCK_STEPS_SECONDS = {30, 30, 30, 301, 301, 1801};
  private static final List<CrashApp> APPS = List.of(
      CrashApp.of("plain", PushMode.PLAIN, null, 0, 5),
      CrashApp.of("secure", PushMode.SECURE, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", 25, 5));

  @TempDir
  Path dir;

  @Test
  void everything_answered_0_survives_kill_9_at_random_moments_under_load() throws Exception {
    long seed = Long.getLong("kefu.crash.seed", new SecureRandom().nextLong());
    System.out.println("crash harness seed " + seed + " (repeat with -Dkefu.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    Figures figures = new Figures();
    Ledger ledger = new Ledger();
    Path data = dir.resolve("data");
    try (DeveloperServer developer = new DeveloperServer(); KefuProcesses kefus = ClassDataArchive.processes(dir)) {
      DeveloperBackend backend = new DeveloperBackend(developer, APPS, figures);
      Invariants invariants = new Invariants(APPS, ledger, backend, figures);
      String[] args = {"--config", writeConfig(developer.url()).toString(), "--data", data.toString()};
      try {
        KefuProcesses.Child child = kefus.start(args);
        Client client = new Client(child.base);
        Life life = new Life(1, client, setUp(client), killAfter(random));
        int kills = 0;
        while (kills < KILLS) {
          Load load = new Load(life, APPS, ledger, backend, figures);
          load.start(random.nextLong());
          if (!life.awaitKillMoment(Duration.ofSeconds(60))) {
            figures.anomaly("life " + life.number + ": only " + life.acknowledgedSoFar() + " answers in 60 s");
          }
          life.end();
          kill(child.process, figures);
          load.awaitEnd();
          life.client.close();
          kills++;
          System.out.println("kill " + kills + ": life " + life.number + " after " + life.acknowledgedSoFar()
              + " operations answered");
          noErrorsLogged(child.log, figures);
          invariants.storeOpensWithoutRepair(data.resolve(SqliteStore.FILE_NAME), kills);
          if (kills < KILLS && random.nextInt(5) == 0) {
            KefuProcesses.Launched starting = kefus.launch(args);
            killOnceTheStoreHasOpened(starting, figures);
            kills++;
            System.out.println("kill " + kills + ": while starting");
            noErrorsLogged(starting.log(), figures);
            invariants.storeOpensWithoutRepair(data.resolve(SqliteStore.FILE_NAME), kills);
          }
          child = kefus.start(args);
          client = new Client(child.base);
          long step = CLOCK_STEPS_SECONDS[random.nextInt(CLOCK_STEPS_SECONDS.length)];
          long now = moveTheClock(client, life.kefuNowMs, step, figures);
          life = new Life(life.number + 1, client, now, killAfter(random));
          invariants.holdAfterRestart(life);
        }
        life.client.close();
        noErrorsLogged(child.log, figures);
      } finally {
        figures.print(System.out, backend.allPushed().size());
      }
    }
    assertThat(figures.anomalies()).as("anomalies (seed %d)", seed).isEmpty();
    assertThat(figures.get(Figure.KILLS)).isGreaterThanOrEqualTo(20);
    assertThat(List.of(Figure.SENDS, Figure.COUNT_LIMITED, Figure.USER_MESSAGES, Figure.UPLOADS,
        Figure.UPLOAD_QUOTA_REACHED, Figure.TRANSFERS, Figure.ACCEPTS, Figure.AGENT_MESSAGES, Figure.PUSH_ATTEMPTS,
        Figure.MESSAGES_MATCHED, Figure.TOKENS_STILL_VALID, Figure.TOKENS_DEAD, Figure.MEDIA_SERVED))
        .as("what the load and the checks must have exercised").allMatch(f -> figures.get(f) > 0);
  }

  private Path writeConfig(String pushUrl) throws Exception {
    String apps = APPS.stream().map(a -> a.yaml(pushUrl)).collect(Collectors.joining());
    return Files.writeString(dir.resolve("kefu.yaml"), "push_timeout_ms: 10000\napps:\n" + apps);
  }

  /** The first life: the clock frozen at a whole second, the users, and each app's agent online; returns the time. */
  private static long setUp(Client client) {
    long now = client.get("/kefu/v1/clock").orElseThrow().json().path("now_ms").asLong() / 1000 * 1000;
    JsonNode clock = client.post("/kefu/v1/clock", "{\"frozen\":true,\"set_ms\":" + now + "}").orElseThrow().json();
    assertThat(clock.path("now_ms").asLong()).isEqualTo(now);
    for (CrashApp app : APPS) {
      for (String openid : app.openids()) {
        assertThat(client.post(app.path() + "/users", "{\"openid\":\"" + openid + "\"}").orElseThrow()
            .json().path("created").asBoolean()).isTrue();
      }
      assertThat(client.put(app.path() + "/agents/" + CrashApp.AGENT, "{\"status\":\"online\"}").orElseThrow()
          .json().path("status").asText()).isEqualTo("online");
    }
    return now;
  }

  /** The kill comes after 20 to 249 answered operations. */
  private static int killAfter(Random random) {
    return 20 + random.nextInt(230);
  }

  /** SIGKILL: {@code destroyForcibly} on Linux, which the exit status 128 + 9 confirms. */
  private static void kill(Process process, Figures figures) throws InterruptedException {
    assertThat(process.isAlive()).as("the child was still running when its kill came").isTrue();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
    assertThat(process.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    figures.count(Figure.KILLS);
  }

  private static void killOnceTheStoreHasOpened(KefuProcesses.Launched starting, Figures figures) throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() ->
        !starting.process().isAlive() || Files.readString(starting.log()).contains("store opened"));
    assertThat(starting.process().isAlive()).as("kefu exited while starting: %s", Files.readString(starting.log()))
        .isTrue();
    kill(starting.process(), figures);
    figures.count(Figure.KILLS_AT_START_UP);
  }

  /**
   * The restarted child's clock is still frozen where the last life left it (the clock is part of the store); it
   * moves {@code seconds} on. Returns the new time.
   */
  private static long moveTheClock(Client client, long frozenAt, long seconds, Figures figures) {
    JsonNode clock = client.get("/kefu/v1/clock").orElseThrow().json();
    if (!clock.path("frozen").asBoolean() || clock.path("now_ms").asLong() != frozenAt) {
      figures.anomaly("the clock frozen at " + frozenAt + " is " + clock + " after a restart");
    }
    JsonNode moved = client.post("/kefu/v1/clock", "{\"advance_seconds\":" + seconds + "}").orElseThrow().json();
    assertThat(moved.path("now_ms").asLong()).isEqualTo(clock.path("now_ms").asLong() + seconds * 1000);
    return moved.path("now_ms").asLong();
  }

  /** A bug shows as an ERROR line (the routing edge logs the rid of every -1 system error). */
  private static void noErrorsLogged(Path log, Figures figures) throws Exception {
    List<String> errors = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(" ERROR ")).limit(5).toList();
    if (!errors.isEmpty()) {
      figures.anomaly("the child logged errors (" + log.getFileName() + "): " + errors);
    }
  }
}
