package kefu.store.postgres;

import java.sql.SQLException;

/**
 * The database failed (connection, constraint, a corrupt row): a bug or broken infrastructure, never an expected
 * outcome.
 */
public final class PostgresException extends RuntimeException {
  public PostgresException(String message, Throwable cause) {
    super(message, cause);
  }

  public PostgresException(String message) {
    super(message);
  }

  /** The SQLSTATE of the first {@link SQLException} among the causes, or null. */
  String sqlState() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException e && e.getSQLState() != null) {
        return e.getSQLState();
      }
    }
    return null;
  }
}
