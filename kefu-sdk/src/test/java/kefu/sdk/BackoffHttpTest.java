package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kefu.protocol.WxError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code -1 system error} is retried with doubling waits, through the injected {@link Sleeper}: no real sleeps. */
class BackoffHttpTest {
  private static final String SEND = "/cgi-bin/message/custom/send";
  private static final String RID = "6aac005a-01bfdbee-79769285";
  private static final String BUSY = error(WxError.SYSTEM_ERROR);
  private static final String OK = "{\"errcode\":0,\"errmsg\":\"ok\"}";

  private static String error(WxError e) {
    return "{\"errcode\":" + e.code() + ",\"errmsg\":\"" + e.errmsg(RID) + "\"}";
  }

  private final StubWeChat wechat = StubWeChat.start();
  private final List<Duration> slept = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    wechat.close();
  }

  private KefuClient.Builder client() {
    return KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri()).sleeper(slept::add);
  }

  @Test
  void two_system_errors_then_success_take_three_tries_waiting_200_then_400_ms() {
    wechat.script(SEND, BUSY, BUSY, OK);
    client().build().sendText("o-user", "hi");
    assertThat(wechat.requests(SEND)).hasSize(3);
    assertThat(slept).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void a_system_error_that_persists_is_thrown_after_the_last_try_with_its_rid() {
    wechat.otherwise(SEND, StubWeChat.Answer.json(BUSY));
    WxException e = catchThrowableOfType(WxException.class, () -> client().build().sendText("o-user", "hi"));
    assertThat(e.errcode()).isEqualTo(-1);
    assertThat(e.error()).isEqualTo(WxError.SYSTEM_ERROR);
    assertThat(e.errmsg()).isEqualTo(WxError.SYSTEM_ERROR.message());
    assertThat(e.rid()).isEqualTo(RID);
    assertThat(wechat.requests(SEND)).hasSize(3);
    assertThat(slept).hasSize(2);
  }

  @Test
  void the_number_of_tries_and_the_first_wait_are_configurable() {
    wechat.otherwise(SEND, StubWeChat.Answer.json(BUSY));
    catchThrowableOfType(WxException.class,
        () -> client().retries(5, Duration.ofMillis(10)).build().sendText("o-user", "hi"));
    assertThat(wechat.requests(SEND)).hasSize(5);
    assertThat(slept).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
        Duration.ofMillis(80));
  }

  @Test
  void with_no_retries_a_system_error_is_thrown_at_once() {
    wechat.script(SEND, BUSY, OK);
    catchThrowableOfType(WxException.class, () -> client().retries(Retries.NONE).build().sendText("o-user", "hi"));
    assertThat(wechat.requests(SEND)).hasSize(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void the_token_request_is_retried_on_system_error_too() {
    wechat.script("/cgi-bin/token", BUSY);
    wechat.script(SEND, OK);
    client().build().sendText("o-user", "hi");
    assertThat(wechat.requests("/cgi-bin/token")).hasSize(2);
    assertThat(slept).containsExactly(Duration.ofMillis(200));
  }

  @Test
  void other_errcodes_are_not_retried() {
    wechat.script(SEND, error(WxError.OUT_OF_RESPONSE_COUNT_LIMIT));
    WxException e = catchThrowableOfType(WxException.class, () -> client().build().sendText("o-user", "hi"));
    assertThat(e.error()).isEqualTo(WxError.OUT_OF_RESPONSE_COUNT_LIMIT);
    assertThat(wechat.requests(SEND)).hasSize(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void an_answer_that_is_not_json_is_a_minus_one_naming_the_status_and_not_retried_for_a_send() {
    wechat.otherwise(SEND, new StubWeChat.Answer(502, "text/html", "<html>bad gateway</html>".getBytes()));
    WxException e = catchThrowableOfType(WxException.class, () -> client().build().sendText("o-user", "hi"));
    assertThat(e.errcode()).isEqualTo(-1);
    assertThat(e.errmsg()).contains("HTTP 502").contains(SEND).doesNotContain("access_token");
    assertThat(wechat.requests(SEND)).hasSize(1);
  }

  @Test
  void a_refused_connection_is_retried_and_then_thrown_as_minus_one_with_its_cause() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    KefuClient client = client().baseUrl(URI.create("http://127.0.0.1:" + closedPort)).build();
    WxException e = catchThrowableOfType(WxException.class, () -> client.sendText("o-user", "hi"));
    assertThat(e.errcode()).isEqualTo(-1);
    assertThat(e.getCause()).isNotNull();
    assertThat(e.rid()).isEmpty();
    assertThat(slept).hasSize(2);
  }

  @Test
  void an_unknown_errcode_keeps_its_number_and_maps_to_unknown() {
    wechat.script(SEND, "{\"errcode\":89503,\"errmsg\":\"此IP调用需要管理员确认,请联系管理员 rid: 6aac005a-01bfdbee-79769285\"}");
    WxException e = catchThrowableOfType(WxException.class, () -> client().build().sendText("o-user", "hi"));
    assertThat(e.errcode()).isEqualTo(89503);
    assertThat(e.error()).isEqualTo(WxError.UNKNOWN);
    assertThat(e.errmsg()).isEqualTo("此IP调用需要管理员确认,请联系管理员");
  }
}
