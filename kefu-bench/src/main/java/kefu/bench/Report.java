package kefu.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import kefu.protocol.Json;

/**
 * A run's report, worked out from its JSON alone: each target of the project (the bar) with the figure
 * measured against it, met or missed and by how much, and the Markdown page of every figure. Pure functions.
 */
final class Report {
  static final double SEND_TO_BARE = 0.5;
  static final double SEND_TO_WIREMOCK = 2.0;
  static final double OPEN_LOOP_P99 = 1.5;
  static final double STARTUP_MS = 1000;
  static final double GROWTH_P50_CHANGE = 0.30;
  static final double RSS_MB = 512;

  private Report() {}

  /** What a target compares: measured {@code ≥ bar} (a floor) or {@code ≤ bar} (a ceiling). */
  enum Bound {
    AT_LEAST("≥"), AT_MOST("≤"), UNDER("<");

    final String sign;

    Bound(String sign) {
      this.sign = sign;
    }

    boolean met(double measured, double bar) {
      return switch (this) {
        case AT_LEAST -> measured >= bar;
        case AT_MOST -> measured <= bar;
        case UNDER -> measured < bar;
      };
    }

    /** How far from the bar, as a fraction of it: positive is the margin when met, the shortfall when missed. */
    double distance(double measured, double bar) {
      return this == AT_LEAST ? (measured - bar) / bar : (bar - measured) / bar;
    }
  }

  /** The project's targets, evaluated on the report's figures; a target whose phase did not run is "not measured". */
  static ArrayNode targets(JsonNode r) {
    ArrayNode t = Json.MAPPER.createArrayNode();
    Optional<JsonNode> at64 = sendRow(r, Bench.REFERENCE_CONNECTIONS);
    target(t, "durable send throughput / bare server, 64 connections", "×", Bound.AT_LEAST, SEND_TO_BARE,
        at64.map(row -> row.path("kefu_to_bare").asDouble()));
    target(t, "durable send throughput / WireMock, 64 connections", "×", Bound.AT_LEAST, SEND_TO_WIREMOCK,
        at64.map(row -> row.path("kefu_to_wiremock").asDouble()));
    target(t, "open-loop p99 kefu / bare at half kefu's peak", "×", Bound.AT_MOST, OPEN_LOOP_P99,
        present(r.path("open_loop").path("kefu_p99_to_bare_p99")));
    target(t, "start-up to healthy (median of " + r.path("startup").path("kefu_process_ms").path("runs").size()
            + ")", "ms", Bound.AT_MOST, STARTUP_MS,
        present(r.path("startup").path("kefu_process_ms").path("median")));
    JsonNode growth = r.path("growth");
    Optional<Double> change = Optional.empty();
    String sizes = "";
    if (growth.size() >= 2) {
      JsonNode first = growth.get(0);
      JsonNode last = growth.get(growth.size() - 1);
      double p50 = first.path("send").path("latency_ms").path("p50").asDouble();
      if (p50 > 0) {
        change = Optional.of(Bench.round(
            Math.abs(last.path("send").path("latency_ms").path("p50").asDouble() - p50) / p50 * 100, 1));
      }
      sizes = ", " + count(first.path("target_messages").asLong()) + " → " + count(last.path("target_messages")
          .asLong()) + " messages";
    }
    target(t, "send p50 change with growth" + sizes, "%", Bound.AT_MOST, GROWTH_P50_CHANGE * 100, change);
    OptionalDouble rss = growth.findValues("rss_mb").stream().mapToDouble(JsonNode::asDouble).max();
    target(t, "kefu RSS after each growth step (largest)", "MB", Bound.UNDER, RSS_MB,
        rss.isPresent() ? Optional.of(rss.getAsDouble()) : Optional.empty());
    return t;
  }

  private static Optional<Double> present(JsonNode n) {
    return n.isNumber() ? Optional.of(n.asDouble()) : Optional.empty();
  }

