package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import kefu.store.Agent;
import kefu.store.AgentStatus;
import kefu.store.Agents;

record PostgresAgents(PostgresTx tx) implements Agents {
  private static final String COLUMNS = "appid, account, nickname, status, created_at";

  @Override
  public Optional<Agent> find(String appid, String account) {
    return tx.first("SELECT " + COLUMNS + " FROM agents WHERE appid = ? AND account = ?" + tx.lockForUpdate(),
        PostgresAgents::read, appid, account);
  }

  @Override
  public List<Agent> list(String appid) {
    return tx.list("SELECT " + COLUMNS + " FROM agents WHERE appid = ? ORDER BY account", PostgresAgents::read,
        appid);
  }

  @Override
  public void put(Agent agent) {
    tx.update("INSERT INTO agents (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid, account) DO UPDATE SET nickname = excluded.nickname, status = excluded.status,"
            + " created_at = excluded.created_at",
        agent.appid(), agent.account(), agent.nickname(), agent.status().name(),
        PostgresTx.millis(agent.createdAt()));
  }

  private static Agent read(ResultSet row) throws SQLException {
    return new Agent(row.getString("appid"), row.getString("account"), row.getString("nickname"),
        AgentStatus.valueOf(row.getString("status")), PostgresTx.instant(row, "created_at"));
  }
}
