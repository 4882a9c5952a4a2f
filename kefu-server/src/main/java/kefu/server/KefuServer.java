package kefu.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kefu.protocol.WxError;
import kefu.protocol.send.MessageCodec;
import kefu.server.admin.AdminEndpoints;
import kefu.server.agent.AgentEndpoints;
import kefu.server.agent.HandOff;
import kefu.server.clock.ClockSync;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import kefu.server.fault.FaultEndpoints;
import kefu.server.fault.Faults;
import kefu.server.http.Endpoints;
import kefu.server.http.ReadDeadline;
import kefu.server.http.Reply;
import kefu.server.http.TransportErrors;
import kefu.server.http.WxCall;
import kefu.server.limit.Limits;
import kefu.server.media.MediaEndpoints;
import kefu.server.push.PushDelivery;
import kefu.server.push.PushEndpoints;
import kefu.server.push.UrlChecker;
import kefu.server.send.SendEndpoint;
import kefu.server.token.IssuedTokens;
import kefu.server.token.TokenEndpoints;
import kefu.server.typing.TypingEndpoint;
import kefu.server.user.ConversationEvents;
import kefu.server.user.UserEndpoints;
import kefu.store.App;
import kefu.store.Store;
import kefu.store.postgres.PostgresOptions;
import kefu.store.postgres.PostgresStore;
import kefu.store.sqlite.SqliteOptions;
import kefu.store.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running kefu: the store, the clock and the HTTP server on virtual threads. {@link #close()} stops accepting
 * requests, lets those in flight finish, commits what is queued and releases the store.
 */
public final class KefuServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KefuServer.class);

  private final ServerConfig config;
  private final Store store;
  private final KefuClock clock;
  private final WebServer web;
  private final PushDelivery delivery;
  private final List<AutoCloseable> listeners;
  private volatile boolean closed;

  private KefuServer(ServerConfig config, Store store, KefuClock clock, WebServer web, PushDelivery delivery,
                     List<AutoCloseable> listeners) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.web = web;
    this.delivery = delivery;
    this.listeners = listeners;
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("while stopping: {}", e.toString());
    }
  }

  /** Opens the store in {@code config.dataDir()}, makes sure the configured apps exist, and starts serving. */
  public static KefuServer start(ServerConfig config, KefuClock clock) {
    config.validate();
    // the push client's TLS set-up takes a noticeable part of start-up: it runs while the store opens
    CompletableFuture<HttpClient> pushClientBuilt = CompletableFuture.supplyAsync(
        () -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.delivery().timeout()).version(HttpClient.Version.HTTP_1_1).build(),
        runnable -> Thread.ofVirtual().name("push-client-setup").start(runnable));
    Store store = config.store() == null
        ? SqliteStore.open(config.dataDir(), new SqliteOptions(config.journalRetention(),
            SqliteOptions.DEFAULTS.maxBatch()))
        : PostgresStore.open(PostgresOptions.fromUrl(config.store(), config.journalRetention()));
    PushDelivery delivery = null;
    ClockSync clockSync = null;
    ConversationEvents events = null;
    ConversationEvents agentEvents = null;
    ReadDeadline readDeadline = null;
    AutoCloseable faultsHeard = null;
    try {
      store.inTransaction(tx -> {
        config.apps().forEach(app -> tx.apps().find(app.appid())
            .ifPresentOrElse(stored -> tx.apps().put(onRestart(app, stored)), () -> tx.apps().put(app.app())));
        return null;
      });
      SecureRandom secureRandom = new SecureRandom();
      MessageCodec codec = new MessageCodec(config.textLimitBytes());
      events = new ConversationEvents(store, "kefu.conversations");
      agentEvents = new ConversationEvents(store, "kefu.agents");
      HandOff handOff = new HandOff(config.handOff(), agentEvents);
      HttpClient pushClient = pushClientBuilt.join();
      Faults faults = new Faults(store);
      faultsHeard = faults.start();
      delivery = new PushDelivery(store, clock, config.delivery(), handOff, events, pushClient, faults);
      Runnable wake = delivery::wake;
      clockSync = new ClockSync(store, clock, wake);
      clockSync.start();
      Endpoints edge = new Endpoints(clock, store, faults);
      Limits limits = new Limits(store);
      TokenEndpoints tokens = new TokenEndpoints(store, secureRandom, limits);
      Routes.Handlers handlers = new Routes.Handlers(edge, tokens,
          new SendEndpoint(tokens, store, codec, events),
          new TypingEndpoint(tokens, store, events),
          new MediaEndpoints(tokens, store, secureRandom),
          new UserEndpoints(store, secureRandom, codec, events, handOff, wake),
          new AdminEndpoints(store, clock, secureRandom, new UrlChecker(pushClient, clock, secureRandom,
              config.delivery().timeout()), clockSync::move, faults::changed),
          new AgentEndpoints(store, handOff, codec, events),
          new PushEndpoints(store), new IssuedTokens(store), new FaultEndpoints(store, faults), limits);
      HttpRouting.Builder routing = HttpRouting.builder();
      readDeadline = new ReadDeadline(config.limits().readTimeout());
      routing.addFilter(readDeadline);
      routing.addFilter((chain, req, res) -> {
        if (config.adminToken() != null && Routes.isPlatformPath(req.path().path())
            && !bearerMatches(req.headers().first(HeaderNames.AUTHORIZATION).orElse(""), config.adminToken())) {
          Endpoints.render(edge.begin(req), Reply.error(WxError.ADMIN_TOKEN_REQUIRED,
              "send Authorization: Bearer <KEFU_ADMIN_TOKEN>"), res);
          return;
        }
        chain.proceed();
      });
      routing.error(Throwable.class, (req, res, t) -> {
        WxCall call = edge.begin(req);
        LOG.error("rid {}: {} {} failed", call.rid(), req.prologue().method().text(), req.path().path(), t);
        if (!res.isSent()) {
          Endpoints.render(call, Reply.error(WxError.SYSTEM_ERROR), res);
        }
      });
      Routes.register(routing, handlers);
      WebServer web = WebServer.builder()
          .host(config.bind())
          .port(config.port())
          .maxPayloadSize(config.limits().maxBodyBytes())
          .maxTcpConnections(config.limits().maxConnections())
          .idleConnectionTimeout(config.limits().idleTimeout())
          .idleConnectionPeriod(config.limits().idleCheckPeriod())
          // the one HTTP/1 configuration: with discovery Helidon adds its default beside it, and with two candidates
          // it reads a connection's first bytes before it tracks it, so one that sent nothing was never closed as idle
          .protocolsDiscoverServices(false)
          .addProtocol(Http1Config.builder().addReceiveListener(readDeadline).build())
          .directHandlers(TransportErrors.all(clock))
          .shutdownHook(false)
          .shutdownGracePeriod(Duration.ofSeconds(5))
          .routing(routing)
          .build()
          .start();
      delivery.start();
      return new KefuServer(config, store, clock, web, delivery,
          List.of(clockSync, events, agentEvents, readDeadline, faultsHeard));
    } catch (RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {delivery, clockSync, events, agentEvents, readDeadline,
          faultsHeard}) {
        closeQuietly(c);
      }
      store.close();
      throw e;
    }
  }

  /**
   * A configured app that is already stored: the demo app keeps what was changed through the API; an app from
   * kefu.yaml takes the file's settings ({@link ConfiguredApp#over}).
   */
  private static App onRestart(ConfiguredApp configured, App stored) {
    return configured.equals(ServerConfig.DEMO_APP) ? stored : configured.over(stored);
  }

  /**
   * Whether {@code header} is {@code Bearer <token>}: the scheme in any case (HTTP's schemes are case-insensitive),
   * the token compared in constant time, whatever its length.
   */
  private static boolean bearerMatches(String header, String token) {
    String scheme = "Bearer ";
    boolean bearer = header.regionMatches(true, 0, scheme, 0, scheme.length());
    byte[] given = (bearer ? header.substring(scheme.length()) : "").getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8)) && bearer;
  }

  public int port() {
    return web.port();
  }

  public URI baseUri() {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    return URI.create("http://" + host + ":" + port());
  }

  public Store store() {
    return store;
  }

  public KefuClock clock() {
    return clock;
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // the event streams end first: the server's stop waits for open handlers, and a stream only notices a
    // closed client at its next ping
    listeners.forEach(KefuServer::closeQuietly);
    web.stop();
    delivery.close();
    store.close();
  }
}
