package kefu.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import kefu.protocol.token.SecretHash;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The migration, in Java because SQLite has no SHA-256, that replaces every app secret stored in clear by its salted
 * hash ({@link SecretHash}). Each store registers it under its own version: SQLite 4.1, PostgreSQL 2.1.
 */
public final class HashAppSecrets implements JavaMigration {
  private final MigrationVersion version;

  public HashAppSecrets(String version) {
    this.version = MigrationVersion.fromVersion(version);
  }

  @Override
  public MigrationVersion getVersion() {
    return version;
  }

  @Override
  public String getDescription() {
    return "hash app secrets";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    Map<String, String> secrets = new LinkedHashMap<>();
    try (Statement select = connection.createStatement();
         ResultSet rows = select.executeQuery("SELECT appid, secret FROM apps")) {
      while (rows.next()) {
        secrets.put(rows.getString("appid"), rows.getString("secret"));
      }
    }
    SecureRandom random = new SecureRandom();
    try (PreparedStatement update = connection.prepareStatement("UPDATE apps SET secret = ? WHERE appid = ?")) {
      for (Map.Entry<String, String> app : secrets.entrySet()) {
        update.setString(1, SecretHash.of(app.getValue(), random).encoded());
        update.setString(2, app.getKey());
        update.executeUpdate();
      }
    }
  }
}
