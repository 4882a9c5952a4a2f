package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One kefu serves the class; each test finds it empty, with the clock frozen at the real time. */
@KefuTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FreshStateTest {
  private static String firstBaseUrl;
  private Kefu kefu;

  @BeforeEach
  void keep(Kefu kefu) {
    this.kefu = kefu;
  }

  @Test @Order(1)
  void a_test_leaves_users_messages_a_journal_and_a_moved_clock_behind() {
    firstBaseUrl = kefu.baseUrl();
    var alice = kefu.user("o-alice");
    alice.says("hi");
    assertThat(kefu.api().sendText(alice, "hello")).isOk();
    kefu.clock().advance(Duration.ofDays(30));
    kefu.clock().unfreeze();
    assertThat(kefu.requests()).isNotEmpty();
  }

  @Test @Order(2)
  void the_next_test_finds_the_same_server_empty_and_the_clock_back_at_now_and_frozen() {
    assertThat(kefu.baseUrl()).isEqualTo(firstBaseUrl);
    assertThat(kefu.requests()).isEmpty();
    assertThat(kefu.user("o-alice").received()).isEmpty();
    assertThat(kefu.user("o-alice").window().open()).isFalse();
    assertThat(kefu.clock().isFrozen()).isTrue();
    assertThat(kefu.clock().now()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
  }

  @Test @Order(3)
  void the_frozen_clock_stands_still_until_the_test_moves_it() {
    Instant before = kefu.clock().now();
    kefu.user("o-bob").says("anyone there?");
    assertThat(kefu.clock().now()).isEqualTo(before);
    assertThat(kefu.clock().advance(Duration.ofMinutes(5))).isEqualTo(before.plus(Duration.ofMinutes(5)));
    assertThat(kefu.clock().advance(Duration.ofMillis(1500))).isEqualTo(before.plus(Duration.ofMillis(301_500)));
    assertThat(kefu.clock().set(before)).isEqualTo(before);
  }

  @Test @Order(4)
  void the_handle_knows_the_demo_app() {
    assertThat(kefu.appid()).isEqualTo("wxkefudemo00000001");
    assertThat(kefu.secret()).isEqualTo("kefudemo0secret00000000000000001");
    assertThat(kefu.originalId()).isEqualTo("gh_kefudemo0001");
    assertThat(kefu.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith("/");
    assertThat(kefu.url("/cgi-bin/token")).isEqualTo(kefu.baseUrl() + "/cgi-bin/token");
    assertThat(kefu.pushToken()).isEqualTo("kefutoken");
  }
}
