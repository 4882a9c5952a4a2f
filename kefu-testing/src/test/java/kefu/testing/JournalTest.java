package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;
import static kefu.testing.KefuAssertions.assertThatThrownBy;
import static kefu.testing.KefuAssertions.tuple;

import java.time.Duration;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;

/** The request journal, what the user received and the window, as the test sees them. */
@KefuTest
class JournalTest {
  @Test void the_journal_lists_the_calls_oldest_first_with_their_errcodes(Kefu kefu) {
    var alice = kefu.user("o-alice");
    kefu.api().sendText(alice, "too early");
    alice.says("hi");
    kefu.api().sendText(alice, "now");

    assertThat(kefu.requests())
        .extracting(RecordedRequest::path, RecordedRequest::errcode)
        .containsExactly(
            tuple("/cgi-bin/stable_token", 0),
            tuple("/cgi-bin/message/custom/send", 45015),
            tuple("/cgi-bin/message/custom/send", 0));
    assertThat(kefu.requests().get(1).openid()).isEqualTo("o-alice");
    assertThat(kefu.requests().get(1).appid()).isEqualTo(kefu.appid());
  }

  @Test void errors_are_checked_with_their_code_and_wechats_errmsg(Kefu kefu) {
    var bob = kefu.user("o-bob");
    var response = kefu.api().sendText(bob, "hello");
    assertThat(response).hasError(WxError.RESPONSE_OUT_OF_TIME_LIMIT);
    assertThat(response.isOk()).isFalse();
    assertThat(response.rid()).matches("[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
  }

  @Test void a_failed_assertion_shows_kefus_whole_answer(Kefu kefu) {
    var carol = kefu.user("o-carol");
    assertThatThrownBy(() -> assertThat(kefu.api().sendText(carol, "hello")).isOk())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("45015")
        .hasMessageContaining("response out of time limit");
  }

  @Test void the_user_receives_what_the_backend_sent_in_order(Kefu kefu) {
    var dave = kefu.user("o-dave");
    dave.says("hi");
    kefu.api().sendText(dave, "one");
    kefu.api().sendText(dave, "two");

    assertThat(dave.received()).extracting(ReceivedMessage::text).containsExactly("one", "two");
    assertThat(dave.received()).allSatisfy(m -> {
      assertThat(m.from()).isEqualTo(ReceivedMessage.Sender.MINI_PROGRAM);
      assertThat(m.at()).isEqualTo(kefu.clock().now());
    });
    assertThat(dave.takeReceived(Duration.ofSeconds(1)).text()).isEqualTo("one");
    assertThat(dave.takeReceived(Duration.ofSeconds(1)).text()).isEqualTo("two");
    assertThatThrownBy(() -> dave.takeReceived(Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("received nothing new");
  }

  @Test void images_and_cards_are_sent_as_the_user(Kefu kefu) {
    var erin = kefu.newUser();
    assertThat(erin.openid()).hasSize(28).startsWith("o");
    long image = erin.sendsImage(Images.PNG);
    long card = erin.sendsCard("商品", "pages/item?id=1", "thumb");
    assertThat(card).isGreaterThan(image);
    assertThat(erin.window().remaining()).isEqualTo(5);
    assertThat(erin.window().grantedBy()).isEqualTo("message");
  }

  @Test void kefu_refusing_a_simulated_action_fails_the_test(Kefu kefu) {
    var frank = kefu.user("o-frank");
    assertThatThrownBy(() -> frank.sendsImage(new byte[] {1, 2, 3}))
        .isInstanceOf(AssertionError.class).hasMessageContaining("40005");
  }
}
