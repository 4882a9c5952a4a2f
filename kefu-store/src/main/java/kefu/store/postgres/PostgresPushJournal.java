package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import kefu.protocol.fault.FaultMark;
import kefu.store.PushAttempt;
import kefu.store.PushJournal;

/** The bounded push journal, kept like {@link PostgresJournal} and with its retention. */
record PostgresPushJournal(PostgresTx tx) implements PushJournal {
  private static final String COLUMNS = "outbox_id, appid, openid, msg_id, attempt, at, url, query_string,"
      + " request_headers, request_body, canonical, signature, msg_canonical, msg_signature, plaintext, status,"
      + " response_body, latency_micros, outcome, reason, fault_rule, fault";

  @Override
  public void append(PushAttempt a) {
    long id = tx.insert("INSERT INTO push_attempts (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        a.outboxId(), a.appid(), a.openid(), a.msgId(), a.attempt(), PostgresTx.millis(a.at()), a.url(), a.query(),
        a.requestHeaders(), a.requestBody(), a.canonical(), a.signature(), a.msgCanonical(), a.msgSignature(),
        a.plaintext(), a.status(), a.responseBody(), a.latencyMicros(), a.outcome(), a.reason(),
        a.fault().rule(), a.fault().effect());
    if (id % PostgresJournal.TRIM_EVERY == 0) {
      tx.update("DELETE FROM push_attempts WHERE id <= ?", id - tx.journalRetention());
    }
  }

  @Override
  public List<PushAttempt> query(String appid, String openid, String outcome, int limit) {
    return tx.list("SELECT id, " + COLUMNS + " FROM push_attempts"
            + " WHERE id > (SELECT coalesce(max(id), 0) FROM push_attempts) - ?"
            + " AND appid = ? AND (?::text IS NULL OR openid = ?) AND (?::text IS NULL OR outcome = ?)"
            + " ORDER BY id DESC LIMIT ?",
        PostgresPushJournal::read, tx.journalRetention(), appid, openid, openid, outcome, outcome,
        PostgresTx.limit(limit));
  }

  private static PushAttempt read(ResultSet row) throws SQLException {
    return new PushAttempt(row.getLong("id"), row.getLong("outbox_id"), row.getString("appid"),
        row.getString("openid"), row.getLong("msg_id"), row.getInt("attempt"), PostgresTx.instant(row, "at"),
        row.getString("url"), row.getString("query_string"), row.getString("request_headers"),
        row.getString("request_body"), row.getString("canonical"), row.getString("signature"),
        row.getString("msg_canonical"), row.getString("msg_signature"), row.getString("plaintext"),
        row.getInt("status"), row.getString("response_body"), row.getLong("latency_micros"),
        row.getString("outcome"), row.getString("reason"),
        new FaultMark(row.getLong("fault_rule"), row.getString("fault")));
  }
}
