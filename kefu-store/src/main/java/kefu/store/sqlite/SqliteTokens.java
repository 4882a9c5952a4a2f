package kefu.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.TokenKind;
import kefu.store.Tokens;

record SqliteTokens(SqliteTx tx) implements Tokens {
  private static final String COLUMNS = "value, appid, kind, issued_at, expires_at, revoked_at, forced";
  /** Newest first; tokens issued at the same instant in reverse insertion order. */
  private static final String NEWEST_FIRST = " ORDER BY issued_at DESC, seq DESC";
  private static final String FORCED_STABLE = " AND kind = '" + TokenKind.STABLE.name() + "' AND forced = 1";

  @Override
  public Optional<AccessToken> find(String value) {
    return tx.first("SELECT " + COLUMNS + " FROM tokens WHERE value = ?", SqliteTokens::read, value);
  }

  @Override
  public Optional<AccessToken> latest(String appid, TokenKind kind) {
    return tx.first("SELECT " + COLUMNS + " FROM tokens WHERE appid = ? AND kind = ?" + NEWEST_FIRST + " LIMIT 1",
        SqliteTokens::read, appid, kind.name());
  }

  @Override
  public void insert(AccessToken token) {
    tx.update("INSERT INTO tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        token.value(), token.appid(), token.kind().name(), SqliteTx.millis(token.issuedAt()),
        SqliteTx.millis(token.expiresAt()), SqliteTx.millis(token.revokedAt()), token.forced() ? 1 : 0);
  }

  @Override
  public void revokeAll(String appid, TokenKind kind, Instant at) {
    tx.update("UPDATE tokens SET revoked_at = min(coalesce(revoked_at, ?1), ?1) WHERE appid = ?2 AND kind = ?3",
        SqliteTx.millis(at), appid, kind.name());
  }

  @Override
  public int countForcedSince(String appid, Instant since) {
    return tx.first("SELECT count(*) FROM tokens WHERE appid = ?" + FORCED_STABLE + " AND issued_at >= ?",
        row -> row.getInt(1), appid, SqliteTx.millis(since)).orElse(0);
  }

  @Override
  public Optional<Instant> lastForcedAt(String appid) {
    return tx.first("SELECT max(issued_at) AS last FROM tokens WHERE appid = ?" + FORCED_STABLE,
        row -> SqliteTx.instant(row, "last"), appid);
  }

  @Override
  public List<AccessToken> list(String appid, int limit) {
    return tx.list("SELECT " + COLUMNS + " FROM tokens WHERE appid = ?" + NEWEST_FIRST + " LIMIT ?",
        SqliteTokens::read, appid, SqliteTx.limit(limit));
  }

  private static AccessToken read(ResultSet row) throws SQLException {
    return new AccessToken(row.getString("value"), row.getString("appid"), TokenKind.valueOf(row.getString("kind")),
        SqliteTx.instant(row, "issued_at"), SqliteTx.instant(row, "expires_at"),
        SqliteTx.instant(row, "revoked_at"), row.getInt("forced") != 0);
  }
}
