package kefu.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.store.AgentSessions;
import kefu.store.Agents;
import kefu.store.ApiCalls;
import kefu.store.Apps;
import kefu.store.ClockSetting;
import kefu.store.FaultRules;
import kefu.store.Journal;
import kefu.store.Media;
import kefu.store.Messages;
import kefu.store.Outbox;
import kefu.store.PushJournal;
import kefu.store.Tokens;
import kefu.store.Tx;
import kefu.store.Typing;
import kefu.store.Users;
import kefu.store.Windows;

/**
 * The views of one transaction on one pooled connection: a write ({@link PostgresStore#inTransaction}, a group of
 * submitted work) or a read. It is handed to one callback and {@link #end ended} when that callback returns: a view
 * kept past that fails instead of touching a later transaction. {@code live} is volatile so a view leaked to another
 * thread sees the end too. The connection itself is confined to the thread running the callback.
 *
 * <p>In a write, a {@code find} of one row that the caller may decide on and put back (a window, a typing state, an
 * agent, an agent session) locks that row until the transaction ends ({@code SELECT … FOR UPDATE}), so a
 * find-decide-put on an existing row cannot interleave with another node's, as on SQLite's single writer. A row that
 * does not exist yet is not locked; the put's upsert settles that race (the last one wins).
 */
final class PostgresTx implements Tx {
  /** Reads one row into a value. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private final Connection connection;
  private final String schema;
  private final int journalRetention;
  private final boolean writable;
  private volatile boolean live = true;

  PostgresTx(Connection connection, String schema, int journalRetention, boolean writable) {
    this.connection = connection;
    this.schema = schema;
    this.journalRetention = journalRetention;
    this.writable = writable;
  }

  void end() {
    live = false;
  }

  int journalRetention() {
    return journalRetention;
  }

  String schema() {
    return schema;
  }

  /** {@code " FOR UPDATE"} in a write, nothing in a read (where it would fail). */
  String lockForUpdate() {
    return writable ? " FOR UPDATE" : "";
  }

  boolean writable() {
    return writable;
  }

  @Override
  public Apps apps() {
    return new PostgresApps(this);
  }

  @Override
  public Users users() {
    return new PostgresUsers(this);
  }

  @Override
  public Tokens tokens() {
    return new PostgresTokens(this);
  }

  @Override
  public Windows windows() {
    return new PostgresWindows(this);
  }

  @Override
  public Typing typing() {
    return new PostgresTyping(this);
  }

  @Override
  public Messages messages() {
    return new PostgresMessages(this);
  }

  @Override
  public Media media() {
    return new PostgresMedia(this);
  }

  @Override
  public Journal journal() {
    return new PostgresJournal(this);
  }

  @Override
  public Outbox outbox() {
    return new PostgresOutbox(this);
  }

  @Override
  public PushJournal pushJournal() {
    return new PostgresPushJournal(this);
  }

  @Override
  public Agents agents() {
    return new PostgresAgents(this);
  }

  @Override
  public AgentSessions agentSessions() {
    return new PostgresAgentSessions(this);
  }

  @Override
  public ApiCalls apiCalls() {
    return new PostgresApiCalls(this);
  }

  @Override
  public ClockSetting clock() {
    return new PostgresClockSetting(this);
  }

  @Override
  public FaultRules faultRules() {
    return new PostgresFaultRules(this);
  }

  /**
   * {@link kefu.store.Store#reset}: every table but the apps (their push settings and limits included; the agents and
   * the API call counts go) and the clock, in one TRUNCATE. The identity sequences stay, so no MsgId or outbox id is
   * reused.
   */
  Void truncateAllButApps() {
    update("TRUNCATE users, tokens, windows, typing, messages, media, journal, outbox, push_attempts, agents,"
        + " agent_sessions, fault_rules, api_calls");
    return null;
  }

  /** Runs an INSERT, UPDATE, DELETE or other statement without results; the number of rows changed. */
  int update(String sql, Object... args) {
    try (PreparedStatement statement = bind(sql, args)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  /** Runs an {@code INSERT … RETURNING key}; the key. */
  long insert(String sql, Object... args) {
    try (PreparedStatement statement = bind(sql, args); ResultSet row = statement.executeQuery()) {
      if (!row.next()) {
        throw new PostgresException(sql + " returned no key");
      }
      return row.getLong(1);
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  <T> List<T> list(String sql, RowReader<T> reader, Object... args) {
    try (PreparedStatement statement = bind(sql, args); ResultSet rows = statement.executeQuery()) {
      List<T> values = new ArrayList<>();
      while (rows.next()) {
        values.add(reader.read(rows));
      }
      return values;
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  <T> Optional<T> first(String sql, RowReader<T> reader, Object... args) {
    try (PreparedStatement statement = bind(sql, args); ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty();
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  /** A {@code bigint[]} parameter. */
  Array longs(List<Long> values) {
    requireLive();
    try {
      return connection.createArrayOf("bigint", values.toArray());
    } catch (SQLException e) {
      throw new PostgresException("cannot make a bigint[]", e);
    }
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    requireLive();
    // pgjdbc keeps a per-connection cache of server-prepared statements keyed by the SQL, so this does not
    // re-plan a statement the connection has run often
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
    return statement;
  }

  private void requireLive() {
    if (!live) {
      throw new IllegalStateException("a Tx is valid only inside the callback that received it");
    }
  }

  private static PostgresException failure(String sql, SQLException e) {
    return new PostgresException(e.getMessage() + " in: " + sql, e);
  }

  /** A LIMIT argument, refused when negative. */
  static int limit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    return limit;
  }

  /** Epoch milliseconds, null for null. */
  static Long millis(Instant at) {
    return at == null ? null : at.toEpochMilli();
  }

  /** The instant in an epoch-milliseconds column, null for SQL NULL. */
  static Instant instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
