package kefu.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kefu.server.clock.KefuClock;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** The command line: {@code kefu serve [--bind] [--port] [--data] [--config]}. */
@Command(name = "kefu", mixinStandardHelpOptions = true, version = "kefu 0.1.0",
    description = "A self-hostable, wire-compatible WeChat mini-program customer-service (客服消息) platform.",
    subcommands = {Main.Serve.class, Main.WarmUpCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Start kefu on the embedded store. With no --config, a demo app is seeded.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1).")
    String bind;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any (default: 8080).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ./kefu-data).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "kefu.yaml; its apps replace the demo app.")
    Path config;

    @Option(names = "--store", paramLabel = "URL",
        description = "postgresql://host:port/db?user=… to share one PostgreSQL among several kefu nodes "
            + "(default: the embedded store in --data).")
    String store;

    @Override
    public Integer call() {
      ServerConfig c;
      try {
        c = config == null ? ServerConfig.defaults() : ServerConfig.load(config);
        if (bind != null) {
          c = c.withBind(bind);
        }
        if (port != null) {
          c = c.withPort(port);
        }
        if (data != null) {
          c = c.withDataDir(data);
        }
        if (store != null) {
          c = c.withStore(store);
        }
        String envToken = System.getenv("KEFU_ADMIN_TOKEN");
        if (envToken != null && !envToken.isEmpty()) {
          c = c.withAdminToken(envToken);
        }
        c.validate();
      } catch (IllegalArgumentException e) {
        System.err.println("kefu: " + e.getMessage());
        return 2;
      }
      KefuServer server = KefuServer.start(c, KefuClock.system());
      banner(server, System.out);
      CountDownLatch stop = new CountDownLatch(1);
      Signal.handle(new Signal("TERM"), s -> stop.countDown());
      Signal.handle(new Signal("INT"), s -> stop.countDown());
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.close();
      System.out.println("kefu stopped");
      System.out.flush();
      return 0;
    }
  }

  @Command(name = "warm-up", hidden = true,
      description = "Run kefu briefly on a throw-away directory through typical requests, then stop (the "
          + "launcher runs this once per build while the JVM records its class cache).")
  static final class WarmUpCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      WarmUp.run(Path.of(System.getProperty("java.io.tmpdir")));
      return 0;
    }
  }

  static void banner(KefuServer server, PrintStream out) {
    String base = server.baseUri().toString();
    String store = server.config().store() == null ? "data: " + server.config().dataDir().toAbsolutePath()
        : "store: " + ServerConfig.masked(server.config().store());
    out.println("kefu is listening on " + base + " (" + store + ")");
    // an app's secret is printed only for the demo app, whose secret is public; kefu.yaml's stay in the file
    for (ConfiguredApp app : server.config().apps()) {
      boolean demo = app.equals(ServerConfig.DEMO_APP);
      out.println("  app " + app.appid() + (demo ? "  secret " + app.secret() : "") + "  original id "
          + app.originalId() + "  rules " + app.app().rules().name());
    }
    if (server.config().apps().contains(ServerConfig.DEMO_APP)) {
      ConfiguredApp demo = ServerConfig.DEMO_APP;
      out.println("Try the demo app:");
      out.println("  curl '" + base + "/cgi-bin/token?grant_type=client_credential&appid=" + demo.appid()
          + "&secret=" + demo.secret() + "'");
      out.println("  curl -X POST " + base + "/kefu/v1/apps/" + demo.appid() + "/users");
      out.println("  (walkthrough: README.md)");
    }
    out.flush();
  }
}
