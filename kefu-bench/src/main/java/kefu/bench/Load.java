package kefu.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Closed-loop load for one phase: one virtual thread per client sends its request back to back through the warm-up
 * and then the measured window, and stops issuing when the window ends. A response is measured when it completes
 * inside the window; throughput is those responses over the window's length. The clients share one
 * {@link HttpClient}: its HTTP/1.1 pool gives each request in flight its own keep-alive connection, and one client
 * costs less CPU than one per thread (each has its own selector thread), leaving more of the machine to the server.
 *
 * <p>Threads share nothing while the load runs but the thread-safe {@code HttpClient}, the immutable phase and
 * window, and whatever thread-safe state the phase's {@link Check} keeps: each keeps its own samples and failure
 * counts and hands them back through its {@link Future}.
 */
final class Load {
  private static final int FAILURE_SAMPLES = 5;

  private Load() {}

  /**
   * What a phase sends and what a good answer is. {@code request} gives client {@code i} its request (built once,
   * sent again and again); {@code check} judges each answer, warm-up included.
   */
  record Phase(String name, String label, IntFunction<HttpRequest> request, Check check) {}

  /** Judges one answer; called on the client's thread, so a check that keeps state must be thread-safe. */
  @FunctionalInterface
  interface Check {
    /**
     * Null for a good answer, else what was wrong with it.
     *
     * @param sentAt {@link System#nanoTime()} just before the request was sent
     */
    String failure(HttpResponse<byte[]> response, long sentAt);
  }

  /** The measured window, in {@link System#nanoTime()}: from {@code from} (inclusive) to {@code to} (exclusive). */
  record Window(long from, long to) {
    boolean contains(long nanos) {
      return nanos - from >= 0 && nanos - to < 0;
    }

    double seconds() {
      return (to - from) / 1e9;
    }
  }

  /**
   * A phase's outcome: the latencies of the responses measured, how many responses completed inside the window,
   * and every failed response of the phase, warm-up included (any of them fails the run). Closed loop, the two
   * counts are the same; open loop ({@link OpenLoad}), the latencies are those of the requests due in the window.
   */
  record Result(Phase phase, Window window, Latencies latencies, long completed, long failures,
                List<String> failureSamples) {
    /** Responses completed inside the window per second. */
    double throughput() {
      return completed / window.seconds();
    }

    boolean ok() {
      return failures == 0;
    }
  }

  private record ClientResult(long[] samples, int count, long failures, List<String> failureSamples) {}

  static Result run(Phase phase, HttpClient http, int clients, Duration warmup, Duration measure)
      throws InterruptedException {
    long measureFrom = System.nanoTime() + warmup.toNanos();
    Window window = new Window(measureFrom, measureFrom + measure.toNanos());
    List<Future<ClientResult>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("bench-" + phase.name() + "-", 0).factory())) {
      for (int i = 0; i < clients; i++) {
        HttpRequest request = phase.request().apply(i);
        futures.add(threads.submit(() -> drive(phase, http, request, window)));
      }
    }
    long[][] samples = new long[futures.size()][];
    int[] counts = new int[futures.size()];
    long failures = 0;
    List<String> failureSamples = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      ClientResult r = result(futures.get(i));
      samples[i] = r.samples();
      counts[i] = r.count();
      failures += r.failures();
      for (String s : r.failureSamples()) {
        if (failureSamples.size() < FAILURE_SAMPLES) {
          failureSamples.add(s);
        }
      }
    }
    Latencies latencies = Latencies.merge(samples, counts);
    return new Result(phase, window, latencies, latencies.count(), failures, List.copyOf(failureSamples));
  }

  private static ClientResult drive(Phase phase, HttpClient http, HttpRequest request, Window window)
      throws InterruptedException {
    long[] samples = new long[1 << 14];
    int count = 0;
    long failures = 0;
    List<String> failureSamples = new ArrayList<>();
    while (true) {
      long start = System.nanoTime();
      if (start - window.to() >= 0) {
        break;
      }
      String failure;
      try {
        failure = phase.check().failure(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), start);
      } catch (IOException e) {
        failure = "I/O: " + e;
      }
      long end = System.nanoTime();
      if (window.contains(end)) {
        if (count == samples.length) {
          samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = end - start;
      }
      if (failure != null) {
        failures++;
        if (failureSamples.size() < FAILURE_SAMPLES) {
          failureSamples.add(failure);
        }
      }
    }
    return new ClientResult(samples, count, failures, failureSamples);
  }

  private static ClientResult result(Future<ClientResult> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a bench client failed", e.getCause());
    }
  }
}
