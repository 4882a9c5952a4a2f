package kefu.bench;

import java.util.Arrays;

/**
 * Every latency measured in a phase, in nanoseconds, sorted once. Percentiles use the nearest-rank method: the
 * p-th percentile of n samples is the smallest sample with at least p% of the samples at or below it, so it is
 * always a latency that was actually seen. Immutable.
 */
final class Latencies {
  private final long[] sortedNanos;

  Latencies(long[] nanos) {
    sortedNanos = nanos.clone();
    Arrays.sort(sortedNanos);
  }

  /** The samples of several clients, each the first {@code counts[i]} entries of {@code samples[i]}. */
  static Latencies merge(long[][] samples, int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < samples.length; i++) {
      System.arraycopy(samples[i], 0, all, at, counts[i]);
      at += counts[i];
    }
    return new Latencies(all);
  }

  int count() {
    return sortedNanos.length;
  }

  /** The nearest-rank percentile in nanoseconds, 0 < p ≤ 100; 0 when nothing was measured. */
  long percentileNanos(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sortedNanos.length);
    return sortedNanos[Math.max(rank, 1) - 1];
  }

  long maxNanos() {
    return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1];
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
