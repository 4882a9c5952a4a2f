package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;
import static kefu.testing.KefuAssertions.assertThatThrownBy;

import java.time.Duration;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Pushes to the developer's server, taken from kefu's push journal. */
@KefuTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final Backend backend = new Backend();

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test @Order(1)
  void each_thing_the_user_does_is_pushed_and_taken_in_order(Kefu kefu) {
    kefu.usePushUrl(backend.url());
    var alice = kefu.user("o-alice");
    alice.entersChat("home-button");
    long msgId = alice.says("你好");

    RecordedPush entered = kefu.takePush(WAIT);
    assertThat(entered.body()).contains("user_enter_tempsession").contains("home-button");
    assertThat(entered.outcome()).isEqualTo("delivered");
    RecordedPush said = kefu.takePush(WAIT);
    assertThat(said.msgId()).isEqualTo(msgId);
    assertThat(said.body()).contains("你好").contains(kefu.originalId());
    assertThat(said.url()).isEqualTo(backend.url());
    assertThat(said.query()).contains("signature=");
    assertThat(said.delivered()).isTrue();
    assertThat(kefu.pushes()).containsExactly(entered, said);
  }

  @Test @Order(2)
  void the_push_url_of_the_previous_test_is_gone(Kefu kefu) {
    kefu.user("o-bob").says("hello?");
    assertThatThrownBy(() -> kefu.takePush(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no new push attempt")
        .hasMessageContaining("usePushUrl");
    assertThat(kefu.pushes()).isEmpty();
  }

  @Test @Order(3)
  void a_transfer_reply_puts_the_user_in_the_queue(Kefu kefu) {
    backend.answering(200, "{\"MsgType\":\"transfer_customer_service\"}");
    kefu.usePushUrl(backend.url());
    var carol = kefu.user("o-carol");
    carol.says("人工");

    assertThat(kefu.takePush(WAIT).outcome()).isEqualTo("transfer");
    assertThat(kefu.queue().waiting()).containsExactly("o-carol");
    assertThat(kefu.queue().active()).isEmpty();
  }

  @Test @Order(4)
  void a_whole_push_configuration_can_be_set_for_one_test(Kefu kefu) {
    kefu.usePush(new PushSettings(backend.url(), "tok3n", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        PushFormat.XML, PushMode.SECURE, true));
    kefu.user("o-dave").says("secret");

    RecordedPush push = kefu.takePush(WAIT);
    assertThat(push.body()).startsWith("<xml>").contains("<Encrypt>").doesNotContain("secret");
    assertThat(push.plaintext()).contains("secret");
    assertThat(push.query()).contains("encrypt_type=aes").contains("msg_signature=");
    assertThat(push.outcome()).isEqualTo("delivered");
  }
}
