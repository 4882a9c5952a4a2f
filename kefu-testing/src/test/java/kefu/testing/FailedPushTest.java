package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.time.Duration;
import kefu.server.push.DeliveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A builder-configured kefu: retries on kefu's clock, and the notice the user sees after the last attempt. */
class FailedPushTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension
  static final KefuExtension kefu = KefuExtension.builder()
      .configure(c -> c.withDelivery(new DeliveryOptions(Duration.ofSeconds(2), 2, Duration.ofMinutes(1))))
      .build();

  @Test void a_failing_server_is_retried_when_kefus_clock_says_so_then_the_user_sees_the_notice() {
    try (Backend backend = new Backend().answering(500, "oops")) {
      kefu.usePushUrl(backend.url());
      var alice = kefu.user("o-alice");
      alice.says("hi");

      RecordedPush first = kefu.takePush(WAIT);
      assertThat(first.outcome()).isEqualTo("abnormal");
      assertThat(first.status()).isEqualTo(500);
      assertThat(first.reason()).contains("500");
      assertThat(alice.received()).isEmpty();

      kefu.clock().advance(Duration.ofMinutes(1));
      RecordedPush second = kefu.takePush(WAIT);
      assertThat(second.attempt()).isEqualTo(2);
      assertThat(second.body()).isEqualTo(first.body());

      ReceivedMessage notice = alice.takeReceived(WAIT);
      assertThat(notice.from()).isEqualTo(ReceivedMessage.Sender.SYSTEM);
      assertThat(notice.text()).isEqualTo("该小程序客服暂时无法提供服务，请稍后再试");
    }
  }
}
