package kefu.testing.readme;

import static kefu.testing.KefuAssertions.assertThat;
import static kefu.testing.KefuAssertions.tuple;

import java.time.Duration;
import kefu.protocol.window.WindowRules;
import kefu.server.push.DeliveryOptions;
import kefu.testing.KefuExtension;
import kefu.testing.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's examples of kefu-testing, compiled and run; {@code ReadmeSnippetsTest} checks that the README shows
 * them as they are here. Written in a package of its own, so it can use only the public API.
 */
class ReadmeExamplesTest {
  // snippet:testing-builder
  @RegisterExtension
  static KefuExtension kefu = KefuExtension.builder()
      .rules(WindowRules.CURRENT)   // WeChat today: entering the chat allows 2 sends within a minute
      .configure(config -> config.withDelivery(new DeliveryOptions(Duration.ofSeconds(1), 1, Duration.ZERO)))
      .build();
  // /snippet

  // snippet:testing-clock
  @Test void entering_the_chat_allows_two_sends_within_a_minute() {
    var bob = kefu.user("o-bob");
    bob.entersChat("contact-button");
    assertThat(bob.window().remaining()).isEqualTo(2);
    kefu.clock().advance(Duration.ofMinutes(1));
    assertThat(kefu.api().sendText(bob, "too late")).hasErrcode(45015);
  }
  // /snippet

  // snippet:testing-journal
  @Test void the_journal_shows_each_call_and_its_errcode() {
    var carol = kefu.user("o-carol");
    kefu.api().sendText(carol, "nobody asked");
    assertThat(kefu.requests())
        .extracting(RecordedRequest::path, RecordedRequest::openid, RecordedRequest::errcode)
        .contains(tuple("/cgi-bin/message/custom/send", "o-carol", 45015));
  }
  // /snippet
}
