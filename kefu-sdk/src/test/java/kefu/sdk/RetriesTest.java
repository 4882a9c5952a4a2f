package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetriesTest {
  @Test
  void the_default_waits_200_then_400_ms_over_three_tries() {
    assertThat(Retries.DEFAULT.attempts()).isEqualTo(3);
    assertThat(Retries.DEFAULT.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(Retries.DEFAULT.backoffAfter(2)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void the_wait_doubles_up_to_the_cap() {
    Retries r = new Retries(10, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(r.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(r.backoffAfter(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(r.backoffAfter(60)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void fewer_than_one_attempt_is_refused_naming_the_option() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Retries(0, Duration.ZERO, Duration.ZERO))
        .withMessageContaining("attempts");
  }
}
