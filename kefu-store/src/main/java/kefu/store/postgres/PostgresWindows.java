package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import kefu.protocol.window.SendDecision;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.store.Windows;

/**
 * Windows. {@link #consume} is one conditional UPDATE: the row changes only while the window is open and has a send
 * left, and PostgreSQL re-checks that condition on the newest row version when another transaction changed it
 * first, so concurrent sends on every node together use exactly what the window holds. When it changes nothing,
 * a plain read says why (45015 or 45047).
 */
record PostgresWindows(PostgresTx tx) implements Windows {
  /** A consume that changes nothing finds the window again; this many rounds mean something else is wrong. */
  private static final int MAX_ROUNDS = 100;

  @Override
  public Window find(String appid, String openid) {
    return tx.first("SELECT remaining, closes_at, granted_by FROM windows WHERE appid = ? AND openid = ?"
        + tx.lockForUpdate(), PostgresWindows::read, appid, openid).orElse(Window.NONE);
  }

  @Override
  public void put(String appid, String openid, Window window) {
    tx.update("INSERT INTO windows (appid, openid, remaining, closes_at, granted_by) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO UPDATE SET remaining = excluded.remaining,"
            + " closes_at = excluded.closes_at, granted_by = excluded.granted_by",
        appid, openid, window.remaining(), PostgresTx.millis(window.closesAt()),
        window.grantedBy() == null ? null : window.grantedBy().name());
  }

  @Override
  public SendDecision consume(String appid, String openid, Instant now) {
    Long at = PostgresTx.millis(now);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Window> next = tx.first("UPDATE windows SET remaining = remaining - 1"
          + " WHERE appid = ? AND openid = ? AND remaining > 0 AND closes_at > ?"
          + " RETURNING remaining, closes_at, granted_by", PostgresWindows::read, appid, openid, at);
      if (next.isPresent()) {
        return new SendDecision.Allowed(next.get());
      }
      // the newest committed window says why; if it would allow the send after all, a trigger re-opened it
      // between the two statements: try again
      SendDecision why = tx.first("SELECT remaining, closes_at, granted_by FROM windows"
          + " WHERE appid = ? AND openid = ?", PostgresWindows::read, appid, openid).orElse(Window.NONE).send(now);
      if (why instanceof SendDecision.Denied) {
        return why;
      }
    }
    throw new PostgresException("the window of " + appid + "/" + openid + " kept changing under " + MAX_ROUNDS
        + " consumes");
  }

  private static Window read(ResultSet row) throws SQLException {
    String grantedBy = row.getString("granted_by");
    return new Window(row.getInt("remaining"), Instant.ofEpochMilli(row.getLong("closes_at")),
        grantedBy == null ? null : Trigger.valueOf(grantedBy));
  }
}
