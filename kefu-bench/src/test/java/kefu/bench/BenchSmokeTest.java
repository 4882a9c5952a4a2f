package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kefu.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole bench, every phase, on tiny settings, so that it does not rot: real kefu, bare and WireMock processes,
 * half a second of load each. It asserts that every phase ran, failed nothing and reported its figures, not how fast
 * anything was: on a busy machine a cold server may answer nothing inside half a second.
 */
class BenchSmokeTest {
  @TempDir
  Path results;

  @Test
  void a_tiny_run_measures_every_phase_and_writes_the_table_and_the_json() throws IOException {
    int exit = new CommandLine(new Bench()).execute("--warmup", "0.5", "--seconds", "0.5", "--connections", "2,64",
        "--users", "8", "--startups", "1", "--growth", "150,300", "--push-rate", "20", "--drain", "30",
        "--results", results.toString());

    List<Path> written;
    try (Stream<Path> files = Files.list(results)) {
      written = files.sorted().toList();
    }
    assertThat(written).hasSize(2);
    assertThat(written.get(0).getFileName().toString()).matches("\\d{8}T\\d{6}Z\\.json");
    assertThat(written.get(1).getFileName().toString()).matches("\\d{8}T\\d{6}Z\\.md");
    JsonNode r = Json.MAPPER.readTree(written.get(0).toFile());
    assertThat(r.path("failures")).isEmpty();
    assertThat(exit).isZero();
    assertThat(r.path("machine").path("cpus").asInt()).isPositive();

    assertThat(r.path("startup").path("kefu_process_ms").path("median").asDouble()).isPositive();
    assertThat(r.path("startup").path("junit_extension").path("first_start_ms").asDouble()).isPositive();
    assertThat(r.path("startup").path("junit_extension").path("per_test_median_ms").asDouble()).isPositive();

    assertThat(r.path("send")).hasSize(2);
    for (JsonNode row : r.path("send")) {
      assertThat(row.fieldNames()).toIterable().contains("kefu", "bare", "wiremock", "kefu_to_bare",
          "kefu_to_wiremock");
      for (String server : List.of("kefu", "bare", "wiremock")) {
        assertThat(row.path(server).path("latency_ms").has("p99_9")).as(server).isTrue();
      }
    }
    assertThat(r.path("memory_after_send").path("kefu").path("rss_mb").asDouble()).isPositive();
    assertThat(r.path("memory_after_send").path("kefu").path("heap_used_mb").asDouble()).isPositive();
    assertThat(r.path("memory_after_send").path("wiremock").path("rss_mb").asDouble()).isPositive();

    JsonNode open = r.path("open_loop");
    assertThat(open.path("rate_per_second").asInt()).isEqualTo(
        (int) Math.max(1, Math.round(r.path("send").get(1).path("kefu").path("throughput_rps").asDouble() / 2)));
    assertThat(open.fieldNames()).toIterable().contains("kefu", "bare", "kefu_p99_to_bare_p99");

    assertThat(r.path("push").path("push").path("missing").asLong()).isZero();
    assertThat(r.path("push_rate").get(0).path("target_rate_per_second").asInt()).isEqualTo(20);
    assertThat(r.path("push_rate").get(0).path("push").path("missing").asLong()).isZero();

    assertThat(r.path("growth")).hasSize(2);
    assertThat(r.path("growth").get(0).path("stored_messages").asLong()).isGreaterThanOrEqualTo(150);
    assertThat(r.path("growth").get(1).path("stored_messages").asLong()).isGreaterThanOrEqualTo(300);
    assertThat(r.path("growth").get(1).path("rss_mb").asDouble()).isPositive();

    JsonNode pg = r.path("postgres");
    if (!pg.has("skipped")) {
      assertThat(pg.fieldNames()).toIterable().contains("one_node", "two_nodes", "two_to_one", "server_version");
    }

    assertThat(r.path("targets")).hasSize(6);
    assertThat(Files.readString(written.get(1))).contains("## Targets", "## Send", "## Push delivery", "## Start-up",
        "## Growth", "## PostgreSQL");
  }
}
