package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import kefu.protocol.Json;
import kefu.protocol.push.PushSettings;
import kefu.protocol.user.OpenId;
import kefu.server.KefuServer;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;

/**
 * One kefu started for a test class: the server, its clock, its temporary directory, and the test's view of it.
 * {@link #reset()} brings it back to a fresh state between tests; {@link #close()} stops it and deletes the
 * directory.
 *
 * <p>Thread-safety: tests of a class run one at a time against it. The users handed out are in a concurrent map;
 * the ids of the push attempts already taken are guarded by {@code pushLock}.
 */
final class RunningKefu implements Kefu, AutoCloseable {
  /** The real time, read only to put kefu's clock back to it before each test. */
  private static final Clock SYSTEM = Clock.systemUTC();

  private final KefuServer server;
  private final Path dir;
  private final ConfiguredApp app;
  private final Platform platform;
  private final TestClock clock;
  private final WeChatApi api;
  private final Faults faults;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SimulatedUser> users = new ConcurrentHashMap<>();
  private final ReentrantLock pushLock = new ReentrantLock();
  private final Set<Long> takenPushes = new HashSet<>();

  private RunningKefu(KefuServer server, KefuClock kefuClock, Path dir, ConfiguredApp app, String adminToken) {
    this.server = server;
    this.dir = dir;
    this.app = app;
    this.platform = new Platform(server.baseUri().toString(), adminToken);
    this.clock = new TestClock(kefuClock, platform);
    this.api = new WeChatApi(platform, clock, app.appid(), app.secret());
    this.faults = new Faults(platform);
  }

  static RunningKefu start(KefuExtension.Options options) {
    Path dir;
    try {
      dir = Files.createTempDirectory("kefu-testing-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for kefu", e);
    }
    try {
      ServerConfig config = options.configure().apply(ServerConfig.defaults().withPort(0).withDataDir(dir)
          .withApps(List.of(options.app())).withAdminToken(options.adminToken()));
      KefuClock kefuClock = new KefuClock(SYSTEM);
      kefuClock.freeze(true);
      KefuServer server = KefuServer.start(config, kefuClock);
      return new RunningKefu(server, kefuClock, dir, options.app(), config.adminToken());
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /**
   * Puts the app back as configured, empties kefu but for its apps (the fault rules go too), and puts the clock back
   * to now, frozen. The app goes first: a push URL the last test set is gone before the outbox is emptied, so pushes
   * still queued are dropped rather than sent. An attempt already on the wire when the test ended may still land in the push journal.
   */
  void reset() {
    server.store().inTransaction(tx -> {
      tx.apps().put(app.app());
      return null;
    });
    platform.post("/reset", "");
    clock.resetTo(SYSTEM.instant());
    users.clear();
    api.forget();
    pushLock.lock();
    try {
      takenPushes.clear();
    } finally {
      pushLock.unlock();
    }
  }

  @Override
  public String baseUrl() {
    return platform.baseUrl();
  }

  @Override
  public String url(String path) {
    return platform.baseUrl() + path;
  }

  @Override
  public String appid() {
    return app.appid();
  }

  @Override
  public String secret() {
    return app.secret();
  }

  @Override
  public String originalId() {
    return app.originalId();
  }

  @Override
  public String pushToken() {
    return app.app().push().token();
  }

  @Override
  public TestClock clock() {
    return clock;
  }

  @Override
  public SimulatedUser user(String openid) {
    return users.computeIfAbsent(openid, id -> {
      platform.post("/apps/" + app.appid() + "/users", Json.write(Json.newObject().put("openid", id)));
      return new SimulatedUser(platform, app.appid(), id);
    });
  }

  @Override
  public SimulatedUser newUser() {
    return user(OpenId.newOpenId(random));
  }

  @Override
  public WeChatApi api() {
    return api;
  }

  @Override
  public List<RecordedRequest> requests() {
    List<RecordedRequest> requests = new ArrayList<>();
    platform.get("/journal?limit=1000").path("entries").forEach(e -> requests.add(RecordedRequest.of(e)));
    Collections.reverse(requests);
    return requests;
  }

  @Override
  public List<RecordedPush> pushes() {
    List<RecordedPush> pushes = new ArrayList<>();
    platform.get("/apps/" + app.appid() + "/pushes?limit=1000").path("pushes")
        .forEach(p -> pushes.add(RecordedPush.of(p)));
    pushes.sort(Comparator.comparingLong(RecordedPush::id));
    return pushes;
  }

  @Override
  public RecordedPush takePush(Duration timeout) {
    pushLock.lock();
    try {
      Optional<RecordedPush> next = Poll.until(timeout,
          () -> pushes().stream().filter(p -> !takenPushes.contains(p.id())).findFirst());
      if (next.isEmpty()) {
        throw new AssertionError("kefu made no new push attempt within " + timeout + "; push attempts so far: "
            + pushes().stream().map(p -> p.openid() + " #" + p.attempt() + " " + p.outcome()).toList()
            + (app.app().push().active() || pushIsActive() ? "" : " (push is not configured: call usePushUrl)"));
      }
      takenPushes.add(next.get().id());
      return next.get();
    } finally {
      pushLock.unlock();
    }
  }

  private boolean pushIsActive() {
    JsonNode push = platform.get("/apps/" + app.appid()).path("push");
    return push.path("enabled").asBoolean() && !push.path("url").asText().isEmpty();
  }

  @Override
  public void usePushUrl(String url) {
    PushSettings base = app.app().push();
    usePush(new PushSettings(url, base.token(), base.encodingAesKey(), base.format(), base.mode(), true));
  }

  @Override
  public void usePush(PushSettings push) {
    ObjectNode body = Json.newObject();
    ObjectNode p = body.putObject("push").put("url", push.url()).put("token", push.token())
        .put("format", push.format().wireName()).put("mode", push.mode().wireName()).put("enabled", push.enabled());
    if (push.encodingAesKey() == null) {
      p.putNull("encoding_aes_key");
    } else {
      p.put("encoding_aes_key", push.encodingAesKey());
    }
    platform.put("/apps/" + app.appid() + "?skip_url_check=true", Json.write(body));
  }

  @Override
  public AgentQueue queue() {
    return AgentQueue.of(platform.get("/apps/" + app.appid() + "/queue"));
  }

  @Override
  public Faults faults() {
    return faults;
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete kefu's temporary directory " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "Kefu[" + baseUrl() + ", appid=" + app.appid() + "]";
  }
}
