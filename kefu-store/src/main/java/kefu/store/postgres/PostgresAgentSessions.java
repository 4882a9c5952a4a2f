package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.AgentSession;
import kefu.store.AgentSessionState;
import kefu.store.AgentSessions;

/** Agent sessions. Users who started waiting in the same millisecond queue in the order they were first put. */
record PostgresAgentSessions(PostgresTx tx) implements AgentSessions {
  private static final String COLUMNS = "appid, openid, state, agent, waiting_since, accepted_at, last_activity_at";

  @Override
  public Optional<AgentSession> find(String appid, String openid) {
    return tx.first("SELECT " + COLUMNS + " FROM agent_sessions WHERE appid = ? AND openid = ?"
        + tx.lockForUpdate(), PostgresAgentSessions::read, appid, openid);
  }

  @Override
  public void put(AgentSession session) {
    tx.update("INSERT INTO agent_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO UPDATE SET state = excluded.state, agent = excluded.agent,"
            + " waiting_since = excluded.waiting_since, accepted_at = excluded.accepted_at,"
            + " last_activity_at = excluded.last_activity_at",
        session.appid(), session.openid(), session.state().name(), session.agent(),
        PostgresTx.millis(session.waitingSince()), PostgresTx.millis(session.acceptedAt()),
        PostgresTx.millis(session.lastActivityAt()));
  }

  @Override
  public void delete(String appid, String openid) {
    tx.update("DELETE FROM agent_sessions WHERE appid = ? AND openid = ?", appid, openid);
  }

  @Override
  public List<AgentSession> list(String appid, AgentSessionState state) {
    return tx.list("SELECT " + COLUMNS + " FROM agent_sessions WHERE appid = ? AND state = ?"
        + " ORDER BY waiting_since, seq", PostgresAgentSessions::read, appid, state.name());
  }

  @Override
  public List<AgentSession> idleSince(Instant cutoff) {
    return tx.list("SELECT " + COLUMNS + " FROM agent_sessions WHERE state = ? AND last_activity_at <= ?"
            + " ORDER BY last_activity_at, seq", PostgresAgentSessions::read, AgentSessionState.ACTIVE.name(),
        PostgresTx.millis(cutoff));
  }

  private static AgentSession read(ResultSet row) throws SQLException {
    return new AgentSession(row.getString("appid"), row.getString("openid"),
        AgentSessionState.valueOf(row.getString("state")), row.getString("agent"),
        PostgresTx.instant(row, "waiting_since"), PostgresTx.instant(row, "accepted_at"),
        PostgresTx.instant(row, "last_activity_at"));
  }
}
