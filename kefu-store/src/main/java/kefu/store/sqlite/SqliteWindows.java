package kefu.store.sqlite;

import java.time.Instant;
import kefu.protocol.window.SendDecision;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.store.Windows;

/** Windows. {@link #consume} is a find, decide and put: atomic because the one writer runs one job at a time. */
record SqliteWindows(SqliteTx tx) implements Windows {
  @Override
  public Window find(String appid, String openid) {
    return tx.first("SELECT remaining, closes_at, granted_by FROM windows WHERE appid = ? AND openid = ?",
        row -> {
          String grantedBy = row.getString("granted_by");
          return new Window(row.getInt("remaining"), Instant.ofEpochMilli(row.getLong("closes_at")),
              grantedBy == null ? null : Trigger.valueOf(grantedBy));
        }, appid, openid).orElse(Window.NONE);
  }

  @Override
  public void put(String appid, String openid, Window window) {
    tx.update("INSERT INTO windows (appid, openid, remaining, closes_at, granted_by) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO UPDATE SET remaining = excluded.remaining,"
            + " closes_at = excluded.closes_at, granted_by = excluded.granted_by",
        appid, openid, window.remaining(), SqliteTx.millis(window.closesAt()),
        window.grantedBy() == null ? null : window.grantedBy().name());
  }

  @Override
  public SendDecision consume(String appid, String openid, Instant now) {
    SendDecision decision = find(appid, openid).send(now);
    if (decision instanceof SendDecision.Allowed allowed) {
      put(appid, openid, allowed.next());
    }
    return decision;
  }
}
