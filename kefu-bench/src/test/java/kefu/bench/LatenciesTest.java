package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentiles_of_one_to_one_hundred_are_the_nearest_rank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = 100 - i;
    }
    Latencies l = new Latencies(nanos);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentileNanos(50)).isEqualTo(50);
    assertThat(l.percentileNanos(90)).isEqualTo(90);
    assertThat(l.percentileNanos(99)).isEqualTo(99);
    assertThat(l.percentileNanos(99.9)).isEqualTo(100);
    assertThat(l.percentileNanos(100)).isEqualTo(100);
    assertThat(l.maxNanos()).isEqualTo(100);
  }

  @Test
  void a_percentile_is_always_a_latency_that_was_seen() {
    Latencies l = new Latencies(new long[] {7, 3000});
    assertThat(l.percentileNanos(0.1)).isEqualTo(7);
    assertThat(l.percentileNanos(50)).isEqualTo(7);
    assertThat(l.percentileNanos(50.1)).isEqualTo(3000);
  }

  @Test
  void merging_clients_takes_only_the_samples_each_recorded() {
    long[][] samples = {{5, 1, 0, 0}, {9, 0}, {}};
    Latencies l = Latencies.merge(samples, new int[] {2, 1, 0});
    assertThat(l.count()).isEqualTo(3);
    assertThat(l.percentileNanos(34)).isEqualTo(5);
    assertThat(l.maxNanos()).isEqualTo(9);
  }

  @Test
  void nothing_measured_reads_as_zero() {
    Latencies l = Latencies.merge(new long[0][], new int[0]);
    assertThat(l.percentileNanos(99)).isZero();
    assertThat(l.maxNanos()).isZero();
  }

  @Test
  void a_percentile_outside_zero_to_one_hundred_is_refused() {
    Latencies l = new Latencies(new long[] {1});
    assertThatThrownBy(() -> l.percentileNanos(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> l.percentileNanos(100.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
