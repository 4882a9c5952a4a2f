package kefu.store.sqlite;

import java.util.List;
import kefu.protocol.fault.FaultMark;
import kefu.store.Journal;
import kefu.store.JournalEntry;
import kefu.store.JournalQuery;

/**
 * The bounded journal. Ids are consecutive, so "the newest {@code retention}" is {@code id > max(id) - retention}:
 * queries apply that bound exactly, and every {@value #TRIM_EVERY}th append deletes what fell below it, so the
 * table holds fewer than {@code retention + TRIM_EVERY} rows.
 */
record SqliteJournal(SqliteTx tx) implements Journal {
  static final int TRIM_EVERY = 100;
  private static final String COLUMNS = "at, method, path, appid, openid, errcode, latency_micros, rid, fault_rule,"
      + " fault";

  @Override
  public void append(JournalEntry entry) {
    long id = tx.insert("INSERT INTO journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        SqliteTx.millis(entry.at()), entry.method(), entry.path(), entry.appid(), entry.openid(), entry.errcode(),
        entry.latencyMicros(), entry.rid(), entry.fault().rule(), entry.fault().effect());
    if (id % TRIM_EVERY == 0) {
      tx.update("DELETE FROM journal WHERE id <= ?", id - tx.journalRetention());
    }
  }

  @Override
  public List<JournalEntry> query(JournalQuery query) {
    return tx.list("SELECT id, " + COLUMNS + " FROM journal"
            + " WHERE id > (SELECT coalesce(max(id), 0) FROM journal) - ?1"
            + " AND (?2 IS NULL OR appid = ?2) AND (?3 IS NULL OR path = ?3) AND (?4 IS NULL OR errcode = ?4)"
            + " ORDER BY id DESC LIMIT ?5",
        row -> new JournalEntry(row.getLong("id"), SqliteTx.instant(row, "at"), row.getString("method"),
            row.getString("path"), row.getString("appid"), row.getString("openid"), row.getInt("errcode"),
            row.getLong("latency_micros"), row.getString("rid"),
            new FaultMark(row.getLong("fault_rule"), row.getString("fault"))),
        tx.journalRetention(), query.appid(), query.path(), query.errcode(), query.limit());
  }
}
