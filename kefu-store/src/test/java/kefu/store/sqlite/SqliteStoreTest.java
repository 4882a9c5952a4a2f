package kefu.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kefu.protocol.fault.FaultMark;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.push.PushSettings;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.protocol.window.WindowRules;
import kefu.store.App;
import kefu.store.JournalEntry;
import kefu.store.JournalQuery;
import kefu.store.Store;
import kefu.store.StoreContract;
import kefu.store.Tx;
import kefu.store.Windows;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

class SqliteStoreTest extends StoreContract {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Override
  protected Store open(Path dir) {
    return SqliteStore.open(dir, SqliteOptions.DEFAULTS.withJournalRetention(JOURNAL_RETENTION));
  }

  @Override
  protected int connectionsInUse(Store store) {
    return ((SqliteStore) store).readConnectionsInUse();
  }

  private SqliteStore sqlite() {
    return (SqliteStore) store;
  }

  @Test
  void the_data_is_one_wal_mode_file_named_kefu_db_in_a_directory_created_on_demand() throws Exception {
    Path nested = dir.resolve("deeper/data");
    try (SqliteStore other = SqliteStore.open(nested, SqliteOptions.DEFAULTS)) {
      other.inTransaction(tx -> {
        tx.apps().put(app(APP));
        return null;
      });
      assertThat(nested.resolve("kefu.db")).isRegularFile();
      assertThat(nested.resolve("kefu.db-wal")).exists();
    }
    assertThat(query(nested, "PRAGMA journal_mode")).containsExactly("wal");
    assertThat(query(nested, "SELECT appid FROM apps")).containsExactly(APP);
  }

  @Test
  void the_schema_is_migrated_by_flyway_once() throws Exception {
    reopen();
    store.close();

    assertThat(query(dir, "SELECT version || ':' || success FROM flyway_schema_history WHERE version IS NOT NULL"))
        .containsExactly("1:1", "2:1", "3:1", "4:1", "4.1:1", "5:1");
  }

  @Test
  void an_app_stored_before_push_settings_existed_reads_back_with_none() throws Exception {
    Path old = storedAt("1", "INSERT INTO apps VALUES ('" + APP + "', 'secret', 'gh_a', 'seed', 1, 30, 5, 172800, 1)");

    try (SqliteStore migrated = SqliteStore.open(old, SqliteOptions.DEFAULTS)) {
      App app = migrated.read(tx -> tx.apps().find(APP)).orElseThrow();
      assertThat(app.push()).isEqualTo(PushSettings.NONE);
      assertThat(app.limits()).isEqualTo(ApiLimits.OFF);
      assertThat(app.secret().matches("secret")).isTrue();
    }
  }

  @Test
  void a_journal_entry_written_before_fault_injection_existed_reads_back_unmarked() throws Exception {
    Path old = storedAt("3", "INSERT INTO journal (at, method, path, appid, openid, errcode, latency_micros, rid)"
        + " VALUES (0, 'GET', '/cgi-bin/token', '" + APP + "', '', 0, 10, 'r1')");

    try (SqliteStore migrated = SqliteStore.open(old, SqliteOptions.DEFAULTS)) {
      assertThat(migrated.read((Tx tx) -> tx.journal().query(new JournalQuery(null, null, null, 10))))
          .extracting(JournalEntry::rid, JournalEntry::fault).containsExactly(tuple("r1", FaultMark.NONE));
    }
  }

  @Test
  void secrets_stored_in_clear_before_v4_are_replaced_by_their_salted_hashes() throws Exception {
    Path old = storedAt("3", "INSERT INTO apps (appid, secret, original_id, rules_name, enter_count, enter_seconds,"
        + " message_count, message_seconds, customer_service_allowed) VALUES"
        + " ('wx-a', 'first-secret', 'gh_a', 'seed', 1, 30, 5, 172800, 1),"
        + " ('wx-b', 'first-secret', 'gh_b', 'seed', 1, 30, 5, 172800, 1)");

    try (SqliteStore migrated = SqliteStore.open(old, SqliteOptions.DEFAULTS)) {
      App a = migrated.read(tx -> tx.apps().find("wx-a")).orElseThrow();
      App b = migrated.read(tx -> tx.apps().find("wx-b")).orElseThrow();
      assertThat(a.secret().matches("first-secret")).isTrue();
      assertThat(b.secret().matches("first-secret")).isTrue();
      assertThat(a.secret()).as("each row has its own salt").isNotEqualTo(b.secret());
    }
    assertThat(query(old, "SELECT secret FROM apps")).allSatisfy(secret ->
        assertThat(secret).startsWith("sha256:").doesNotContain("first-secret"));
  }

