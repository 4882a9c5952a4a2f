package kefu.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kefu.store.Outbox;
import kefu.store.OutboxItem;
import kefu.store.OutboxStatus;

/**
 * The outbox. A user's head is their lowest-id PENDING item; {@link #HEADS} finds every head in one pass over the
 * PENDING run of the {@code outbox_by_user} index (status, appid, openid, id), never touching delivered or failed
 * rows, and {@link #due} and {@link #nextDue} look the heads up by primary key. {@link #claim} is {@link #due} minus
 * the heads whose lease still runs, then one UPDATE that leases what it found: atomic because the one writer runs
 * one job at a time.
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
  public List<OutboxItem> claim(Instant now, Duration lease, String node, int limit) {
    Objects.requireNonNull(node, "node");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, was " + lease);
    }
    Long at = SqliteTx.millis(now);
    List<OutboxItem> claimed = tx.list("SELECT " + COLUMNS + HEADS + " AND next_attempt_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?",
        SqliteOutbox::read, at, at, SqliteTx.limit(limit));
    if (claimed.isEmpty()) {
      return claimed;
    }
    List<Object> args = new ArrayList<>(List.of(node, SqliteTx.millis(now.plus(lease))));
    claimed.forEach(item -> args.add(item.id()));
    tx.update("UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN ("
        + String.join(", ", Collections.nCopies(claimed.size(), "?")) + ")", args.toArray());
    return claimed;
  }

  @Override
  public Optional<Instant> nextDue() {
    // SQLite's two-argument max() is the larger of the two, the aggregate min() the earliest over the heads
    return tx.first("SELECT min(max(next_attempt_at, coalesce(lease_until, next_attempt_at))) AS next" + HEADS,
        row -> SqliteTx.instant(row, "next"));
  }

  /**
   * An item no longer stored (a reset removed it while it was being delivered) is left alone. Finished items
   * (DELIVERED, FAILED) are kept for the newest {@code journalRetention} ids only: every {@value #TRIM_EVERY}th
   * finished id trims the older finished ones, so the table stays bounded while PENDING items are never touched.
   */
  @Override
  public void update(OutboxItem item) {
    tx.update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, status = ?, lease_owner = NULL,"
            + " lease_until = NULL WHERE id = ?",
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
