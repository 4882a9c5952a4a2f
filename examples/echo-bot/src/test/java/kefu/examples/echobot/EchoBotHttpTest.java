package kefu.examples.echobot;

import static kefu.testing.KefuAssertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import kefu.sdk.KefuClient;
import kefu.testing.Kefu;
import kefu.testing.KefuTest;
import kefu.testing.ReceivedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo bot over HTTP, beyond the README's two tests. */
@KefuTest
class EchoBotHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private EchoBot bot;

  @BeforeEach void start(Kefu kefu) throws IOException {
    KefuClient wechat = KefuClient.builder()
        .baseUrl(kefu.baseUrl()).appid(kefu.appid()).secret(kefu.secret()).build();
    bot = EchoBot.start(new InetSocketAddress("127.0.0.1", 0), wechat, kefu.pushToken());
  }

  @AfterEach void stop() {
    bot.close();
  }

  @Test void the_bot_passes_kefus_url_check(Kefu kefu) throws Exception {
    String push = "{\"push\":{\"url\":\"" + bot.url() + "\",\"token\":\"" + kefu.pushToken()
        + "\",\"format\":\"json\",\"mode\":\"plain\"}}";
    HttpResponse<String> saved = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(kefu.url("/kefu/v1/apps/" + kefu.appid())))
            .PUT(HttpRequest.BodyPublishers.ofString(push)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(saved.body()).doesNotContain("errcode").contains(bot.url());

    kefu.user("o-alice").says("checked");
    assertThat(kefu.user("o-alice").takeReceived(WAIT).text()).isEqualTo("echo: checked");
  }

  @Test void every_message_is_echoed_in_order_and_events_and_images_are_not(Kefu kefu) {
    kefu.usePushUrl(bot.url());
    var carol = kefu.user("o-carol");
    carol.entersChat("contact-button");
    carol.says("one");
    carol.sendsImage(PNG);
    carol.says("two");

    assertThat(carol.takeReceived(WAIT).text()).isEqualTo("echo: one");
    assertThat(carol.takeReceived(WAIT).text()).isEqualTo("echo: two");
    assertThat(kefu.takePush(WAIT).body()).contains("user_enter_tempsession");
    assertThat(kefu.pushes()).hasSize(4).allSatisfy(p -> assertThat(p.outcome()).isEqualTo("delivered"));
    assertThat(carol.received()).extracting(ReceivedMessage::from)
        .containsOnly(ReceivedMessage.Sender.MINI_PROGRAM).hasSize(2);
  }

  @Test void the_bot_renews_its_token_when_kefus_clock_has_expired_it(Kefu kefu) {
    kefu.usePushUrl(bot.url());
    var dave = kefu.user("o-dave");
    dave.says("before");
    assertThat(dave.takeReceived(WAIT).text()).isEqualTo("echo: before");

    kefu.clock().advance(Duration.ofHours(3));
    dave.says("after");
    assertThat(dave.takeReceived(WAIT).text()).isEqualTo("echo: after");
    assertThat(kefu.requests()).extracting(r -> r.path() + " " + r.errcode())
        .contains("/cgi-bin/message/custom/send 42001");
  }

  /** A 1×1 PNG. */
  private static final byte[] PNG = java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
