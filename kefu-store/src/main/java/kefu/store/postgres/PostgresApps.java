package kefu.store.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kefu.protocol.limit.ApiLimitsCodec;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import kefu.store.App;
import kefu.store.Apps;

/**
 * Apps. {@code find} takes no lock: nearly every transaction reads its app, and none decides on it and puts it
 * back.
 */
record PostgresApps(PostgresTx tx) implements Apps {
  private static final String COLUMNS = "appid, secret, original_id, rules_name, enter_count, enter_seconds,"
      + " message_count, message_seconds, customer_service_allowed,"
      + " push_url, push_token, push_aes_key, push_format, push_mode, push_enabled, api_limits";

  @Override
  public Optional<App> find(String appid) {
    return tx.first("SELECT " + COLUMNS + " FROM apps WHERE appid = ?", PostgresApps::read, appid);
  }

  @Override
  public List<App> all() {
    return tx.list("SELECT " + COLUMNS + " FROM apps ORDER BY appid", PostgresApps::read);
  }

  @Override
  public void put(App app) {
    WindowRules rules = app.rules();
    PushSettings push = app.push();
    tx.update("INSERT INTO apps (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (appid) DO UPDATE SET secret = excluded.secret, original_id = excluded.original_id,"
            + " rules_name = excluded.rules_name, enter_count = excluded.enter_count,"
            + " enter_seconds = excluded.enter_seconds, message_count = excluded.message_count,"
            + " message_seconds = excluded.message_seconds,"
            + " customer_service_allowed = excluded.customer_service_allowed,"
            + " push_url = excluded.push_url, push_token = excluded.push_token,"
            + " push_aes_key = excluded.push_aes_key, push_format = excluded.push_format,"
            + " push_mode = excluded.push_mode, push_enabled = excluded.push_enabled,"
            + " api_limits = excluded.api_limits",
        app.appid(), app.secret().encoded(), app.originalId(), rules.name(),
        rules.onEnter().count(), seconds(rules.onEnter().duration()),
        rules.onMessage().count(), seconds(rules.onMessage().duration()),
        app.customerServiceAllowed(),
        push.url(), push.token(), push.encodingAesKey(), push.format().name(), push.mode().name(), push.enabled(),
        ApiLimitsCodec.toText(app.limits()));
  }

  /** Whole seconds: the columns hold nothing finer, and rounding a rule silently would be a bug. */
  private static long seconds(Duration duration) {
    if (duration.getNano() != 0) {
      throw new IllegalArgumentException("window rule durations are stored in whole seconds, was " + duration);
    }
    return duration.getSeconds();
  }

  private static App read(ResultSet row) throws SQLException {
    WindowRules rules = new WindowRules(row.getString("rules_name"),
        new Allowance(row.getInt("enter_count"), Duration.ofSeconds(row.getLong("enter_seconds"))),
        new Allowance(row.getInt("message_count"), Duration.ofSeconds(row.getLong("message_seconds"))));
    PushSettings push = new PushSettings(row.getString("push_url"), row.getString("push_token"),
        row.getString("push_aes_key"), PushFormat.valueOf(row.getString("push_format")),
        PushMode.valueOf(row.getString("push_mode")), row.getBoolean("push_enabled"));
    // the null object itself, so that an app without push settings reads back exactly as it was put
    return new App(row.getString("appid"), new SecretHash(row.getString("secret")), row.getString("original_id"),
        rules, row.getBoolean("customer_service_allowed"), push.equals(PushSettings.NONE) ? PushSettings.NONE : push,
        ApiLimitsCodec.fromText(row.getString("api_limits")));
  }
}
