package kefu.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import kefu.store.sqlite.SqliteStore;

/**
 * Everything an embedded store holds but its journals, read straight from its file (read-only, beside the running
 * server: the file is in WAL mode), as a value to compare before and after a request: every row of every table
 * but the request journal and the push journal, which record refused requests too.
 */
final class StoreSnapshot {
  private static final Set<String> JOURNALS = Set.of("journal", "push_attempts", "flyway_schema_history");

  private StoreSnapshot() {}

  /** Table name to its rows, each row its columns' values in order, rows sorted. */
  static TreeMap<String, List<String>> of(Path dataDir) {
    String url = "jdbc:sqlite:file:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath() + "?mode=ro";
    TreeMap<String, List<String>> tables = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      names.removeIf(n -> JOURNALS.contains(n) || n.startsWith("sqlite_"));
      for (String table : names) {
        List<String> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              Object v = r.getObject(i);
              row.append(v instanceof byte[] bytes ? "bytes#" + Arrays.hashCode(bytes) + "/" + bytes.length : v)
                  .append('|');
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        tables.put(table, rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the store in " + dataDir, e);
    }
    return tables;
  }
}
