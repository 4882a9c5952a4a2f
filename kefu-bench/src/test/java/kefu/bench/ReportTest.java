package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kefu.protocol.Json;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void each_target_is_evaluated_on_its_figure_with_the_margin_or_shortfall() {
    ArrayNode targets = Report.targets(run());
    assertThat(targets).hasSize(6);
    assertThat(verdict(targets, 0)).isEqualTo("met, margin 20%");          // 0.6 against ≥ 0.5
    assertThat(verdict(targets, 1)).isEqualTo("missed by 25%");            // 1.5 against ≥ 2
    assertThat(verdict(targets, 2)).isEqualTo("missed by 100%");           // 3.0 against ≤ 1.5
    assertThat(verdict(targets, 3)).isEqualTo("met, margin 10%");          // 900 ms against ≤ 1000
    assertThat(targets.get(4).path("measured").asDouble()).isEqualTo(40.0); // p50 2.0 → 2.8 ms
    assertThat(verdict(targets, 4)).isEqualTo("missed by 33%");
    assertThat(targets.get(5).path("measured").asDouble()).isEqualTo(300.0);
    assertThat(targets.get(5).path("met").asBoolean()).isTrue();
  }

  @Test
  void a_target_whose_phase_did_not_run_is_not_measured() {
    ArrayNode targets = Report.targets(Json.newObject());
    assertThat(targets).allSatisfy(t -> assertThat(t.path("verdict").asText()).isEqualTo("not measured"));
  }

  @Test
  void the_markdown_page_has_the_targets_and_every_table_of_the_run() {
    ObjectNode r = run();
    r.set("targets", Report.targets(r));
    String md = Report.markdown(r);
    assertThat(md).contains("## Targets", "| durable send throughput / bare server, 64 connections | ≥ 0.50 × | 0.60 × "
            + "| **met**, margin 20% |", "## Send: `POST /cgi-bin/message/custom/send`, closed loop",
        "| 64 | 3,000 | 5,000 | 2,000 | 0.60 | 1.50 |", "## Growth", "| 10,000,000 |", "## Start-up");
  }

  private static String verdict(JsonNode targets, int i) {
    return targets.get(i).path("verdict").asText();
  }

  /** A run's JSON with the figures the targets read. */
  private static ObjectNode run() {
    ObjectNode r = Json.newObject().put("date", "2026-01-01T00:00:00Z").put("variant", "full")
        .put("command", "./kefu bench");
    ObjectNode row = r.putArray("send").addObject().put("connections", 64).put("kefu_to_bare", 0.6)
        .put("kefu_to_wiremock", 1.5);
    row.putObject("kefu").put("throughput_rps", 3000.0);
    row.putObject("bare").put("throughput_rps", 5000.0);
    row.putObject("wiremock").put("throughput_rps", 2000.0);
    r.putObject("open_loop").put("kefu_p99_to_bare_p99", 3.0);
    ObjectNode startup = r.putObject("startup").putObject("kefu_process_ms").put("median", 900.0);
    startup.putArray("runs").add(900.0);
    ArrayNode growth = r.putArray("growth");
    growth(growth, 10_000, 2.0, 250);
    growth(growth, 10_000_000, 2.8, 300);
    return r;
  }

  private static void growth(ArrayNode growth, long messages, double p50, double rss) {
    ObjectNode g = growth.addObject().put("target_messages", messages).put("stored_messages", messages)
        .put("rss_mb", rss);
    g.putObject("send").putObject("latency_ms").put("p50", p50);
  }
}