  private static void target(ArrayNode t, String name, String unit, Bound bound, double bar,
                             Optional<Double> measured) {
    ObjectNode o = t.addObject().put("target", name).put("bar", bound.sign + " " + number(bar) + " " + unit)
        .put("unit", unit);
    if (measured.isEmpty()) {
      o.putNull("measured");
      o.put("verdict", "not measured");
      return;
    }
    double m = measured.get();
    boolean met = bound.met(m, bar);
    double by = Math.abs(bound.distance(m, bar)) * 100;
    o.put("measured", m).put("met", met)
        .put("verdict", (met ? "met, margin " : "missed by ") + String.format(Locale.ROOT, "%.0f%%", by));
  }

  private static Optional<JsonNode> sendRow(JsonNode r, int connections) {
    for (JsonNode row : r.path("send")) {
      if (row.path("connections").asInt() == connections) {
        return Optional.of(row);
      }
    }
    return Optional.empty();
  }

  // --- Markdown ------------------------------------------------------------------------------------------------------

  static String markdown(JsonNode r) {
    StringBuilder md = new StringBuilder();
    JsonNode m = r.path("machine");
    line(md, "# kefu bench — " + r.path("date").asText() + " (" + r.path("variant").asText() + ")");
    line(md, "");
    line(md, "`" + r.path("command").asText() + "` on " + m.path("cpus").asInt() + " CPUs (" + m.path("cpu_model")
        .asText() + "), " + number(m.path("memory_gib").asDouble()) + " GiB RAM, " + m.path("os").asText()
        + "; JDK " + m.path("jdk").asText() + ", " + m.path("jdk_vendor").asText() + ". Load average at the start: "
        + m.path("load_average_at_start").asText() + ". Client, servers and receiver share the machine: compare "
        + "ratios, not absolute figures.");
    line(md, "");
    JsonNode s = r.path("settings");
    line(md, "Each phase: " + number(s.path("warmup_seconds").asDouble()) + " s warm-up, "
        + number(s.path("seconds").asDouble()) + " s measured; sends go round robin to " + s.path("users").asInt()
        + " users with open windows. Servers under test, each in its own JVM with the same options ("
        + (r.path("servers").path("jvm_options").isEmpty() ? "none added"
        : r.path("servers").path("jvm_options").toString()) + "):");
    line(md, "");
    for (String name : new String[] {"kefu", "bare", "wiremock", "load_generator"}) {
      if (r.path("servers").has(name)) {
        line(md, "- **" + name + "**: " + r.path("servers").path(name).asText());
      }
    }
    line(md, "");
    targetsTable(md, r.path("targets"));
    sendTables(md, r);
    openLoop(md, r.path("open_loop"));
    push(md, r);
    startup(md, r.path("startup"));
    growth(md, r.path("growth"));
    postgres(md, r.path("postgres"));
    if (!r.path("failures").isEmpty()) {
      line(md, "## Failures");
      line(md, "");
      r.path("failures").forEach(f -> line(md, "- " + f.asText()));
      line(md, "");
    }
    return md.toString();
  }

  private static void targetsTable(StringBuilder md, JsonNode targets) {
    line(md, "## Targets");
    line(md, "");
    line(md, "| target | bar | measured | verdict |");
    line(md, "|---|---|---|---|");
    for (JsonNode t : targets) {
      line(md, "| " + t.path("target").asText() + " | " + t.path("bar").asText() + " | "
          + (t.path("measured").isNumber() ? number(t.path("measured").asDouble()) + " " + t.path("unit").asText()
          : "—") + " | " + t.path("verdict").asText().replaceFirst("^(met|missed)", "**$1**") + " |");
    }
    line(md, "");
  }

