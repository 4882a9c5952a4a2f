package kefu.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kefu.server.config.ConfiguredApp;
import kefu.store.App;

/**
 * How the bench runs kefu: its real {@code kefu-server.jar serve}, with the class cache {@code ./kefu} records after a
 * build beside it when there is one, and with the same flags as {@code ./kefu serve} (on JDK 25 and later the AOT
 * cache {@code kefu-server.aot}, before that the class-data archive {@code kefu-server.jsa}); without the jar (a
 * build that never packaged kefu-server), {@code kefu.server.Main serve} from the bench's own class path. Each kefu
 * reads {@code kefu.yaml} written here: the bench's app, whose rules allow ten million sends per window, so that every
 * send takes the whole real path (token, user, window check and decrement, durable write) and succeeds. Immutable.
 */
record KefuCommand(Path jar, Path archive, Path config) {
  static final String HEALTH = "/kefu/v1/health";

  /** The jar if it exists; the class cache beside it if that exists; {@code kefu.yaml} for {@code app} in {@code dir}. */
  static KefuCommand find(Path serverJar, ConfiguredApp app, Path dir) throws IOException {
    Path jar = serverJar != null && Files.isRegularFile(serverJar) ? serverJar.toAbsolutePath() : null;
    Path archive = jar == null ? null : jar.resolveSibling(aotCache() ? "kefu-server.aot" : "kefu-server.jsa");
    Path config = dir.resolve("kefu.yaml");
    Files.writeString(config, yaml(app), StandardCharsets.UTF_8);
    return new KefuCommand(jar, archive != null && Files.isRegularFile(archive) ? archive : null, config);
  }

  /** Whether this JDK takes the AOT cache (25 and later), as {@code ./kefu} decides. */
  private static boolean aotCache() {
    return Runtime.version().feature() >= 25;
  }

  /** {@code kefu.yaml} with {@code app}, its rules as a custom table. */
  static String yaml(ConfiguredApp configured) {
    App app = configured.app();
    return "apps:\n"
        + "  - appid: " + app.appid() + "\n"
        + "    secret: " + configured.secret() + "\n"
        + "    original_id: " + app.originalId() + "\n"
        + "    rules:\n"
        + "      name: " + app.rules().name() + "\n"
        + "      enter: {count: " + app.rules().onEnter().count() + ", seconds: "
        + app.rules().onEnter().duration().toSeconds() + "}\n"
        + "      message: {count: " + app.rules().onMessage().count() + ", seconds: "
        + app.rules().onMessage().duration().toSeconds() + "}\n";
  }

  /** The JVM options {@code ./kefu serve} adds: the class cache, when there is one. */
  List<String> jvmOptions() {
    if (archive == null) {
      return List.of();
    }
    return aotCache() ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot*=off", "-Xlog:cds*=off")
        : List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive", "-Xlog:cds*=off");
  }

  /** {@code serve} on the port the process picks, in {@code dataDir}, with {@code more} arguments. */
  ServerProcess.Command serve(Path dataDir, List<String> more) {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "{port}", "--data", dataDir.toString(),
        "--config", config.toString()));
    args.addAll(more);
    return jar != null ? ServerProcess.Command.jar("kefu", jar, HEALTH, args)
        : ServerProcess.Command.main("kefu", System.getProperty("java.class.path"), "kefu.server.Main", HEALTH, args);
  }

  /** How it runs, for the report. */
  String describe() {
    return (jar != null ? "java -jar " + jar.getFileName() : "java -cp <bench class path> kefu.server.Main")
        + " serve" + (archive != null ? " with the class cache " + archive.getFileName() : " (no class cache)");
  }
}
