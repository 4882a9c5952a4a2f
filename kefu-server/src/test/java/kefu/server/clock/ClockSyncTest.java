package kefu.server.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import kefu.store.Store;
import kefu.store.sqlite.SqliteOptions;
import kefu.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moves of the deployment's clock. */
class ClockSyncTest {
  @TempDir
  Path dir;

  @Test
  void no_request_reads_a_moved_time_before_the_store_keeps_it() {
    KefuClock clock = KefuClock.system();
    clock.freeze(true);
    Instant before = clock.instant();
    AtomicReference<Instant> readWhileStoring = new AtomicReference<>();
    try (SqliteStore store = SqliteStore.open(dir, SqliteOptions.DEFAULTS)) {
      Store watched = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
          (proxy, method, args) -> {
            if (method.getName().equals("inTransaction")) {
              readWhileStoring.set(clock.instant());
            }
            try {
              return method.invoke(store, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      new ClockSync(watched, clock, () -> {}).move(moved -> moved.advance(Duration.ofHours(48)));
      assertThat(readWhileStoring.get()).as("the time a request read while the move was being stored")
          .isEqualTo(before);
      assertThat(clock.instant()).isEqualTo(before.plus(Duration.ofHours(48)));
      assertThat(store.read(tx -> tx.clock().get()).orElseThrow().frozenAtMillis())
          .isEqualTo(before.plus(Duration.ofHours(48)).toEpochMilli());
    }
  }
}
