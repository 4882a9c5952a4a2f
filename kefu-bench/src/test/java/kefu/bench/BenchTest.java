package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchTest {
  private static final String PG = "postgresql://127.0.0.1:5432/test?user=postgres";

  @Test
  void help_lists_the_options_and_exits_zero() {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setOut(new PrintWriter(text));
    assertThat(cli.execute("--help")).isZero();
    assertThat(text.toString())
        .contains("--seconds", "--warmup", "--clients", "--drain", "--out", "--postgres", "--only",
            "--push-rate");
  }

  @Test
  void zero_clients_is_a_usage_error_before_anything_starts() {
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("--clients", "0")).isEqualTo(2);
  }

  @Test
  void a_drain_bound_under_one_second_is_a_usage_error() {
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("--drain", "0")).isEqualTo(2);
  }

  @Test
  void only_and_postgres_are_parsed_into_a_list_of_phases_and_a_url() {
    Bench bench = new Bench();
    new CommandLine(bench).parseArgs("--postgres", PG, "--only", "send,pg-send-1", "--only", "pg-send-2");
    assertThat(bench.postgres).isEqualTo(PG);
    assertThat(bench.only).containsExactly("send", "pg-send-1", "pg-send-2");
  }

  @Test
  void without_options_every_embedded_phase_runs_and_no_postgres_phase() {
    assertThat(Bench.phasesToRun(null, false)).isEqualTo(Bench.EMBEDDED_PHASES);
  }

  @Test
  void with_postgres_the_postgres_phases_run_after_the_embedded_ones() {
    assertThat(Bench.phasesToRun(null, true)).containsExactly("health", "store-read", "send", "msg-no-push",
        "push-plain", "push-secure", "push-rate", "pg-health-1", "pg-send-1", "pg-health-2", "pg-send-2");
  }

  @Test
  void push_rate_takes_one_or_more_rates_and_defaults_to_200() {
    Bench bench = new Bench();
    new CommandLine(bench).parseArgs();
    assertThat(bench.pushRates).containsExactly(200);
    new CommandLine(bench).parseArgs("--only", "push-rate", "--push-rate", "100,300", "--push-rate", "600");
    assertThat(bench.pushRates).containsExactly(100, 300, 600);
    assertThat(Bench.phasesToRun(bench.only, false)).containsExactly("push-rate");
    assertThat(Bench.pushRateName(300)).isEqualTo("push-rate@300");
  }

  @Test
  void a_push_rate_under_one_or_given_twice_is_a_usage_error() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(err));
    assertThat(cli.execute("--push-rate", "0")).isEqualTo(2);
    assertThat(cli.execute("--push-rate", "100,100")).isEqualTo(2);
    assertThat(err.toString()).contains("at least 1 message/s", "given twice");
  }

  @Test
  void only_keeps_the_run_order_whatever_the_order_given() {
    assertThat(Bench.phasesToRun(List.of("pg-send-2", "send", "pg-send-1"), true))
        .containsExactly("send", "pg-send-1", "pg-send-2");
  }

  @Test
  void an_unknown_phase_in_only_is_a_usage_error_naming_the_known_ones() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(err));
    assertThat(cli.execute("--only", "send,sned")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown phase 'sned'", "pg-send-2");
  }

  @Test
  void a_postgres_phase_without_postgres_is_a_usage_error() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(err));
    assertThat(cli.execute("--only", "pg-send-1")).isEqualTo(2);
    assertThat(err.toString()).contains("pg-send-1 needs --postgres");
  }

  @Test
  void a_postgres_url_with_its_own_schema_is_a_usage_error() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(err));
    assertThat(cli.execute("--postgres", PG + "&schema=kefu")).isEqualTo(2);
    assertThat(err.toString()).contains("leave out the schema parameter");
  }

  @Test
  void a_postgres_option_that_is_not_a_postgresql_url_is_a_usage_error() {
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("--postgres", "mysql://127.0.0.1/test")).isEqualTo(2);
  }

  @Test
  void the_schema_goes_into_the_query_whether_or_not_the_url_has_one() {
    assertThat(PostgresDeployment.withSchema(PG, "kefu_bench_1"))
        .isEqualTo("postgresql://127.0.0.1:5432/test?user=postgres&schema=kefu_bench_1");
    assertThat(PostgresDeployment.withSchema("postgresql://u@h/db", "kefu_bench_1"))
        .isEqualTo("postgresql://u@h/db?schema=kefu_bench_1");
    assertThat(PostgresDeployment.hasSchema("postgresql://h/db?user=u&schema=x")).isTrue();
    assertThat(PostgresDeployment.hasSchema("postgresql://h/db?user=schema")).isFalse();
  }
}
