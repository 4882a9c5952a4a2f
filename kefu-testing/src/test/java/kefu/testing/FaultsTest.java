package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;
import static kefu.testing.KefuAssertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Fault injection from a test: {@code kefu.faults()}, and the marks in the journals. */
@KefuTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String SEND = "/cgi-bin/message/custom/send";
  private final Backend backend = new Backend();

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test @Order(1)
  void an_injected_errcode_answers_the_next_send_and_marks_it_in_the_requests(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    InjectedFault busy = kefu.faults().inject(Fault.errcode(-1).on(SEND));

    assertThat(kefu.api().sendText(alice, "1")).hasError(WxError.SYSTEM_ERROR);
    assertThat(kefu.api().sendText(alice, "2")).isOk();

    assertThat(alice.window().remaining()).isEqualTo(4);
    assertThat(kefu.requests()).filteredOn(r -> r.path().equals(SEND)).extracting(RecordedRequest::fault)
        .containsExactly(new FaultMark(busy.id(), "errcode -1"), FaultMark.NONE);
    assertThat(kefu.faults().list()).extracting(InjectedFault::used, InjectedFault::state)
        .containsExactly(KefuAssertions.tuple(1, "used_up"));
  }

  @Test @Order(2)
  void the_faults_of_the_previous_test_are_gone(Kefu kefu) {
    assertThat(kefu.faults().list()).isEmpty();
  }

  @Test @Order(3)
  void a_fault_for_one_user_leaves_the_others_alone_for_as_many_times_as_asked(Kefu kefu) {
    var alice = kefu.user("o-alice");
    var bob = kefu.user("o-bob");
    alice.says("hi");
    bob.says("hi");
    kefu.faults().inject(Fault.errcode(45011).forUser(alice).times(2));

    assertThat(kefu.api().sendText(bob, "b")).isOk();
    assertThat(kefu.api().sendText(alice, "a1")).hasErrcode(45011);
    assertThat(kefu.api().sendText(alice, "a2")).hasErrcode(45011);
    assertThat(kefu.api().sendText(alice, "a3")).isOk();
  }

  @Test @Order(4)
  void a_fault_during_a_span_ends_when_kefus_clock_moves_past_it(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    InjectedFault fault = kefu.faults().inject(Fault.errcode(45009).on(SEND).during(Duration.ofMinutes(1)));
    assertThat(fault.remaining()).isNull();
    assertThat(fault.expiresAt()).isEqualTo(kefu.clock().now().plus(Duration.ofMinutes(1)));

    assertThat(kefu.api().sendText(alice, "1")).hasErrcode(45009);
    assertThat(kefu.api().sendText(alice, "2")).hasErrcode(45009);
    kefu.clock().advance(Duration.ofMinutes(1));
    assertThat(kefu.api().sendText(alice, "3")).isOk();
  }

  @Test @Order(5)
  void a_dropped_connection_reaches_the_client_as_an_io_error(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.says("hi");
    kefu.faults().inject(Fault.dropConnectionAfterCall().on(SEND));

    assertThatThrownBy(() -> kefu.api().sendText(alice, "did it go?")).isInstanceOf(UncheckedIOException.class);
    assertThat(alice.window().remaining()).as("it went").isEqualTo(4);
  }

  @Test @Order(6)
  void a_duplicated_push_is_taken_twice_with_the_same_msg_id(Kefu kefu) {
    kefu.usePushUrl(backend.url());
    var alice = kefu.user("o-alice");
    kefu.faults().inject(Fault.duplicatePush().forUser(alice));
    long msgId = alice.says("once");

    RecordedPush first = kefu.takePush(WAIT);
    RecordedPush again = kefu.takePush(WAIT);

    assertThat(again.msgId()).isEqualTo(first.msgId()).isEqualTo(msgId);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(first.fault().present()).isFalse();
    assertThat(again.fault().effect()).isEqualTo("duplicate push");
  }

  @Test @Order(7)
  void a_delayed_push_comes_when_the_clock_is_moved(Kefu kefu) {
    kefu.usePushUrl(backend.url());
    var alice = kefu.user("o-alice");
    kefu.faults().inject(Fault.delayPush(Duration.ofSeconds(30)));
    alice.says("later");

    RecordedPush held = kefu.takePush(WAIT);
    assertThat(held.outcome()).isEqualTo("delayed");
    assertThat(held.fault().effect()).isEqualTo("delay push 30000 ms");
    kefu.clock().advance(Duration.ofSeconds(30));
    RecordedPush delivered = kefu.takePush(WAIT);
    assertThat(delivered.delivered()).isTrue();
    assertThat(delivered.msgId()).isEqualTo(held.msgId());
  }

  @Test @Order(8)
  void faults_are_removed_one_by_one_or_all_and_a_refused_one_fails_the_test(Kefu kefu) {
    InjectedFault first = kefu.faults().inject(Fault.latency(Duration.ofSeconds(1)).times(3));
    kefu.faults().inject(Fault.dropConnection());
    kefu.faults().inject(Fault.errcode(89503, "此次调用需要管理员确认"));

    kefu.faults().remove(first);
    assertThat(kefu.faults().list()).extracting(InjectedFault::effect).containsExactly("drop", "errcode");
    kefu.faults().clear();
    assertThat(kefu.faults().list()).isEmpty();
    assertThatThrownBy(() -> kefu.faults().inject(Fault.latency(Duration.ofMinutes(5))))
        .isInstanceOf(AssertionError.class).hasMessageContaining("effect.ms of latency");
  }
}
