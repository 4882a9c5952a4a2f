package kefu.store.sqlite;

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
 * The views of one work item (on the writer) or one read (on a reader connection). It is handed to one callback and
 * {@link #end ended} when that callback returns: a view kept past that fails instead of touching a later
 * transaction. {@code live} is volatile so a view leaked to another thread sees the end too.
 */
final class SqliteTx implements Tx {
  /** Reads one row into a value. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private final Statements statements;
  private final int journalRetention;
  private volatile boolean live = true;

  SqliteTx(Statements statements, int journalRetention) {
    this.statements = statements;
    this.journalRetention = journalRetention;
  }

  void end() {
    live = false;
  }

  int journalRetention() {
    return journalRetention;
  }

  @Override
  public Apps apps() {
    return new SqliteApps(this);
  }

  @Override
  public Users users() {
    return new SqliteUsers(this);
  }

  @Override
  public Tokens tokens() {
    return new SqliteTokens(this);
  }

  @Override
  public Windows windows() {
    return new SqliteWindows(this);
  }

  @Override
  public Typing typing() {
    return new SqliteTyping(this);
  }

  @Override
  public Messages messages() {
    return new SqliteMessages(this);
  }

  @Override
  public Media media() {
    return new SqliteMedia(this);
  }

  @Override
  public Journal journal() {
    return new SqliteJournal(this);
  }

  @Override
  public Outbox outbox() {
    return new SqliteOutbox(this);
  }

  @Override
  public PushJournal pushJournal() {
    return new SqlitePushJournal(this);
  }

  @Override
  public Agents agents() {
    return new SqliteAgents(this);
  }

  @Override
  public AgentSessions agentSessions() {
    return new SqliteAgentSessions(this);
  }

  @Override
  public ApiCalls apiCalls() {
    return new SqliteApiCalls(this);
  }

  @Override
  public ClockSetting clock() {
    return new SqliteClockSetting(this);
  }

  @Override
  public FaultRules faultRules() {
    return new SqliteFaultRules(this);
  }

  /**
   * {@link kefu.store.Store#reset}: every table but the apps (their push settings and limits included; the agents and
   * the API call counts go) and the clock. The sequences stay, so no MsgId or outbox id is reused.
   */
  Void deleteAllButApps() {
    for (String table : List.of("users", "tokens", "windows", "typing", "messages", "media", "journal", "outbox",
        "push_attempts", "agents", "agent_sessions", "fault_rules", "api_calls")) {
      update("DELETE FROM " + table);
    }
    return null;
  }

  /** Runs an INSERT, UPDATE or DELETE; the number of rows changed. */
  int update(String sql, Object... args) {
    try {
      return bind(sql, args).executeUpdate();
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  /** Runs an {@code INSERT … RETURNING key}; the key. */
  long insert(String sql, Object... args) {
    try (ResultSet row = bind(sql, args).executeQuery()) {
      if (!row.next()) {
        throw new SqliteException(sql + " returned no key");
      }
      return row.getLong(1);
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  <T> List<T> list(String sql, RowReader<T> reader, Object... args) {
    try (ResultSet rows = bind(sql, args).executeQuery()) {
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
    try (ResultSet rows = bind(sql, args).executeQuery()) {
      return rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty();
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  private PreparedStatement bind(String sql, Object... args) throws SQLException {
    if (!live) {
      throw new IllegalStateException("a Tx is valid only inside the callback that received it");
    }
    PreparedStatement statement = statements.prepare(sql);
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }

  private static SqliteException failure(String sql, SQLException e) {
    return new SqliteException(e.getMessage() + " in: " + sql, e);
  }

  /** A LIMIT argument; SQLite would read a negative one as "no limit". */
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
