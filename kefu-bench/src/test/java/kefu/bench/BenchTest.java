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
    assertThat(text.toString()).contains("--quick", "--seconds", "--warmup", "--connections", "--users", "--startups",
        "--growth", "--push-rate", "--drain", "--open-rate", "--postgres", "--only", "--jvm-opt", "--server-jar",
        "--wiremock-jar", "--results");
  }

  @Test
  void without_options_a_full_run_measures_16_64_and_256_connections_and_up_to_ten_million_messages() {
    Bench bench = parsed();
    assertThat(bench.settings()).isEqualTo(Bench.Settings.FULL);
    assertThat(Bench.Settings.FULL.connections()).containsExactly(16, 64, 256);
    assertThat(Bench.Settings.FULL.growth()).containsExactly(10_000L, 1_000_000L, 10_000_000L);
    assertThat(Bench.phasesToRun(null)).isEqualTo(Bench.PHASES);
  }

  @Test
  void quick_takes_its_preset_and_options_given_change_it() {
    assertThat(parsed("--quick").settings()).isEqualTo(Bench.Settings.QUICK);
    Bench.Settings s = parsed("--quick", "--seconds", "0.5", "--connections", "4,8", "--growth", "100,200").settings();
    assertThat(s.seconds()).isEqualTo(0.5);
    assertThat(s.connections()).containsExactly(4, 8);
    assertThat(s.growth()).containsExactly(100L, 200L);
    assertThat(s.users()).isEqualTo(Bench.Settings.QUICK.users());
  }

  @Test
  void only_keeps_the_run_order_whatever_the_order_given() {
    assertThat(Bench.phasesToRun(List.of("growth", "send", "startup"))).containsExactly("startup", "send", "growth");
  }

  @Test
  void zero_connections_is_a_usage_error_before_anything_starts() {
    assertThat(usageError("--connections", "16,0")).contains("--connections");
  }

  @Test
  void growth_sizes_out_of_order_are_a_usage_error() {
    assertThat(usageError("--growth", "1000,100")).contains("strictly ascending");
  }

  @Test
  void push_rates_under_one_or_given_twice_are_a_usage_error() {
    assertThat(usageError("--push-rate", "0")).contains("at least 1 message/s");
    assertThat(usageError("--push-rate", "100,100")).contains("strictly ascending");
  }

  @Test
  void an_unknown_phase_in_only_is_a_usage_error_naming_the_known_ones() {
    assertThat(usageError("--only", "send,sned")).contains("unknown phase 'sned'", "postgres");
  }

  @Test
  void open_loop_alone_needs_a_rate() {
    assertThat(usageError("--only", "open-loop")).contains("--open-rate");
  }

  @Test
  void a_postgres_url_with_its_own_schema_is_a_usage_error() {
    assertThat(usageError("--postgres", PG + "&schema=kefu")).contains("leave out the schema parameter");
  }

  @Test
  void a_postgres_option_that_is_not_a_postgresql_url_is_a_usage_error() {
    assertThat(usageError("--postgres", "mysql://127.0.0.1/test")).contains("--postgres");
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

  @Test
  void the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    assertThat(Bench.median(List.of(1.0, 2.0, 10.0))).isEqualTo(2.0);
    assertThat(Bench.median(List.of(1.0, 2.0, 4.0, 10.0))).isEqualTo(3.0);
  }

  @Test
  void kefu_yaml_gives_the_bench_app_its_ten_million_sends() {
    assertThat(KefuCommand.yaml(Bench.APP)).contains("appid: wxkefubench0000001",
        "message: {count: 10000000, seconds: 172800}");
  }

  private static Bench parsed(String... args) {
    Bench bench = new Bench();
    CommandLine cli = new CommandLine(bench);
    cli.parseArgs(args);
    bench.spec = cli.getCommandSpec();
    return bench;
  }

  /** Runs the command line, which must exit 2 before anything starts; what it printed. */
  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(2);
    return err.toString();
  }
}
