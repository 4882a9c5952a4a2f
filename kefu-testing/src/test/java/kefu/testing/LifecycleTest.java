package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;
import static kefu.testing.KefuAssertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs small test classes with the JUnit launcher and looks at what the extension left behind. */
class LifecycleTest {
  /** What the probes saw, by the probe class. */
  static final List<String> SEEN = new ArrayList<>();
  static final Set<Path> DIRS_DURING = new HashSet<>();

  @Test void one_kefu_serves_the_class_and_is_gone_with_its_directory_afterwards() throws Exception {
    Set<Path> before = kefuDirs();
    var summary = run(AnnotatedProbe.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertThat(SEEN.get(0)).isEqualTo(SEEN.get(1).replace("/second", "/first"));
    String baseUrl = SEEN.get(0).replace("/first", "");
    assertThatThrownBy(() -> get(baseUrl + "/kefu/v1/health")).isInstanceOf(ConnectException.class);
    Set<Path> created = new HashSet<>(DIRS_DURING);
    created.removeAll(before);
    assertThat(created).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
  }

  @Test void an_instance_field_extension_starts_a_kefu_per_test() throws Exception {
    var summary = run(InstanceFieldProbe.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(0).replace("/first", "")).isNotEqualTo(SEEN.get(1).replace("/second", ""));
  }

  @Test void a_static_extension_outside_a_test_says_kefu_is_not_running() {
    assertThatThrownBy(() -> KefuExtension.builder().build().appid())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
  }

  @Test void unknown_annotation_rules_fail_the_class_with_a_message() {
    var summary = run(BadRulesProbe.class);
    assertThat(summary.getFailures()).singleElement()
        .satisfies(f -> assertThat(f.getException()).hasMessageContaining("rules must be \"seed\" or \"current\""));
  }

  private static TestExecutionSummary run(Class<?> probe) {
    SEEN.clear();
    DIRS_DURING.clear();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(probe))
        .configurationParameter("junit.jupiter.testmethod.order.default",
            "org.junit.jupiter.api.MethodOrderer$MethodName")
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  static Set<Path> kefuDirs() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return new HashSet<>(dirs.filter(p -> p.getFileName().toString().startsWith("kefu-testing-")).toList());
    }
  }

  static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @KefuTest
  static class AnnotatedProbe {
    @Test void first(Kefu kefu) throws IOException {
      SEEN.add(kefu.baseUrl() + "/first");
      DIRS_DURING.addAll(kefuDirs());
    }

    @Test void second(Kefu kefu) {
      SEEN.add(kefu.baseUrl() + "/second");
    }
  }

  static class InstanceFieldProbe {
    @RegisterExtension
    final KefuExtension kefu = KefuExtension.builder().build();

    @Test void first() {
      SEEN.add(kefu.baseUrl() + "/first");
    }

    @Test void second() {
      SEEN.add(kefu.baseUrl() + "/second");
    }
  }

  @KefuTest(rules = "tomorrow")
  static class BadRulesProbe {
    @Test void never_runs(Kefu kefu) {
      SEEN.add("ran");
    }
  }
}
