package kefu.testing.readme;

// snippet:testing-first-test
import static kefu.testing.KefuAssertions.assertThat;

import java.time.Duration;
import kefu.testing.Kefu;
import kefu.testing.KefuTest;
import org.junit.jupiter.api.Test;

@KefuTest
class SendWindowTest {
  @Test void sixth_send_after_a_user_message_gets_45047(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    for (int i = 0; i < 5; i++) assertThat(kefu.api().sendText(alice, "ok")).isOk();
    assertThat(kefu.api().sendText(alice, "one more")).hasErrcode(45047);
    kefu.clock().advance(Duration.ofHours(48));
    assertThat(kefu.api().sendText(alice, "late")).hasErrcode(45015);
  }
}
// /snippet
