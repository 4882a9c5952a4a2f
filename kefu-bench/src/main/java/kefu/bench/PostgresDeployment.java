package kefu.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kefu.server.config.ServerConfig;
import kefu.store.postgres.PostgresOptions;

/**
 * One deployment of kefu for the bench's PostgreSQL phase: {@code nodes} kefu processes ({@link ServerProcess}), each
 * on its own port, all on one fresh schema ({@value #SCHEMA_PREFIX} and 8 hex digits) of the database given by
 * {@code --postgres}. The schema must not exist beforehand; the first node's store creates it through its
 * migration, so the nodes start one after another. {@link #close()} stops the nodes, then drops the schema with
 * everything in it.
 *
 * <p>Not thread-safe: the bench's main thread starts and closes it; the load only reads {@link #bases()}.
 */
final class PostgresDeployment implements AutoCloseable {
  static final String SCHEMA_PREFIX = "kefu_bench_";

  private final String url;
  private final String jdbcUrl;
  private final String schema;
  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();

  private PostgresDeployment(String url, String schema) {
    this.url = url;
    this.jdbcUrl = PostgresOptions.fromUrl(url, 1).jdbcUrl();
    this.schema = schema;
  }

  /**
   * Starts {@code nodes} servers with {@code apps} on a new schema of the database at {@code url} (a
   * {@code postgresql://…} URL without a {@code schema} parameter).
   */
  static PostgresDeployment start(String url, int nodes, KefuCommand kefu, List<String> jvmOptions, Path work,
                                  Duration timeout) throws IOException, SQLException, InterruptedException {
    PostgresDeployment d = new PostgresDeployment(url,
        SCHEMA_PREFIX + HexFormat.of().toHexDigits(new SecureRandom().nextInt()));
    if (d.schemaExists()) {
      throw new IllegalStateException("schema " + d.schema + " already exists in " + ServerConfig.masked(url)
          + "; the bench only drops a schema it created, run it again");
    }
    try {
      for (int i = 0; i < nodes; i++) {
        // unused by the PostgreSQL store; given so that nothing can land in ./kefu-data
        Path dataDir = Files.createTempDirectory(work, "pg-node-");
        d.dataDirs.add(dataDir);
        List<String> options = new ArrayList<>(kefu.jvmOptions());
        options.addAll(jvmOptions);
        d.nodes.add(ServerProcess.start(kefu.serve(dataDir, List.of("--store", withSchema(url, d.schema))), options,
            work, timeout));
      }
    } catch (RuntimeException | IOException | InterruptedException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /** {@code url} with {@code schema=…} added; {@code url} has no schema parameter of its own. */
  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "schema=" + schema;
  }

  /** Whether the query of {@code url} has a {@code schema} parameter. */
  static boolean hasSchema(String url) {
    int query = url.indexOf('?');
    if (query < 0) {
      return false;
    }
    for (String param : url.substring(query + 1).split("&")) {
      if (param.equals("schema") || param.startsWith("schema=")) {
        return true;
      }
    }
    return false;
  }

  /** Each node's base URI, the first node's first. */
  List<URI> bases() {
    return nodes.stream().map(ServerProcess::base).toList();
  }

  String schema() {
    return schema;
  }

  /** The processes, the first node's first. */
  List<ServerProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** Whether a connection to the database at {@code url} opens within a few seconds; the reason when it does not. */
  static Optional<String> unreachable(String url) {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(PostgresOptions.fromUrl(url, 1).jdbcUrl())) {
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The database's {@code server_version}. */
  String serverVersion() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT current_setting('server_version')")) {
      r.next();
      return r.getString(1);
    }
  }

  private boolean schemaExists() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
         PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      s.setString(1, schema);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Stops the nodes (last started first), then drops the schema; a failure to drop is reported, not thrown. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    nodes.clear();
    // the name matches [a-z_][a-z0-9_]*, made here: nothing to escape
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.printf("bench: could not drop schema %s in %s: %s%n", schema, ServerConfig.masked(url), e);
    }
    dataDirs.forEach(Bench::deleteTree);
    dataDirs.clear();
  }
}
