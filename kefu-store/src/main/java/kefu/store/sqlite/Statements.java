package kefu.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection and the statements prepared on it, each prepared once. Not thread-safe: confined to one thread at a
 * time, the writer's for the life of the store, a reader's for the length of one {@code read}.
 */
final class Statements implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  /** Runs a statement without parameters or results: transaction control. */
  void execute(String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new SqliteException(sql + " failed", e);
    }
  }

  /** Closes the prepared statements; the connection stays open, it belongs to whoever made this. */
  @Override
  public void close() {
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing a statement releases memory only; the connection is closed or returned next anyway
      }
    }
    prepared.clear();
  }
}
