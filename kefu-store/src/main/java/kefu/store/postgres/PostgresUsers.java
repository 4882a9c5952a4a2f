package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import kefu.store.User;
import kefu.store.Users;

record PostgresUsers(PostgresTx tx) implements Users {
  @Override
  public Optional<User> find(String appid, String openid) {
    return tx.first("SELECT appid, openid, nickname, created_at FROM users WHERE appid = ? AND openid = ?",
        PostgresUsers::read, appid, openid);
  }

  @Override
  public boolean create(User user) {
    return tx.update("INSERT INTO users (appid, openid, nickname, created_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO NOTHING",
        user.appid(), user.openid(), user.nickname(), PostgresTx.millis(user.createdAt())) == 1;
  }

  @Override
  public List<User> list(String appid) {
    return tx.list("SELECT appid, openid, nickname, created_at FROM users WHERE appid = ?"
        + " ORDER BY created_at, seq", PostgresUsers::read, appid);
  }

  private static User read(ResultSet row) throws SQLException {
    return new User(row.getString("appid"), row.getString("openid"), row.getString("nickname"),
        PostgresTx.instant(row, "created_at"));
  }
}