  /** A new data directory whose schema is migrated to {@code version} only, holding what {@code insert} wrote. */
  private Path storedAt(String version, String insert) throws Exception {
    Path old = dir.resolve("v" + version);
    Files.createDirectories(old);
    String url = "jdbc:sqlite:" + old.resolve(SqliteStore.FILE_NAME);
    SQLiteDataSource before = new SQLiteDataSource();
    before.setUrl(url);
    Flyway.configure(SqliteStore.class.getClassLoader()).dataSource(before).locations("classpath:db/sqlite")
        .target(MigrationVersion.fromVersion(version)).load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate(insert);
    }
    return old;
  }

  @Test
  void work_runs_on_the_thread_named_store_writer() {
    assertThat(store.inTransaction((Tx tx) -> Thread.currentThread().getName())).isEqualTo("store-writer");
  }

  @Test
  void msg_ids_look_like_wechat_msg_ids() {
    long msgId = append(APP, "o-alice", "hi").msgId();

    assertThat(msgId).isGreaterThan(SqliteMessages.MSG_ID_BASE);
    assertThat(Long.toString(msgId)).hasSize(17);
  }

  @Test
  void one_failing_item_of_a_group_leaves_the_others_of_that_group_committed() throws Exception {
    Map<String, Long> groupOf = new ConcurrentHashMap<>();
    IllegalStateException boom = new IllegalStateException("boom");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch release = holdTheWriter(threads);
      Future<?> first = threads.submit(() -> putWindow(groupOf, "o-first", null));
      Future<?> failing = threads.submit(() -> putWindow(groupOf, "o-failing", boom));
      Future<?> last = threads.submit(() -> putWindow(groupOf, "o-last", null));
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> sqlite().queued() == 3);
      release.countDown();

      first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      last.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThatThrownBy(() -> failing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
    }

    assertThat(groupOf).hasSize(3);
    assertThat(groupOf.values()).as("all three ran in one group commit").containsOnly(groupOf.get("o-first"));
    store.read(tx -> {
      assertThat(tx.windows().find(APP, "o-first").remaining()).isEqualTo(5);
      assertThat(tx.windows().find(APP, "o-failing")).isEqualTo(Window.NONE);
      assertThat(tx.windows().find(APP, "o-last").remaining()).isEqualTo(5);
      return null;
    });
  }

  @Test
  void when_the_group_transaction_is_lost_every_item_of_the_group_fails_and_none_is_written() throws Exception {
    Map<String, Long> groupOf = new ConcurrentHashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch release = holdTheWriter(threads);
      Future<?> first = threads.submit(() -> putWindow(groupOf, "o-first", null));
      // ends the group's transaction behind the writer's back, as an I/O error would
      Future<?> saboteur = threads.submit(() -> store.inTransaction(tx -> ((SqliteTx) tx).update("ROLLBACK")));
      Future<?> last = threads.submit(() -> putWindow(groupOf, "o-last", null));
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> sqlite().queued() == 3);
      release.countDown();

      for (Future<?> item : List.of(first, saboteur, last)) {
        assertThatThrownBy(() -> item.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SqliteException.class);
      }
    }

    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-first"))).isEqualTo(Window.NONE);
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-last"))).isEqualTo(Window.NONE);
    assertThat(store.inTransaction((Tx tx) -> "the next group works")).isEqualTo("the next group works");
  }

  private String putWindow(Map<String, Long> groupOf, String openid, RuntimeException failure) {
    return store.inTransaction(tx -> {
      groupOf.put(openid, sqlite().commits());
      tx.windows().put(APP, openid, new Window(5, T0.plusSeconds(60), Trigger.MESSAGE));
      if (failure != null) {
        throw failure;
      }
      return openid;
    });
  }

  @Test
  void a_group_never_holds_more_than_max_batch_items_and_close_commits_the_queue() throws Exception {
    Path small = dir.resolve("small");
    SqliteStore limited = SqliteStore.open(small, new SqliteOptions(JOURNAL_RETENTION, 4));
    List<Long> groupOf = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch release = holdTheWriter(threads, limited);
      for (int i = 0; i < 10; i++) {
        String openid = "o-" + i;
        // submitted work runs on the writer, one item after another: the list needs no lock
        limited.submit(tx -> {
          groupOf.add(limited.commits());
          tx.windows().put(APP, openid, new Window(1, T0.plusSeconds(60), Trigger.ENTER));
        });
      }
      Future<?> closing = threads.submit(limited::close);
      // close queues its stop marker behind the ten and waits for the writer
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> limited.queued() == 11);
      release.countDown();
      closing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    long firstGroup = groupOf.getFirst();
    assertThat(groupOf).containsExactly(firstGroup, firstGroup, firstGroup, firstGroup,
        firstGroup + 1, firstGroup + 1, firstGroup + 1, firstGroup + 1, firstGroup + 2, firstGroup + 2);
    assertThat(query(small, "SELECT count(*) FROM windows")).containsExactly("10");
  }

  @Test
  void callers_wait_for_room_when_the_queue_is_full() throws Exception {
    Path small = dir.resolve("tiny");
    // a batch of one leaves room for four queued jobs
    try (SqliteStore tiny = SqliteStore.open(small, new SqliteOptions(JOURNAL_RETENTION, 1));
         ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch release = holdTheWriter(threads, tiny);
      for (int i = 0; i < 4; i++) {
        String openid = "o-" + i;
        tiny.submit(tx -> tx.windows().put(APP, openid, Window.NONE));
      }
      AtomicReference<Thread> fifth = new AtomicReference<>();
      Future<?> blocked = threads.submit(() -> {
        fifth.set(Thread.currentThread());
        tiny.submit(tx -> tx.windows().put(APP, "o-4", Window.NONE));
      });
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
          .until(() -> fifth.get() != null && fifth.get().getState() == Thread.State.WAITING);
      assertThat(blocked).isNotDone();
      assertThat(tiny.queued()).isEqualTo(4);

      release.countDown();
      blocked.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(tiny.inTransaction((Tx tx) -> tx.windows().find(APP, "o-4"))).isEqualTo(Window.NONE);
    }
    assertThat(query(small, "SELECT count(*) FROM windows")).containsExactly("5");
  }

  @Test
  void a_read_cannot_write() {
    assertThatThrownBy(() -> store.read(tx -> {
      tx.apps().put(app(APP));
      return null;
    })).isInstanceOf(SqliteException.class);
    assertThat(store.read((Tx tx) -> tx.apps().all())).isEmpty();
  }

  @Test
  void store_calls_from_inside_work_are_refused() {
    assertThatThrownBy(() -> store.inTransaction(tx -> store.inTransaction(inner -> null)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.inTransaction(tx -> store.read(inner -> null)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.inTransaction(tx -> {
      store.close();
      return null;
    })).isInstanceOf(IllegalStateException.class);
    assertThat(store.inTransaction((Tx tx) -> "still working")).isEqualTo("still working");
  }

  @Test
  void a_tx_kept_past_its_callback_fails() {
    Windows kept = store.inTransaction(Tx::windows);
    Windows keptFromRead = store.read(Tx::windows);

    assertThatThrownBy(() -> kept.find(APP, "o-alice")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> keptFromRead.find(APP, "o-alice")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_rule_duration_finer_than_a_second_is_refused_rather_than_rounded() {
    WindowRules fine = new WindowRules("fine", new Allowance(1, Duration.ofMillis(1500)),
        new Allowance(5, Duration.ofHours(48)));

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      tx.apps().put(app(APP).withRules(fine));
      return null;
    })).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_journal_table_is_trimmed_as_entries_arrive() throws Exception {
    int appended = JOURNAL_RETENTION + 4 * SqliteJournal.TRIM_EVERY + 3;
    for (int i = 0; i < appended; i++) {
      var entry = entry(APP, "/cgi-bin/token", 0, "r" + i);
      store.submit(tx -> tx.journal().append(entry));
    }
    store.close();

    long rows = Long.parseLong(query(dir, "SELECT count(*) FROM journal").getFirst());
    assertThat(rows).isBetween((long) JOURNAL_RETENTION, (long) JOURNAL_RETENTION + SqliteJournal.TRIM_EVERY);
  }

  @Test
  void the_push_journal_table_is_trimmed_as_attempts_arrive() throws Exception {
    int appended = JOURNAL_RETENTION + 4 * SqliteJournal.TRIM_EVERY + 3;
    for (int i = 0; i < appended; i++) {
      var attempt = attempt(APP, "o-alice", "delivered", i);
      store.submit(tx -> tx.pushJournal().append(attempt));
    }
    store.close();

    long rows = Long.parseLong(query(dir, "SELECT count(*) FROM push_attempts").getFirst());
    assertThat(rows).isBetween((long) JOURNAL_RETENTION, (long) JOURNAL_RETENTION + SqliteJournal.TRIM_EVERY);
  }

  @Test
  void due_pushes_are_found_through_the_pending_index_without_scanning_the_outbox() throws Exception {
    store.close();

    List<String> plan = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kefu.db"));
         PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + SqliteOutbox.DUE);
         ResultSet rows = explain.executeQuery()) {
      while (rows.next()) {
        plan.add(rows.getString("detail"));
      }
    }
    assertThat(plan).anySatisfy(step -> assertThat(step).contains("COVERING INDEX outbox_by_user (status=?)"))
        .noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
  }

  @Test
  void options_are_validated_with_the_property_named() {
    assertThatThrownBy(() -> new SqliteOptions(0, 256)).hasMessageContaining("journalRetention");
    assertThatThrownBy(() -> SqliteOptions.DEFAULTS.withMaxBatch(0)).hasMessageContaining("maxBatch");
  }

  /** Blocks the writer inside a work item until the returned latch is opened. */
  private CountDownLatch holdTheWriter(ExecutorService threads) {
    return holdTheWriter(threads, sqlite());
  }

  private static CountDownLatch holdTheWriter(ExecutorService threads, SqliteStore target) {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    threads.submit(() -> target.inTransaction(tx -> {
      held.countDown();
      awaitLatch(release);
      return null;
    }));
    awaitLatch(held);
    return release;
  }

  /** One column of every row, read over a separate plain connection. */
  private static List<String> query(Path dataDir, String sql) throws SQLException {
    assertThat(Files.exists(dataDir.resolve("kefu.db"))).isTrue();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("kefu.db"));
         Statement s = c.createStatement();
         ResultSet rows = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }
}
