package kefu.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import kefu.protocol.Json;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.store.Direction;
import kefu.store.sqlite.SqliteStore;

/**
 * The past conversations the growth phase stores before it measures: users who each exchanged
 * {@value #MESSAGES_PER_USER} text messages with the app (one from the user, one reply, in turn), written straight
 * into kefu's own SQLite schema ({@code users} and {@code messages}, created by kefu's migrations when it first ran on
 * the data directory) with batched JDBC inserts, bodies encoded by kefu's own {@link MessageCodec}. kefu must not be
 * running on the directory meanwhile.
 *
 * <p>Filling is not the measured path, so it trades durability for speed ({@code synchronous=OFF}, one commit per
 * {@value #ROWS_PER_COMMIT} rows); it ends with a WAL checkpoint, so kefu starts on a compact file. Not thread-safe.
 */
final class History {
  static final int MESSAGES_PER_USER = 100;
  private static final int ROWS_PER_COMMIT = 500_000;
  private static final int BATCH = 10_000;

  private History() {}

  /** How many messages kefu's store in {@code dataDir} holds. */
  static long storedMessages(Path dataDir) throws SQLException {
    try (Connection c = open(dataDir); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*) FROM messages")) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * Adds past users of {@code appid} and their messages until the store holds at least {@code total} messages;
   * their openids start with {@code h} and go on from those already added, so it can be called again to grow it.
   * Messages are dated before {@code now}, one second apart. Returns how many messages it added.
   */
  static long growTo(Path dataDir, String appid, long total, Instant now) throws SQLException {
    try (Connection c = open(dataDir)) {
      long stored;
      long pastUsers;
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous=OFF");
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM messages")) {
          r.next();
          stored = r.getLong(1);
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT count(*) FROM users WHERE appid = ? AND openid LIKE 'h%'")) {
        s.setString(1, appid);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          pastUsers = r.getLong(1);
        }
      }
      long missing = Math.max(0, total - stored);
      c.setAutoCommit(false);
      String fromUser = Json.write(MessageCodec.encode(new Message.Text("你好，请问订单什么时候发货？")));
      String toUser = Json.write(MessageCodec.encode(new Message.Text("您好，已经发货了，请留意物流信息。")));
      long startMillis = now.toEpochMilli() - missing * 1000;
      try (PreparedStatement user = c.prepareStatement(
               "INSERT INTO users (appid, openid, nickname, created_at) VALUES (?, ?, ?, ?)");
           PreparedStatement message = c.prepareStatement(
               "INSERT INTO messages (appid, openid, direction, body, created_at) VALUES (?, ?, ?, ?, ?)")) {
        long added = 0;
        while (added < missing) {
          String openid = openid(pastUsers++);
          long at = startMillis + added * 1000;
          user.setString(1, appid);
          user.setString(2, openid);
          user.setString(3, "past-" + pastUsers);
          user.setLong(4, at);
          user.addBatch();
          for (int i = 0; i < MESSAGES_PER_USER && added < missing; i++, added++) {
            boolean fromTheUser = i % 2 == 0;
            message.setString(1, appid);
            message.setString(2, openid);
            message.setString(3, (fromTheUser ? Direction.FROM_USER : Direction.TO_USER).name());
            message.setString(4, fromTheUser ? fromUser : toUser);
            message.setLong(5, startMillis + added * 1000);
            message.addBatch();
            if ((added + 1) % BATCH == 0) {
              user.executeBatch();
              message.executeBatch();
            }
            if ((added + 1) % ROWS_PER_COMMIT == 0) {
              c.commit();
            }
          }
        }
        user.executeBatch();
        message.executeBatch();
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return added;
      }
    }
  }

  /** The openid of past user {@code n}: {@code h} and 27 digits, 28 characters like WeChat's. */
  static String openid(long n) {
    return String.format("h%027d", n);
  }

  private static Connection open(Path dataDir) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
  }
}
