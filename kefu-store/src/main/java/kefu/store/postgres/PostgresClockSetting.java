package kefu.store.postgres;

import java.util.Optional;
import kefu.store.ClockSetting;
import kefu.store.ClockState;

/** The clock's one row (id 1). */
record PostgresClockSetting(PostgresTx tx) implements ClockSetting {
  @Override
  public Optional<ClockState> get() {
    return tx.first("SELECT offset_millis, frozen_at_millis FROM clock WHERE id = 1", row -> {
      long offset = row.getLong("offset_millis");
      long frozen = row.getLong("frozen_at_millis");
      return new ClockState(offset, row.wasNull() ? null : frozen);
    });
  }

  @Override
  public void put(ClockState state) {
    tx.update("INSERT INTO clock (id, offset_millis, frozen_at_millis) VALUES (1, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET offset_millis = excluded.offset_millis,"
            + " frozen_at_millis = excluded.frozen_at_millis",
        state.offsetMillis(), state.frozenAtMillis());
  }
}
