package kefu.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load for one phase: one virtual thread per connection sends its requests back to back through the
 * warm-up and then the measured window, and stops issuing when the window ends. A good answer (the phase's
 * {@link Check} passes) that completes inside the window is measured; throughput is those answers over the window's
 * length, so an error answer never counts as throughput. The clients share one {@link HttpClient}: its HTTP/1.1 pool
 * gives each request in flight its own keep-alive connection, so {@code connections} clients keep that many
 * connections open, and one client costs less CPU than one per thread (each has its own selector thread), leaving
 * more of the machine to the server.
 *
 * <p>Threads share nothing while the load runs but the thread-safe {@code HttpClient}, the immutable phase and
 * window, and whatever thread-safe state the phase's {@link Check} keeps: each records into its own histogram and
 * hands it back through its {@link Future}.
 */
final class Load {
  private static final int FAILURE_SAMPLES = 5;

  private Load() {}

  /** The HTTP/1.1 client every phase's load uses, whichever server it measures. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * What a phase sends and what a good answer is. {@code requests} gives client {@code i} its {@code n}-th request
   * (built up front, so building costs nothing while measuring); {@code check} judges each answer, warm-up included.
   */
  record Phase(String name, String label, Requests requests, Check check) {}

  /** The requests of a phase. */
  @FunctionalInterface
  interface Requests {
    HttpRequest request(int client, long n);

    /**
     * Client {@code i} of {@code clients} takes the requests {@code i, i + clients, i + 2·clients, …} of
     * {@code all}, round robin, so the clients together cycle through all of them.
     */
    static Requests roundRobin(List<HttpRequest> all, int clients) {
      return (client, n) -> all.get((int) ((client + n * clients) % all.size()));
    }
  }

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
   * A phase's outcome: the latencies of the good answers measured, how many good answers completed inside the
   * window, and every failed answer of the phase, warm-up included (any of them fails the run). Closed loop, the
   * count of latencies and {@code completed} are the same; open loop ({@link OpenLoad}), the latencies are those of
   * the requests due in the window.
   */
  record Result(Phase phase, Window window, Latencies latencies, long completed, long failures,
                List<String> failureSamples) {
    /** Good answers completed inside the window per second. */
    double throughput() {
      return completed / window.seconds();
    }

    boolean ok() {
      return failures == 0;
    }
  }

  private record ClientResult(Histogram latencies, long failures, List<String> failureSamples) {}

  static Result run(Phase phase, HttpClient http, int clients, Duration warmup, Duration measure)
      throws InterruptedException {
    long measureFrom = System.nanoTime() + warmup.toNanos();
    Window window = new Window(measureFrom, measureFrom + measure.toNanos());
    List<Future<ClientResult>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("bench-" + phase.name() + "-", 0).factory())) {
      for (int i = 0; i < clients; i++) {
        int client = i;
        futures.add(threads.submit(() -> drive(phase, http, client, window)));
      }
    }
    List<Histogram> latencies = new ArrayList<>();
    Failures failures = new Failures();
    for (Future<ClientResult> future : futures) {
      ClientResult r = result(future);
      latencies.add(r.latencies());
      failures.add(r.failures(), r.failureSamples());
    }
    Latencies merged = Latencies.merge(latencies);
    return new Result(phase, window, merged, merged.count(), failures.count, failures.samples());
  }

  private static ClientResult drive(Phase phase, HttpClient http, int client, Window window)
      throws InterruptedException {
    Histogram latencies = Latencies.recorder();
    Failures failures = new Failures();
    for (long n = 0; ; n++) {
      long start = System.nanoTime();
      if (start - window.to() >= 0) {
        break;
      }
      String failure;
      try {
        failure = phase.check().failure(
            http.send(phase.requests().request(client, n), HttpResponse.BodyHandlers.ofByteArray()), start);
      } catch (IOException e) {
        failure = "I/O: " + e;
      }
      long end = System.nanoTime();
      if (failure != null) {
        failures.add(failure);
      } else if (window.contains(end)) {
        latencies.recordValue(end - start);
      }
    }
    return new ClientResult(latencies, failures.count, failures.samples());
  }

  /** A count of failed answers and the first few of them. Confined to one thread. */
  static final class Failures {
    private long count;
    private final List<String> samples = new ArrayList<>();

    void add(String failure) {
      count++;
      if (samples.size() < FAILURE_SAMPLES) {
        samples.add(failure);
      }
    }

    void add(long more, List<String> moreSamples) {
      count += more;
      for (String s : moreSamples) {
        if (samples.size() < FAILURE_SAMPLES) {
          samples.add(s);
        }
      }
    }

    long count() {
      return count;
    }

    List<String> samples() {
      return List.copyOf(samples);
    }
  }

  static <T> T result(Future<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a bench client failed", e.getCause());
    }
  }
}
