package kefu.examples.echobot;

// snippet:echo-bot-test
import static kefu.testing.KefuAssertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import kefu.sdk.KefuClient;
import kefu.testing.Kefu;
import kefu.testing.KefuTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KefuTest
class EchoBotTest {
  EchoBot bot;

  @BeforeEach void start(Kefu kefu) throws IOException {
    KefuClient wechat = KefuClient.builder()
        .baseUrl(kefu.baseUrl()).appid(kefu.appid()).secret(kefu.secret()).build();
    bot = EchoBot.start(new InetSocketAddress("127.0.0.1", 0), wechat, kefu.pushToken());
    kefu.usePushUrl(bot.url());
  }

  @AfterEach void stop() {
    bot.close();
  }

  @Test void a_user_who_says_hello_receives_echo_hello(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hello");
    assertThat(alice.takeReceived(Duration.ofSeconds(5)).text()).isEqualTo("echo: hello");
  }

  @Test void a_user_who_asks_for_a_human_waits_in_the_agents_queue(Kefu kefu) {
    var bob = kefu.user("o-bob");
    bob.says("人工");
    assertThat(kefu.takePush(Duration.ofSeconds(5)).outcome()).isEqualTo("transfer");
    assertThat(kefu.queue().waiting()).containsExactly("o-bob");
    assertThat(bob.received()).isEmpty();
  }
}
// /snippet
