package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.TokenKind;
import kefu.store.Tokens;

/**
 * Tokens. The lock of an app and kind is a transaction-scoped advisory lock keyed by the schema (one deployment's
 * locks never wait for another's) and {@code appid:kind}; {@link #revokeAll}, and {@link #latest} in a write, take
 * it, so issuing is serialised per app and kind across every node. A hash collision only makes two keys wait for
 * each other.
 */
record PostgresTokens(PostgresTx tx) implements Tokens {
  private static final String COLUMNS = "value, appid, kind, issued_at, expires_at, revoked_at, forced";
  /** Newest first; tokens issued at the same instant in reverse insertion order. */
  private static final String NEWEST_FIRST = " ORDER BY issued_at DESC, seq DESC";
  private static final String FORCED_STABLE = " AND kind = '" + TokenKind.STABLE.name() + "' AND forced";

  @Override
  public Optional<AccessToken> find(String value) {
    return tx.first("SELECT " + COLUMNS + " FROM tokens WHERE value = ?", PostgresTokens::read, value);
  }

  @Override
  public Optional<AccessToken> latest(String appid, TokenKind kind) {
    if (tx.writable()) {
      lock(appid, kind);
    }
    return tx.first("SELECT " + COLUMNS + " FROM tokens WHERE appid = ? AND kind = ?" + NEWEST_FIRST + " LIMIT 1",
        PostgresTokens::read, appid, kind.name());
  }

  @Override
  public void insert(AccessToken token) {
    tx.update("INSERT INTO tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        token.value(), token.appid(), token.kind().name(), PostgresTx.millis(token.issuedAt()),
        PostgresTx.millis(token.expiresAt()), PostgresTx.millis(token.revokedAt()), token.forced());
  }

  /**
   * The lock comes first, in a statement of its own: under READ COMMITTED the UPDATE that follows takes its snapshot
   * after the lock was granted, so it sees (and revokes) a token another transaction inserted and committed while
   * this one waited.
   */
  @Override
  public void revokeAll(String appid, TokenKind kind, Instant at) {
    lock(appid, kind);
    Long millis = PostgresTx.millis(at);
    tx.update("UPDATE tokens SET revoked_at = least(coalesce(revoked_at, ?), ?) WHERE appid = ? AND kind = ?",
        millis, millis, appid, kind.name());
  }

  private void lock(String appid, TokenKind kind) {
    tx.first("SELECT pg_advisory_xact_lock(hashtext(?::text), hashtext(?::text || ':' || ?::text))",
        row -> Boolean.TRUE, tx.schema() + ".tokens", appid, kind.name());
  }

  @Override
  public int countForcedSince(String appid, Instant since) {
    return tx.first("SELECT count(*) FROM tokens WHERE appid = ?" + FORCED_STABLE + " AND issued_at >= ?",
        row -> row.getInt(1), appid, PostgresTx.millis(since)).orElse(0);
  }

  @Override
  public Optional<Instant> lastForcedAt(String appid) {
    return tx.first("SELECT max(issued_at) AS last FROM tokens WHERE appid = ?" + FORCED_STABLE,
        row -> PostgresTx.instant(row, "last"), appid);
  }

  @Override
  public List<AccessToken> list(String appid, int limit) {
    return tx.list("SELECT " + COLUMNS + " FROM tokens WHERE appid = ?" + NEWEST_FIRST + " LIMIT ?",
        PostgresTokens::read, appid, PostgresTx.limit(limit));
  }

  private static AccessToken read(ResultSet row) throws SQLException {
    return new AccessToken(row.getString("value"), row.getString("appid"), TokenKind.valueOf(row.getString("kind")),
        PostgresTx.instant(row, "issued_at"), PostgresTx.instant(row, "expires_at"),
        PostgresTx.instant(row, "revoked_at"), row.getBoolean("forced"));
  }
}
