package kefu.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL store lives and how it is tuned.
 *
 * @param jdbcUrl          a {@code jdbc:postgresql://…} URL, credentials included as its {@code user} and
 *                         {@code password} parameters
 * @param schema           the schema holding kefu's tables, created on open; one deployment per schema
 * @param journalRetention how many entries the request journal and the push journal each keep
 * @param poolSize         connections in the pool, at least 2 (one for the writer of submitted work)
 */
public record PostgresOptions(String jdbcUrl, String schema, int journalRetention, int poolSize) {
  public static final String DEFAULT_SCHEMA = "kefu";
  public static final int DEFAULT_POOL_SIZE = 10;
  /** A lower-case SQL identifier that needs no quoting, short enough to prefix a NOTIFY channel. */
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,29}");
  private static final Pattern PASSWORD = Pattern.compile("([?&]password=)[^&]*");

  public PostgresOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(schema, "schema");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, was " + mask(jdbcUrl));
    }
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema must be 1 to 30 of a-z 0-9 _ (not starting with a digit), was \""
          + schema + "\"");
    }
    if (journalRetention < 1) {
      throw new IllegalArgumentException("journalRetention must be at least 1, was " + journalRetention);
    }
    if (poolSize < 2) {
      throw new IllegalArgumentException("poolSize must be at least 2, was " + poolSize);
    }
  }

  /**
   * Options from a libpq-style URL, {@code postgresql://[user[:password]@]host[:port]/db[?param=value&…]} (or
   * {@code postgres://}, or already {@code jdbc:postgresql://}), with the {@link #DEFAULT_SCHEMA default schema}
   * unless the URL has a {@code schema} parameter, and the {@link #DEFAULT_POOL_SIZE default pool size}. Other
   * parameters ({@code user}, {@code password}, {@code sslmode}, …) are passed on to the driver.
   */
  public static PostgresOptions fromUrl(String url, int journalRetention) {
    Objects.requireNonNull(url, "url");
    String plain = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    URI uri;
    try {
      uri = new URI(plain);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a PostgreSQL URL: " + mask(url), e);
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("a PostgreSQL URL starts with postgresql://, was " + mask(url));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("a PostgreSQL URL names a host, was " + mask(url));
    }
    String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
    List<String> params = new ArrayList<>();
    String schema = DEFAULT_SCHEMA;
    if (uri.getRawUserInfo() != null) {
      String[] userInfo = uri.getRawUserInfo().split(":", 2);
      params.add("user=" + encode(decode(userInfo[0])));
      if (userInfo.length == 2) {
        params.add("password=" + encode(decode(userInfo[1])));
      }
    }
    if (uri.getRawQuery() != null) {
      for (String param : uri.getRawQuery().split("&")) {
        if (param.isEmpty()) {
          continue;
        }
        String[] pair = param.split("=", 2);
        if (pair[0].equals("schema")) {
          schema = pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "";
        } else {
          params.add(param);
        }
      }
    }
    String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    String jdbcUrl = "jdbc:postgresql://" + host + "/" + database
        + (params.isEmpty() ? "" : "?" + String.join("&", params));
    return new PostgresOptions(jdbcUrl, schema, journalRetention, DEFAULT_POOL_SIZE);
  }

  public PostgresOptions withSchema(String schema) {
    return new PostgresOptions(jdbcUrl, schema, journalRetention, poolSize);
  }

  public PostgresOptions withJournalRetention(int journalRetention) {
    return new PostgresOptions(jdbcUrl, schema, journalRetention, poolSize);
  }

  public PostgresOptions withPoolSize(int poolSize) {
    return new PostgresOptions(jdbcUrl, schema, journalRetention, poolSize);
  }

  @Override
  public String toString() {
    return "PostgresOptions[jdbcUrl=" + mask(jdbcUrl) + ", schema=" + schema + ", journalRetention="
        + journalRetention + ", poolSize=" + poolSize + "]";
  }

  /** The URL with its password, if any, replaced by {@code ****}. */
  static String mask(String url) {
    String masked = PASSWORD.matcher(url).replaceAll("$1****");
    // postgresql://user:password@host
    return masked.replaceFirst("(//[^/:@]*:)[^/@]*@", "$1****@");
  }

  /** Percent-decoding; a '+' stays a '+' (it means a space only in a query string). */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
