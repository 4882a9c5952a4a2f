package kefu.store.sqlite;

/** The database failed (I/O, a constraint, a corrupt row): a bug or broken infrastructure, never an expected outcome. */
public final class SqliteException extends RuntimeException {
  public SqliteException(String message, Throwable cause) {
    super(message, cause);
  }

  public SqliteException(String message) {
    super(message);
  }
}
