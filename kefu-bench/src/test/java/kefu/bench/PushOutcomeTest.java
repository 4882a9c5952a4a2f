package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushOutcomeTest {
  private static final Load.Window WINDOW = new Load.Window(1_000, 2_000);

  @Test
  void delivery_latency_counts_messages_sent_in_the_window_and_pushes_per_second_counts_arrivals_in_it() {
    Map<Long, Long> sentAt = Map.of(1L, 900L, 2L, 1_000L, 3L, 1_500L, 4L, 1_990L);
    PushOutcome o = PushOutcome.of(sentAt, arrivals(Map.of(1L, 1_100L, 2L, 1_300L, 3L, 1_600L, 4L, 2_250L)), WINDOW);
    assertThat(o.expected()).isEqualTo(4);
    assertThat(o.deliveredInWindow()).isEqualTo(3);
    assertThat(o.pushesPerSecond()).isEqualTo(3 / 1e-6);
    assertThat(o.delivery().count()).isEqualTo(3);
    assertThat(o.delivery().percentileNanos(50)).isEqualTo(260);
    assertThat(o.delivery().maxNanos()).isEqualTo(300);
    assertThat(o.drainNanos()).isEqualTo(250);
    assertThat(o.backlog()).isEqualTo(1);
    assertThat(o.missing()).isZero();
    assertThat(o.ok()).isTrue();
  }

  @Test
  void all_arrivals_inside_the_window_drain_in_no_time() {
    PushOutcome o = PushOutcome.of(Map.of(1L, 1_000L), arrivals(Map.of(1L, 1_200L)), WINDOW);
    assertThat(o.drainNanos()).isZero();
  }

  @Test
  void a_push_that_never_came_fails_the_phase_and_one_not_sent_is_unexpected() {
    PushOutcome o = PushOutcome.of(Map.of(1L, 1_000L, 8L, 1_100L, 9L, 1_200L),
        arrivals(Map.of(1L, 1_200L, 77L, 1_300L)), WINDOW);
    assertThat(o.missing()).isEqualTo(2);
    assertThat(o.missingSamples()).containsExactly(8L, 9L);
    assertThat(o.backlog()).isEqualTo(2);
    assertThat(o.unexpected()).isEqualTo(1);
    assertThat(o.ok()).isFalse();
  }

  @Test
  void duplicates_are_reported_but_do_not_fail_the_phase() {
    PushReceiver.Arrivals dup = new PushReceiver.Arrivals(Map.of(1L, 1_200L), 2, List.of(1L), 0, List.of());
    PushOutcome o = PushOutcome.of(Map.of(1L, 1_000L), dup, WINDOW);
    assertThat(o.arrivals().duplicates()).isEqualTo(2);
    assertThat(o.ok()).isTrue();
  }

  private static PushReceiver.Arrivals arrivals(Map<Long, Long> firsts) {
    return new PushReceiver.Arrivals(firsts, 0, List.of(), 0, List.of());
  }
}
