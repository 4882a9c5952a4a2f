package kefu.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.Outbox;
import kefu.store.OutboxItem;
import kefu.store.OutboxStatus;

/**
 * The outbox. A user's head is their lowest-id PENDING item; {@link #HEADS} finds every head in one pass over the
 * PENDING run of the {@code outbox_by_user} index (status, appid, openid, id), never touching delivered or failed
 * rows, and {@link #due} and {@link #nextDue} look the heads up by primary key.
 */
record SqliteOutbox(SqliteTx tx) implements Outbox {
  private static final String FIELDS = "appid, openid, event, msg_id, created_at, attempts, next_attempt_at, status";
  private static final String COLUMNS = "id, " + FIELDS;
  private static final String PENDING = "'" + OutboxStatus.PENDING.name() + "'";
  private static final int TRIM_EVERY = 100;
  /** Each user's oldest PENDING item. */
  private static final String HEADS = " FROM outbox WHERE id IN (SELECT min(id) FROM outbox"
      + " WHERE status = " + PENDING + " GROUP BY appid, openid)";

  @Override
  public OutboxItem enqueue(String appid, String openid, String event, long msgId, Instant at) {
    // made first: the record refuses a null before anything is written
    OutboxItem item = new OutboxItem(0, appid, openid, event, msgId, at, 0, at, OutboxStatus.PENDING);
    long id = tx.insert("INSERT INTO outbox (" + FIELDS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        item.appid(), item.openid(), item.event(), item.msgId(), SqliteTx.millis(item.createdAt()), item.attempts(),
        SqliteTx.millis(item.nextAttemptAt()), item.status().name());
    return new OutboxItem(id, appid, openid, event, msgId, at, item.attempts(), at, item.status());
  }

  @Override
  public Optional<OutboxItem> find(long id) {
    return tx.first("SELECT " + COLUMNS + " FROM outbox WHERE id = ?", SqliteOutbox::read, id);
  }

  /** {@link #due}'s query; its plan is checked by a test. */
  static final String DUE = "SELECT " + COLUMNS + HEADS
      + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?";

  @Override
  public List<OutboxItem> due(Instant now, int limit) {
    return tx.list(DUE, SqliteOutbox::read, SqliteTx.millis(now), SqliteTx.limit(limit));
  }

  @Override
  public Optional<Instant> nextDue() {
    return tx.first("SELECT min(next_attempt_at) AS next" + HEADS, row -> SqliteTx.instant(row, "next"));
  }

  /**
   * An item no longer stored (a reset removed it while it was being delivered) is left alone. Finished items
   * (DELIVERED, FAILED) are kept for the newest {@code journalRetention} ids only: every {@value #TRIM_EVERY}th
   * finished id trims the older finished ones, so the table stays bounded while PENDING items are never touched.
   */
  @Override
  public void update(OutboxItem item) {
    tx.update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, status = ? WHERE id = ?",
        item.attempts(), SqliteTx.millis(item.nextAttemptAt()), item.status().name(), item.id());
    if (item.status() != OutboxStatus.PENDING && item.id() % TRIM_EVERY == 0) {
      tx.update("DELETE FROM outbox WHERE id <= ? AND status <> " + PENDING, item.id() - tx.journalRetention());
    }
  }

  @Override
  public List<OutboxItem> pending(String appid, int limit) {
    return tx.list("SELECT " + COLUMNS + " FROM outbox WHERE status = " + PENDING + " AND appid = ?"
        + " ORDER BY id LIMIT ?", SqliteOutbox::read, appid, SqliteTx.limit(limit));
  }

  private static OutboxItem read(ResultSet row) throws SQLException {
    return new OutboxItem(row.getLong("id"), row.getString("appid"), row.getString("openid"),
        row.getString("event"), row.getLong("msg_id"), SqliteTx.instant(row, "created_at"), row.getInt("attempts"),
        SqliteTx.instant(row, "next_attempt_at"), OutboxStatus.valueOf(row.getString("status")));
  }
}
