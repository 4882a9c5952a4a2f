package kefu.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import kefu.protocol.Json;
import kefu.testing.Kefu;
import kefu.testing.KefuTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The start-up of kefu-testing's extension as a user's test class meets it, run by the bench in a fresh JVM: the JUnit
 * launcher runs {@link Probe}, a {@code @KefuTest} class of {@value #TESTS} tests, twice. Per run it notes when the
 * class started, and each test reports when its body began and ended ({@link TestReporter}); from those:
 * <ul>
 *   <li>the first start: class started to first test body, the extension starting kefu in a JVM that never ran one
 *       (its classes loaded for the first time), then the same in the second run, in a warm JVM;
 *   <li>per test: one test body's end to the next one's start, mostly the extension's reset between tests;
 *   <li>the JVM's uptime when the first test body began.
 * </ul>
 * Prints them as one line of JSON, in milliseconds, and exits 1 if a probe test failed. Not thread-safe: the launcher
 * calls the listener on the one thread that runs the tests.
 */
public final class ExtensionStartup {
  static final int TESTS = 20;

  private ExtensionStartup() {}

  /** A user's first test class: a user writes, the backend replies. */
  @KefuTest
  static class Probe {
    @RepeatedTest(TESTS)
    void a_user_who_says_hi_gets_a_reply(Kefu kefu, TestReporter reporter) {
      reporter.publishEntry("start", Long.toString(System.nanoTime()));
      var alice = kefu.user("o-alice");
      alice.says("hi");
      if (kefu.api().sendText(alice, "hello").errcode() != 0) {
        throw new AssertionError("the reply was refused");
      }
      reporter.publishEntry("end", Long.toString(System.nanoTime()));
    }
  }

  /** What one run of the probe class saw. */
  private static final class Timings implements TestExecutionListener {
    long classStarted;
    long uptimeAtFirstTestMillis = -1;
    final List<Long> starts = new ArrayList<>();
    final List<Long> ends = new ArrayList<>();
    final List<String> failures = new ArrayList<>();

    @Override
    public void executionStarted(TestIdentifier id) {
      if (id.isContainer() && id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
        classStarted = System.nanoTime();
      }
    }

    @Override
    public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
      entry.getKeyValuePairs().forEach((key, value) -> {
        if (key.equals("start")) {
          if (uptimeAtFirstTestMillis < 0) {
            uptimeAtFirstTestMillis = ManagementFactory.getRuntimeMXBean().getUptime();
          }
          starts.add(Long.parseLong(value));
        } else if (key.equals("end")) {
          ends.add(Long.parseLong(value));
        }
      });
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("failed"));
      }
    }

    double firstStartMillis() {
      return Latencies.millis(starts.getFirst() - classStarted);
    }
  }

  public static void main(String[] args) {
    Launcher launcher = LauncherFactory.create();
    Timings cold = run(launcher);
    Timings warm = run(launcher);
    List<String> failures = new ArrayList<>(cold.failures);
    failures.addAll(warm.failures);
    if (!failures.isEmpty() || cold.starts.size() != TESTS || warm.starts.size() != TESTS) {
      System.out.println(Json.write(Json.newObject().put("error", "probe tests failed: " + failures)));
      System.exit(1);
    }
    ObjectNode o = Json.newObject()
        .put("tests_per_class", TESTS)
        .put("jvm_uptime_at_first_test_ms", cold.uptimeAtFirstTestMillis)
        .put("first_start_ms", cold.firstStartMillis())
        .put("second_start_ms", warm.firstStartMillis());
    ArrayNode perTest = o.putArray("per_test_ms");
    for (Timings t : List.of(cold, warm)) {
      for (int i = 1; i < t.starts.size(); i++) {
        perTest.add(Latencies.millis(t.starts.get(i) - t.ends.get(i - 1)));
      }
    }
    System.out.println(Json.write(o));
    System.exit(0);
  }

  private static Timings run(Launcher launcher) {
    Timings timings = new Timings();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Probe.class)).build(), timings);
    return timings;
  }
}
