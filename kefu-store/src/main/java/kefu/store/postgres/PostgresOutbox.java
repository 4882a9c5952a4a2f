package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kefu.store.Outbox;
import kefu.store.OutboxItem;
import kefu.store.OutboxStatus;

/**
 * The outbox. A user's head is their lowest-id PENDING item; {@link #HEADS} finds every head through the partial
 * index {@code outbox_pending} (appid, openid, id WHERE PENDING), never touching finished rows.
 *
 * <p>{@link #claim} is one statement: it locks the due, unleased heads with {@code FOR UPDATE SKIP LOCKED} (a head
 * another node is claiming right now is skipped, not waited for) and leases them. When another transaction changed
 * a head after this statement's snapshot, PostgreSQL re-checks the status, due time and lease on the newest version
 * before locking, so a head just leased or finished elsewhere is left out; the head that may have become due behind
 * it waits for the next claim.
 */
record PostgresOutbox(PostgresTx tx) implements Outbox {
  private static final String FIELDS = "appid, openid, event, msg_id, created_at, attempts, next_attempt_at, status";
  private static final String COLUMNS = "id, " + FIELDS;
  private static final String PENDING = "'" + OutboxStatus.PENDING.name() + "'";
  private static final int TRIM_EVERY = 100;
  /** Each user's oldest PENDING item; the outer status test is what a re-check after a concurrent change sees. */
  private static final String HEADS = " FROM outbox WHERE status = " + PENDING + " AND id IN (SELECT min(id)"
      + " FROM outbox WHERE status = " + PENDING + " GROUP BY appid, openid)";
  private static final Comparator<OutboxItem> LONGEST_DUE_FIRST =
      Comparator.comparing(OutboxItem::nextAttemptAt).thenComparingLong(OutboxItem::id);

  @Override
  public OutboxItem enqueue(String appid, String openid, String event, long msgId, Instant at) {
    // made first: the record refuses a null before anything is written
    OutboxItem item = new OutboxItem(0, appid, openid, event, msgId, at, 0, at, OutboxStatus.PENDING);
    long id = tx.insert("INSERT INTO outbox (" + FIELDS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        item.appid(), item.openid(), item.event(), item.msgId(), PostgresTx.millis(item.createdAt()),
        item.attempts(), PostgresTx.millis(item.nextAttemptAt()), item.status().name());
    return new OutboxItem(id, appid, openid, event, msgId, at, item.attempts(), at, item.status());
  }

  @Override
  public Optional<OutboxItem> find(long id) {
    return tx.first("SELECT " + COLUMNS + " FROM outbox WHERE id = ?", PostgresOutbox::read, id);
  }

  @Override
  public List<OutboxItem> due(Instant now, int limit) {
    return tx.list("SELECT " + COLUMNS + HEADS + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        PostgresOutbox::read, PostgresTx.millis(now), PostgresTx.limit(limit));
  }

  @Override
  public List<OutboxItem> claim(Instant now, Duration lease, String node, int limit) {
    Objects.requireNonNull(node, "node");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, was " + lease);
    }
    Long at = PostgresTx.millis(now);
    List<OutboxItem> claimed = tx.list("WITH claimable AS (SELECT id" + HEADS + " AND next_attempt_at <= ?"
            + " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?"
            + " FOR UPDATE SKIP LOCKED)"
            + " UPDATE outbox o SET lease_owner = ?, lease_until = ? FROM claimable WHERE o.id = claimable.id"
            + " RETURNING o." + COLUMNS.replace(", ", ", o."),
        PostgresOutbox::read, at, at, PostgresTx.limit(limit), node, PostgresTx.millis(now.plus(lease)));
    // RETURNING follows no ORDER BY
    return claimed.stream().sorted(LONGEST_DUE_FIRST).toList();
  }

  @Override
  public Optional<Instant> nextDue() {
    return tx.first("SELECT min(greatest(next_attempt_at, lease_until)) AS next" + HEADS,
        row -> PostgresTx.instant(row, "next"));
  }

  /**
   * An item no longer stored (a reset removed it while it was being delivered) is left alone. Finished items
   * (DELIVERED, FAILED) are kept for the newest {@code journalRetention} ids only, trimmed as on SQLite.
   */
  @Override
  public void update(OutboxItem item) {
    tx.update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, status = ?, lease_owner = NULL,"
            + " lease_until = NULL WHERE id = ?",
        item.attempts(), PostgresTx.millis(item.nextAttemptAt()), item.status().name(), item.id());
    if (item.status() != OutboxStatus.PENDING && item.id() % TRIM_EVERY == 0) {
      tx.update("DELETE FROM outbox WHERE id <= ? AND status <> " + PENDING, item.id() - tx.journalRetention());
    }
  }

  @Override
  public List<OutboxItem> pending(String appid, int limit) {
    return tx.list("SELECT " + COLUMNS + " FROM outbox WHERE status = " + PENDING + " AND appid = ?"
        + " ORDER BY id LIMIT ?", PostgresOutbox::read, appid, PostgresTx.limit(limit));
  }

  private static OutboxItem read(ResultSet row) throws SQLException {
    return new OutboxItem(row.getLong("id"), row.getString("appid"), row.getString("openid"),
        row.getString("event"), row.getLong("msg_id"), PostgresTx.instant(row, "created_at"),
        row.getInt("attempts"), PostgresTx.instant(row, "next_attempt_at"),
        OutboxStatus.valueOf(row.getString("status")));
  }
}
