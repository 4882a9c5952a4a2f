package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentiles_of_one_to_one_hundred_are_the_samples_at_their_rank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = 100 - i;
    }
    Latencies l = Latencies.of(nanos);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentileNanos(50)).isEqualTo(50);
    assertThat(l.percentileNanos(90)).isEqualTo(90);
    assertThat(l.percentileNanos(99)).isEqualTo(99);
    assertThat(l.percentileNanos(99.9)).isEqualTo(100);
    assertThat(l.percentileNanos(100)).isEqualTo(100);
    assertThat(l.maxNanos()).isEqualTo(100);
  }

  @Test
  void large_latencies_keep_three_significant_digits() {
    Latencies l = Latencies.of(1_234_567, 98_765_432_100L);
    assertThat(l.percentileNanos(50)).isCloseTo(1_234_567, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(l.maxNanos()).isCloseTo(98_765_432_100L, org.assertj.core.data.Percentage.withPercentage(0.1));
  }

  @Test
  void merging_clients_adds_up_what_each_recorded() {
    Histogram a = Latencies.recorder();
    a.recordValue(5);
    a.recordValue(1);
    Histogram b = Latencies.recorder();
    b.recordValue(9);
    Latencies l = Latencies.merge(List.of(a, b, Latencies.recorder()));
    assertThat(l.count()).isEqualTo(3);
    assertThat(l.percentileNanos(34)).isEqualTo(5);
    assertThat(l.maxNanos()).isEqualTo(9);
  }

  @Test
  void nothing_measured_reads_as_zero() {
    Latencies l = Latencies.merge(List.of());
    assertThat(l.count()).isZero();
    assertThat(l.percentileNanos(99)).isZero();
    assertThat(l.maxNanos()).isZero();
  }

  @Test
  void a_percentile_outside_zero_to_one_hundred_is_refused() {
    Latencies l = Latencies.of(1);
    assertThatThrownBy(() -> l.percentileNanos(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> l.percentileNanos(100.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