  private static void sendTables(StringBuilder md, JsonNode r) {
    if (!r.has("send")) {
      return;
    }
    line(md, "## Send: `POST /cgi-bin/message/custom/send`, closed loop");
    line(md, "");
    line(md, "Throughput counts errcode 0 only. kefu's answers are durable (on disk before errcode 0).");
    line(md, "");
    line(md, "| connections | kefu req/s | bare req/s | WireMock req/s | kefu / bare | kefu / WireMock |");
    line(md, "|---:|---:|---:|---:|---:|---:|");
    for (JsonNode row : r.path("send")) {
      line(md, "| " + row.path("connections").asInt() + " | " + rps(row.path("kefu")) + " | " + rps(row.path("bare"))
          + " | " + rps(row.path("wiremock")) + " | " + number(row.path("kefu_to_bare").asDouble()) + " | "
          + number(row.path("kefu_to_wiremock").asDouble()) + " |");
    }
    line(md, "");
    line(md, "| connections | server | p50 ms | p99 ms | p99.9 ms | max ms | failed |");
    line(md, "|---:|---|---:|---:|---:|---:|---:|");
    for (JsonNode row : r.path("send")) {
      for (String server : new String[] {"kefu", "bare", "wiremock"}) {
        if (row.has(server)) {
          latencyRow(md, row.path("connections").asText() + " | " + server, row.path(server));
        }
      }
    }
    line(md, "");
    JsonNode memory = r.path("memory_after_send");
    if (!memory.isEmpty()) {
      line(md, "Memory after the send phase: " + String.join("; ", memory.properties().stream()
          .map(e -> e.getKey() + " " + memory(e.getValue())).toList()) + ".");
      line(md, "");
    }
  }

  private static void openLoop(StringBuilder md, JsonNode o) {
    if (o.isMissingNode()) {
      return;
    }
    line(md, "## Send at a fixed rate (open loop)");
    line(md, "");
    line(md, o.path("rate_per_second").asInt() + " requests/s (" + o.path("rate_from").asText() + ") over "
        + o.path("connections").asInt() + " connections; latency from each request's due time. p99 kefu / bare = **"
        + number(o.path("kefu_p99_to_bare_p99").asDouble()) + "**.");
    line(md, "");
    line(md, "| server | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | failed |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|");
    for (String server : new String[] {"kefu", "bare"}) {
      JsonNode s = o.path(server);
      JsonNode l = s.path("latency_ms");
      line(md, "| " + server + " | " + rps(s) + " | " + ms(l, "p50") + " | " + ms(l, "p99") + " | " + ms(l, "p99_9")
          + " | " + ms(l, "max") + " | " + s.path("failures").asLong() + " |");
    }
    line(md, "");
  }

  private static void push(StringBuilder md, JsonNode r) {
    if (!r.has("push") && !r.has("push_rate")) {
      return;
    }
    line(md, "## Push delivery to a local receiver answering `success`");
    line(md, "");
    line(md, "Delivery latency: from the user's message (its request's start; open loop: its due time) to the push's "
        + "arrival at the receiver. Backlog: accepted but not yet pushed when the window ended.");
    line(md, "");
    line(md, "| phase | msgs/s | pushes/s | p50 ms | p99 ms | p99.9 ms | max ms | backlog | drain s | missing |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    if (r.has("push")) {
      pushRow(md, "closed loop, 64 connections", r.path("push"));
    }
    for (JsonNode p : r.path("push_rate")) {
      pushRow(md, "open loop at " + p.path("target_rate_per_second").asInt() + "/s", p);
    }
    line(md, "");
  }

  private static void pushRow(StringBuilder md, String name, JsonNode p) {
    JsonNode push = p.path("push");
    JsonNode l = push.path("delivery_latency_ms");
    line(md, "| " + name + " | " + rps(p) + " | " + number(push.path("pushes_per_second").asDouble()) + " | "
        + ms(l, "p50") + " | " + ms(l, "p99") + " | " + ms(l, "p99_9") + " | " + ms(l, "max") + " | "
        + push.path("backlog_at_window_end").asLong() + " | " + number(push.path("drain_seconds").asDouble()) + " | "
        + push.path("missing").asLong() + " |");
  }

