package kefu.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.send.MessageCodec;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.WindowRules;
import kefu.server.agent.HandOffOptions;
import kefu.server.http.ClientLimits;
import kefu.server.push.DeliveryOptions;
import kefu.store.App;

/**
 * The server's configuration, immutable, validated once by {@link #validate()}; changed by {@code with…} copies.
 * {@code kefu.yaml} spells it with the property names of {@link #load}; command-line options override the file.
 */
public record ServerConfig(String bind, int port, Path dataDir, String adminToken, int textLimitBytes,
                           int journalRetention, List<ConfiguredApp> apps, DeliveryOptions delivery,
                           HandOffOptions handOff, String store, ClientLimits limits) {
  /** The demo app's secret: public, printed at start and in the README; for trying kefu, never for real data. */
  public static final String DEMO_SECRET = "kefudemo0secret00000000000000001";
  public static final ConfiguredApp DEMO_APP = new ConfiguredApp(new App("wxkefudemo00000001",
      SecretHash.of(DEMO_SECRET, new SecureRandom()), "gh_kefudemo0001", WindowRules.SEED, true, PushSettings.NONE,
      ApiLimits.OFF), DEMO_SECRET);

  private static final Set<String> PROPERTIES = Set.of("bind", "port", "data", "admin_token", "text_limit_bytes",
      "journal_retention", "apps", "push_timeout_ms", "push_attempts", "push_backoff_ms", "agent_idle_seconds",
      "agent_window_seconds", "store", "max_connections", "idle_timeout_seconds", "read_timeout_seconds",
      "max_body_bytes");

  public ServerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    apps = List.copyOf(apps);
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(handOff, "handOff");
    Objects.requireNonNull(limits, "limits");
  }

  /** Loopback, port 8080, {@code ./kefu-data}, the demo app. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, Path.of("kefu-data"), null,
        MessageCodec.DEFAULT_TEXT_LIMIT_BYTES, 10_000, List.of(DEMO_APP), DeliveryOptions.DEFAULTS,
        HandOffOptions.DEFAULTS, null, ClientLimits.DEFAULTS);
  }

  /** Reads {@code kefu.yaml}; apps given there replace the demo app. Throws with a message naming the property. */
  public static ServerConfig load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    ServerConfig c = defaults().withApps(List.of());
    if (root == null || root.isMissingNode() || root.isNull()) {
      return c;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(file + ": the config must be a mapping of properties");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!PROPERTIES.contains(name)) {
        throw new IllegalArgumentException(file + ": unknown property '" + name + "' (known: " + PROPERTIES + ")");
      }
    }
    if (root.has("bind")) {
      c = c.withBind(text(root, "bind", file));
    }
    if (root.has("port")) {
      c = c.withPort(integer(root, "port", file));
    }
    if (root.has("data")) {
      c = c.withDataDir(Path.of(text(root, "data", file)));
    }
    if (root.has("store")) {
      c = c.withStore(text(root, "store", file));
    }
    if (root.has("admin_token")) {
      c = c.withAdminToken(text(root, "admin_token", file));
    }
    if (root.has("text_limit_bytes")) {
      c = new ServerConfig(c.bind, c.port, c.dataDir, c.adminToken, integer(root, "text_limit_bytes", file),
          c.journalRetention, c.apps, c.delivery, c.handOff, c.store, c.limits);
    }
    if (root.has("journal_retention")) {
      c = new ServerConfig(c.bind, c.port, c.dataDir, c.adminToken, c.textLimitBytes,
          integer(root, "journal_retention", file), c.apps, c.delivery, c.handOff, c.store, c.limits);
    }
    try {
      DeliveryOptions d = c.delivery;
      if (root.has("push_timeout_ms")) {
        d = new DeliveryOptions(Duration.ofMillis(integer(root, "push_timeout_ms", file)), d.attempts(), d.backoff());
      }
      if (root.has("push_attempts")) {
        d = new DeliveryOptions(d.timeout(), integer(root, "push_attempts", file), d.backoff());
      }
      if (root.has("push_backoff_ms")) {
        d = new DeliveryOptions(d.timeout(), d.attempts(), Duration.ofMillis(integer(root, "push_backoff_ms", file)));
      }
      HandOffOptions h = c.handOff;
      if (root.has("agent_idle_seconds")) {
        h = new HandOffOptions(Duration.ofSeconds(integer(root, "agent_idle_seconds", file)), h.agentWindow());
      }
      if (root.has("agent_window_seconds")) {
        h = new HandOffOptions(h.idleClose(), Duration.ofSeconds(integer(root, "agent_window_seconds", file)));
      }
      ClientLimits l = c.limits;
      if (root.has("max_connections")) {
        l = new ClientLimits(integer(root, "max_connections", file), l.idleTimeout(), l.readTimeout(),
            l.maxBodyBytes());
      }
      if (root.has("idle_timeout_seconds")) {
        l = new ClientLimits(l.maxConnections(), Duration.ofSeconds(integer(root, "idle_timeout_seconds", file)),
            l.readTimeout(), l.maxBodyBytes());
      }
      if (root.has("read_timeout_seconds")) {
        l = new ClientLimits(l.maxConnections(), l.idleTimeout(),
            Duration.ofSeconds(integer(root, "read_timeout_seconds", file)), l.maxBodyBytes());
      }
      if (root.has("max_body_bytes")) {
        l = new ClientLimits(l.maxConnections(), l.idleTimeout(), l.readTimeout(),
            integer(root, "max_body_bytes", file));
      }
      c = c.withDelivery(d).withHandOff(h).withLimits(l);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    if (root.has("apps")) {
      JsonNode apps = root.get("apps");
      if (!apps.isArray()) {
        throw new IllegalArgumentException(file + ": apps must be a list");
      }
      List<ConfiguredApp> parsed = new ArrayList<>();
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < apps.size(); i++) {
        JsonNode a = apps.get(i);
        String appid = a.path("appid").asText("");
        AppSpec.Parsed p = AppSpec.parse(appid, a, null, random);
        if (p.app() == null) {
          throw new IllegalArgumentException(file + ": apps[" + i + "]: " + p.problem());
        }
        parsed.add(new ConfiguredApp(p.app(), p.secret()));
      }
      c = c.withApps(parsed);
    }
    return c;
  }

  /** Checks the whole configuration; the message names the property. */
  public ServerConfig validate() {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (textLimitBytes < 1) {
      throw new IllegalArgumentException("text_limit_bytes must be positive, was " + textLimitBytes);
    }
    if (journalRetention < 1) {
      throw new IllegalArgumentException("journal_retention must be positive, was " + journalRetention);
    }
    if (adminToken != null && adminToken.length() < 8) {
      throw new IllegalArgumentException("admin_token (KEFU_ADMIN_TOKEN) must be at least 8 characters");
    }
    if (store != null && !store.startsWith("postgresql://") && !store.startsWith("postgres://")) {
      throw new IllegalArgumentException("store must be a postgresql://host:port/db?user=… URL, was '"
          + masked(store) + "'");
    }
    if (!isLoopback() && adminToken == null) {
      throw new IllegalArgumentException("refusing to bind " + bind + " without an admin token: anyone who can reach "
          + "it could reset kefu and move its clock. Set KEFU_ADMIN_TOKEN (or admin_token in kefu.yaml), "
          + "or bind 127.0.0.1.");
    }
    return this;
  }

  public boolean isLoopback() {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bind: unknown address '" + bind + "'", e);
    }
  }

  public ServerConfig withBind(String v) {
    return new ServerConfig(v, port, dataDir, adminToken, textLimitBytes, journalRetention,
        apps, delivery, handOff, store, limits);
  }

  public ServerConfig withPort(int v) {
    return new ServerConfig(bind, v, dataDir, adminToken, textLimitBytes, journalRetention,
        apps, delivery, handOff, store, limits);
  }

  public ServerConfig withDataDir(Path v) {
    return new ServerConfig(bind, port, v, adminToken, textLimitBytes, journalRetention,
        apps, delivery, handOff, store, limits);
  }

  public ServerConfig withAdminToken(String v) {
    return new ServerConfig(bind, port, dataDir, v == null || v.isEmpty() ? null : v, textLimitBytes,
        journalRetention, apps, delivery, handOff, store, limits);
  }

  public ServerConfig withApps(List<ConfiguredApp> v) {
    return new ServerConfig(bind, port, dataDir, adminToken, textLimitBytes, journalRetention,
        v, delivery, handOff, store, limits);
  }

  public ServerConfig withDelivery(DeliveryOptions v) {
    return new ServerConfig(bind, port, dataDir, adminToken, textLimitBytes, journalRetention, apps, v, handOff, store,
        limits);
  }

  /** {@code postgresql://host:port/db?user=…} for a shared PostgreSQL store; null for the embedded store. */
  public ServerConfig withStore(String v) {
    return new ServerConfig(bind, port, dataDir, adminToken, textLimitBytes, journalRetention, apps, delivery, handOff,
        v == null || v.isEmpty() ? null : v, limits);
  }

  public ServerConfig withHandOff(HandOffOptions v) {
    return new ServerConfig(bind, port, dataDir, adminToken, textLimitBytes, journalRetention,
        apps, delivery, v, store, limits);
  }

  /** Connections, timeouts and the body cap against slow and abusive clients. */
  public ServerConfig withLimits(ClientLimits v) {
    return new ServerConfig(bind, port, dataDir, adminToken, textLimitBytes, journalRetention,
        apps, delivery, handOff, store, v);
  }

  private static String text(JsonNode root, String name, Path file) {
    JsonNode n = root.get(name);
    if (!n.isValueNode() || n.isNull()) {
      throw new IllegalArgumentException(file + ": " + name + " must be a value");
    }
    return n.asText();
  }

  private static int integer(JsonNode root, String name, Path file) {
    JsonNode n = root.get(name);
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(file + ": " + name + " must be an integer");
    }
    return n.intValue();
  }

  @Override
  public String toString() {
    return "ServerConfig[bind=" + bind + ", port=" + port + ", dataDir=" + dataDir + ", adminToken="
        + (adminToken == null ? "none" : "****") + ", textLimitBytes=" + textLimitBytes + ", journalRetention="
        + journalRetention + ", apps=" + apps + ", delivery=" + delivery + ", handOff=" + handOff + ", store="
        + (store == null ? "embedded" : masked(store)) + ", limits=" + limits + "]";
  }

  /** The store URL with its password hidden, for logs. */
  public static String masked(String url) {
    return url.replaceAll("(password=)[^&]*", "$1****").replaceAll("://([^:/@]*):[^@/]*@", "://$1:****@");
  }
}
