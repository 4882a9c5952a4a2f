package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** STYLE.md's example, as users write it. */
@KefuTest
class SendWindowHttpTest {
  @Test void sixth_send_after_a_user_message_gets_45047(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    for (int i = 0; i < 5; i++) assertThat(kefu.api().sendText(alice, "ok")).isOk();
    assertThat(kefu.api().sendText(alice, "one more")).hasErrcode(45047);
    kefu.clock().advance(Duration.ofHours(48));
    assertThat(kefu.api().sendText(alice, "late")).hasErrcode(45015);
  }

  @Test void nobody_has_written_yet_so_the_first_send_gets_45015(Kefu kefu) {
    assertThat(kefu.api().sendText(kefu.user("o-bob"), "hello")).hasErrcode(45015);
  }

  @Test void entering_the_chat_allows_one_send_within_a_minute(Kefu kefu) {
    var carol = kefu.user("o-carol");
    carol.entersChat("button");
    assertThat(carol.window().remaining()).isEqualTo(1);
    assertThat(carol.window().grantedBy()).isEqualTo("enter");
    assertThat(kefu.api().sendText(carol, "welcome")).isOk();
    assertThat(kefu.api().sendText(carol, "again")).hasErrcode(45047);
  }

  @Test void the_window_closes_exactly_48_hours_after_the_message(Kefu kefu) {
    var dave = kefu.user("o-dave");
    dave.says("hi");
    assertThat(dave.window().closesAt()).isEqualTo(kefu.clock().now().plus(Duration.ofHours(48)));
    kefu.clock().advance(Duration.ofHours(48).minusSeconds(1));
    assertThat(dave.window().open()).isTrue();
    assertThat(kefu.api().sendText(dave, "just in time")).isOk();
    kefu.clock().advance(Duration.ofSeconds(1));
    assertThat(dave.window().open()).isFalse();
  }
}