  private static void startup(StringBuilder md, JsonNode s) {
    if (s.isMissingNode()) {
      return;
    }
    line(md, "## Start-up");
    line(md, "");
    JsonNode p = s.path("kefu_process_ms");
    line(md, "| what | ms |");
    line(md, "|---|---:|");
    line(md, "| `kefu-server.jar serve`, process spawn to `/kefu/v1/health` 200, median of " + p.path("runs").size()
        + " (min " + number(p.path("min").asDouble()) + ", max " + number(p.path("max").asDouble()) + ") | "
        + number(p.path("median").asDouble()) + " |");
    JsonNode e = s.path("junit_extension");
    if (e.has("first_start_ms")) {
      line(md, "| JUnit extension: first start in a fresh JVM (class start to first test body) | "
          + number(e.path("first_start_ms").asDouble()) + " |");
      line(md, "| JUnit extension: JVM uptime when the first test body began | "
          + number(e.path("jvm_uptime_at_first_test_ms").asDouble()) + " |");
      line(md, "| JUnit extension: second start in the same JVM | " + number(e.path("second_start_ms").asDouble())
          + " |");
      line(md, "| JUnit extension: per test (reset), median (max " + number(e.path("per_test_max_ms").asDouble())
          + ") | " + number(e.path("per_test_median_ms").asDouble()) + " |");
    }
    line(md, "");
  }

  private static void growth(StringBuilder md, JsonNode g) {
    if (g.isMissingNode() || g.isEmpty()) {
      return;
    }
    line(md, "## Growth: send at 64 connections with stored messages");
    line(md, "");
    line(md, "| stored messages | fill s | kefu.db MB | start-up ms | req/s | p50 ms | p99 ms | p99.9 ms | RSS MB | "
        + "heap used / committed MB |");
    line(md, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (JsonNode row : g) {
      JsonNode l = row.path("send").path("latency_ms");
      line(md, "| " + count(row.path("stored_messages").asLong()) + " | " + number(row.path("fill_seconds").asDouble())
          + " | " + number(row.path("db_mb").asDouble()) + " | " + number(row.path("startup_ms").asDouble()) + " | "
          + rps(row.path("send")) + " | " + ms(l, "p50") + " | " + ms(l, "p99") + " | " + ms(l, "p99_9") + " | "
          + number(row.path("rss_mb").asDouble()) + " | " + number(row.path("heap_used_mb").asDouble()) + " / "
          + number(row.path("heap_committed_mb").asDouble()) + " |");
    }
    line(md, "");
  }

  private static void postgres(StringBuilder md, JsonNode p) {
    if (p.isMissingNode()) {
      return;
    }
    line(md, "## PostgreSQL: send at 64 connections");
    line(md, "");
    if (p.has("skipped")) {
      line(md, "Skipped: " + p.path("skipped").asText() + ".");
      line(md, "");
      return;
    }
    line(md, "PostgreSQL " + p.path("server_version").asText() + " at " + p.path("url").asText() + ", pool of "
        + p.path("pool_size_per_node").asInt() + " per node, each deployment on a fresh schema. Two nodes / one = **"
        + number(p.path("two_to_one").asDouble()) + "**.");
    line(md, "");
    line(md, "| nodes | req/s | p50 ms | p99 ms | p99.9 ms | max ms | failed |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|");
    latencyRow(md, "1 | " + rps(p.path("one_node")), p.path("one_node"));
    latencyRow(md, "2 | " + rps(p.path("two_nodes")), p.path("two_nodes"));
    line(md, "");
  }

  private static void latencyRow(StringBuilder md, String head, JsonNode s) {
    JsonNode l = s.path("latency_ms");
    line(md, "| " + head + " | " + ms(l, "p50") + " | " + ms(l, "p99") + " | " + ms(l, "p99_9") + " | " + ms(l, "max")
        + " | " + s.path("failures").asLong() + " |");
  }

  private static String memory(JsonNode m) {
    return "RSS " + number(m.path("rss_mb").asDouble()) + " MB, heap " + number(m.path("heap_used_mb").asDouble())
        + " / " + number(m.path("heap_committed_mb").asDouble()) + " MB used / committed";
  }

  private static String rps(JsonNode s) {
    return s.has("throughput_rps") ? String.format(Locale.ROOT, "%,.0f", s.path("throughput_rps").asDouble()) : "—";
  }

  private static String ms(JsonNode latency, String field) {
    return String.format(Locale.ROOT, "%.2f", latency.path(field).asDouble());
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static void line(StringBuilder md, String text) {
    md.append(text).append('\n');
  }
}
