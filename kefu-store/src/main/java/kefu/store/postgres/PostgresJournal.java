package kefu.store.postgres;

import java.util.List;
import kefu.protocol.fault.FaultMark;
import kefu.store.Journal;
import kefu.store.JournalEntry;
import kefu.store.JournalQuery;

/**
 * The bounded journal, kept as on SQLite: "the newest {@code retention}" is {@code id > max(id) - retention}, queries
 * apply that bound, and every {@value #TRIM_EVERY}th id deletes what fell below it. Ids come from one sequence for
 * every node; an append rolled back leaves a gap, so a query may show slightly fewer than {@code retention}.
 */
record PostgresJournal(PostgresTx tx) implements Journal {
  static final int TRIM_EVERY = 100;
  private static final String COLUMNS = "at, method, path, appid, openid, errcode, latency_micros, rid, fault_rule,"
      + " fault";

  @Override
  public void append(JournalEntry entry) {
    long id = tx.insert("INSERT INTO journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        PostgresTx.millis(entry.at()), entry.method(), entry.path(), entry.appid(), entry.openid(), entry.errcode(),
        entry.latencyMicros(), entry.rid(), entry.fault().rule(), entry.fault().effect());
    if (id % TRIM_EVERY == 0) {
      tx.update("DELETE FROM journal WHERE id <= ?", id - tx.journalRetention());
    }
  }

  @Override
  public List<JournalEntry> query(JournalQuery query) {
    return tx.list("SELECT id, " + COLUMNS + " FROM journal"
            + " WHERE id > (SELECT coalesce(max(id), 0) FROM journal) - ?"
            + " AND (?::text IS NULL OR appid = ?) AND (?::text IS NULL OR path = ?)"
            + " AND (?::integer IS NULL OR errcode = ?)"
            + " ORDER BY id DESC LIMIT ?",
        row -> new JournalEntry(row.getLong("id"), PostgresTx.instant(row, "at"), row.getString("method"),
            row.getString("path"), row.getString("appid"), row.getString("openid"), row.getInt("errcode"),
            row.getLong("latency_micros"), row.getString("rid"),
            new FaultMark(row.getLong("fault_rule"), row.getString("fault"))),
        tx.journalRetention(), query.appid(), query.appid(), query.path(), query.path(), query.errcode(),
        query.errcode(), query.limit());
  }
}
