package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchTest {
  @Test
  void help_lists_the_options_and_exits_zero() {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new Bench()).setOut(new PrintWriter(text));
    assertThat(cli.execute("--help")).isZero();
    assertThat(text.toString()).contains("--seconds", "--warmup", "--clients", "--drain", "--out");
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
}
