package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.fault.FaultCodec;
import kefu.protocol.fault.FaultRule;
import kefu.store.FaultRules;

/**
 * Fault rules. {@link #use} is one conditional UPDATE: the use count goes up only while the rule is live, so
 * concurrent uses together take exactly what the rule allows.
 */
record PostgresFaultRules(PostgresTx tx) implements FaultRules {
  private static final String FIELDS = "path, appid, openid, effect, use_limit, expires_at, used, created_at";
  private static final String COLUMNS = "id, " + FIELDS;

  @Override
  public FaultRule add(FaultRule rule) {
    long id = tx.insert("INSERT INTO fault_rules (" + FIELDS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        rule.path(), rule.appid(), rule.openid(), FaultCodec.writeEffect(rule.effect()), rule.count(),
        PostgresTx.millis(rule.expiresAt()), rule.used(), PostgresTx.millis(rule.createdAt()));
    return rule.withId(id);
  }

  @Override
  public List<FaultRule> all() {
    return tx.list("SELECT " + COLUMNS + " FROM fault_rules ORDER BY id", PostgresFaultRules::read);
  }

  @Override
  public boolean remove(long id) {
    return tx.update("DELETE FROM fault_rules WHERE id = ?", id) > 0;
  }

  @Override
  public int removeAll() {
    return tx.update("DELETE FROM fault_rules");
  }

  @Override
  public Optional<FaultRule> use(long id, Instant now) {
    return tx.first("UPDATE fault_rules SET used = used + 1 WHERE id = ?"
            + " AND (use_limit IS NULL OR used < use_limit) AND (expires_at IS NULL OR expires_at > ?)"
            + " RETURNING " + COLUMNS, PostgresFaultRules::read, id, PostgresTx.millis(now));
  }

  private static FaultRule read(ResultSet row) throws SQLException {
    int limit = row.getInt("use_limit");
    Integer count = row.wasNull() ? null : limit;
    return new FaultRule(row.getLong("id"), row.getString("path"), row.getString("appid"), row.getString("openid"),
        FaultCodec.readEffect(row.getString("effect")), count, PostgresTx.instant(row, "expires_at"), row.getInt("used"),
        PostgresTx.instant(row, "created_at"));
  }
}
