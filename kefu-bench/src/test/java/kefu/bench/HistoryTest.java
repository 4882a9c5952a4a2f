package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.send.Message;
import kefu.store.Direction;
import kefu.store.StoredMessage;
import kefu.store.User;
import kefu.store.sqlite.SqliteOptions;
import kefu.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void growing_the_store_adds_past_users_whose_conversations_kefu_reads_back() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir, SqliteOptions.DEFAULTS)) {
      store.inTransaction(tx -> {
        tx.apps().put(Bench.APP.app());
        return null;
      });
    }
    assertThat(History.growTo(dataDir, Bench.APP.appid(), 250, NOW)).isEqualTo(250);
    assertThat(History.storedMessages(dataDir)).isEqualTo(250);
    assertThat(History.growTo(dataDir, Bench.APP.appid(), 420, NOW)).isEqualTo(170);
    assertThat(History.growTo(dataDir, Bench.APP.appid(), 400, NOW)).isZero();

    try (SqliteStore store = SqliteStore.open(dataDir, SqliteOptions.DEFAULTS)) {
      List<StoredMessage> first = store.read(tx -> tx.messages().conversation(Bench.APP.appid(),
          History.openid(0), 1_000));
      assertThat(first).hasSize(History.MESSAGES_PER_USER);
      assertThat(first.getFirst().direction()).isEqualTo(Direction.FROM_USER);
      assertThat(first.get(1).direction()).isEqualTo(Direction.TO_USER);
      assertThat(first.getFirst().message()).isInstanceOf(Message.Text.class);
      assertThat(first.getLast().createdAt()).isBefore(NOW);
      // the first call stopped half-way through user 2, the second went on with user 3
      List<StoredMessage> third = store.read(tx -> tx.messages().conversation(Bench.APP.appid(),
          History.openid(2), 1_000));
      List<StoredMessage> fifth = store.read(tx -> tx.messages().conversation(Bench.APP.appid(),
          History.openid(4), 1_000));
      assertThat(third).hasSize(50);
      assertThat(fifth).hasSize(70);
      Optional<User> user = store.read(tx -> tx.users().find(Bench.APP.appid(), History.openid(4)));
      assertThat(user).isPresent();
    }
  }

  @Test
  void a_past_users_openid_has_twenty_eight_characters_like_wechats() {
    assertThat(History.openid(12)).hasSize(28).startsWith("h").endsWith("12");
  }

  @TempDir
  Path dataDir;
}
