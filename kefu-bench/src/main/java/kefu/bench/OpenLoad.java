package kefu.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load for one phase: requests go out on a fixed {@link Schedule} ({@code rate} per second over
 * {@code users} users, round robin) through the warm-up and the measured window, whatever the server's pace, and
 * each is measured from when it was <em>due</em>, not from when it went out. One thread per user sends that user's
 * messages in order, each at its due time or, when the user's previous request is still running, as soon as
 * it ends: a slow answer then shows up in the latency of every message that waited behind it rather than thinning
 * the load (no coordinated omission). The {@link Load.Check} is given the due time, so a push phase's delivery
 * latency runs from the due time too. The user threads are platform threads, so that their wake-ups at the due
 * times do not queue behind the virtual threads of the bench's push receiver on the shared carrier threads.
 *
 * <p>Reported, for the good answers to messages due inside the measured window: their latency from due time to
 * response, and how late the generator sent them ({@code sendLag}, ~0 while it keeps up). The throughput is the good
 * answers that completed inside the window over its length, what the server achieved against the target rate. Failures count over the
 * whole phase, warm-up included. The threads share nothing but the thread-safe {@link HttpClient}, the immutable
 * phase and schedule, and the {@code Check}'s thread-safe state.
 */
final class OpenLoad {
  /** Time for the user threads to start before message 0 is due. */
  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private OpenLoad() {}

  /**
   * An open-loop phase's outcome: the closed-loop figures ({@code load}, latencies from the due times, throughput
   * from completions in the window), the schedule, how many messages were due in the window and the send lag.
   */
  record Result(Load.Result load, Schedule schedule, long dueInWindow, Latencies sendLag) {
    /** Messages per second the schedule asked for. */
    int targetRate() {
      return schedule.rate();
    }
  }

  private record UserResult(Histogram latencies, Histogram lags, long completed, long failures,
                            List<String> failureSamples) {}

  static Result run(Load.Phase phase, HttpClient http, int users, int rate, Duration warmup, Duration measure)
      throws InterruptedException {
    Schedule schedule = new Schedule(System.nanoTime() + START_DELAY_NANOS, rate, users);
    long measureFrom = schedule.start() + warmup.toNanos();
    Load.Window window = new Load.Window(measureFrom, measureFrom + measure.toNanos());
    long messages = schedule.dueBefore(window.to());
    List<Future<UserResult>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
        Thread.ofPlatform().daemon().name("bench-" + phase.name() + "-", 0).factory())) {
      for (int u = 0; u < users; u++) {
        int user = u;
        futures.add(threads.submit(() -> drive(phase, http, schedule, user, messages, window)));
      }
    }
    List<Histogram> latencies = new ArrayList<>();
    List<Histogram> lags = new ArrayList<>();
    long completed = 0;
    Load.Failures failures = new Load.Failures();
    for (Future<UserResult> future : futures) {
      UserResult r = Load.result(future);
      latencies.add(r.latencies());
      lags.add(r.lags());
      completed += r.completed();
      failures.add(r.failures(), r.failureSamples());
    }
    Latencies requestLatencies = Latencies.merge(latencies);
    Load.Result load = new Load.Result(phase, window, requestLatencies, completed, failures.count(),
        failures.samples());
    return new Result(load, schedule, messages - schedule.dueBefore(window.from()), Latencies.merge(lags));
  }

  /**
   * User {@code user}'s share of the first {@code messages} messages, each sent at its due time or after; its
   * {@code n}-th message is the phase's request {@code n} for client {@code user}.
   */
  private static UserResult drive(Load.Phase phase, HttpClient http, Schedule schedule, int user, long messages,
                                  Load.Window window) throws InterruptedException {
    Histogram latencies = Latencies.recorder();
    Histogram lags = Latencies.recorder();
    long completed = 0;
    Load.Failures failures = new Load.Failures();
    long n = 0;
    for (long k = user; k < messages; k += schedule.users(), n++) {
      long due = schedule.dueAt(k);
      sleepUntil(due);
      long start = System.nanoTime();
      String failure;
      try {
        failure = phase.check().failure(
            http.send(phase.requests().request(user, n), HttpResponse.BodyHandlers.ofByteArray()), due);
      } catch (IOException e) {
        failure = "I/O: " + e;
      }
      long end = System.nanoTime();
      if (failure != null) {
        failures.add(failure);
        continue;
      }
      if (window.contains(due)) {
        latencies.recordValue(end - due);
        lags.recordValue(Math.max(0, start - due));
      }
      if (window.contains(end)) {
        completed++;
      }
    }
    return new UserResult(latencies, lags, completed, failures.count(), failures.samples());
  }

  private static void sleepUntil(long due) throws InterruptedException {
    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
