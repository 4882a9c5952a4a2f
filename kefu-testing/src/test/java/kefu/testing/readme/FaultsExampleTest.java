package kefu.testing.readme;

import static kefu.testing.KefuAssertions.assertThat;

import kefu.testing.Fault;
import kefu.testing.Kefu;
import kefu.testing.KefuTest;
import org.junit.jupiter.api.Test;

/** The README's fault-injection example, compiled and run; {@code ReadmeSnippetsTest} checks the README shows it. */
@KefuTest
class FaultsExampleTest {
  // snippet:testing-faults
  @Test void wechat_busy_twice_answers_minus_one_and_the_failed_sends_cost_nothing(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    kefu.faults().inject(Fault.errcode(-1).on("/cgi-bin/message/custom/send").times(2));

    assertThat(kefu.api().sendText(alice, "1")).hasErrcode(-1);
    assertThat(kefu.api().sendText(alice, "2")).hasErrcode(-1);
    assertThat(kefu.api().sendText(alice, "3")).isOk();
    assertThat(alice.window().remaining()).isEqualTo(4);
    assertThat(kefu.requests()).filteredOn(r -> r.fault().present()).hasSize(2);
  }
  // /snippet
}
