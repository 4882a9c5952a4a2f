package kefu.bench;

import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * Every latency measured in a phase, in nanoseconds, as an HdrHistogram with 3 significant digits: each client
 * records into its own {@link #recorder()} (one thread each, no sharing), and the phase merges them once. A
 * percentile is the highest value equivalent, to within 0.1%, to the sample at that rank. Immutable: the histogram is
 * a private copy, never recorded into after construction.
 */
final class Latencies {
  static final int SIGNIFICANT_DIGITS = 3;
  private final Histogram histogram;

  private Latencies(Histogram histogram) {
    this.histogram = histogram;
  }

  /** A histogram for one client to record into (auto-resizing, not thread-safe). */
  static Histogram recorder() {
    return new Histogram(SIGNIFICANT_DIGITS);
  }

  /** The samples of several clients, each recorded into its own histogram. */
  static Latencies merge(Collection<Histogram> parts) {
    Histogram all = recorder();
    parts.forEach(all::add);
    return new Latencies(all);
  }

  /** These samples (for results worked out after the fact, such as push deliveries). */
  static Latencies of(long... nanos) {
    Histogram h = recorder();
    for (long n : nanos) {
      h.recordValue(Math.max(0, n));
    }
    return new Latencies(h);
  }

  long count() {
    return histogram.getTotalCount();
  }

  /** The percentile in nanoseconds, 0 < p ≤ 100; 0 when nothing was measured. */
  long percentileNanos(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    return count() == 0 ? 0 : histogram.getValueAtPercentile(p);
  }

  long maxNanos() {
    return count() == 0 ? 0 : histogram.getMaxValue();
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
