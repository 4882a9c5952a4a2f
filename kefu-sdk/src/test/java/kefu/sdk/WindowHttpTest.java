package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import kefu.protocol.WxError;
import kefu.protocol.window.WindowRules;
import kefu.sdk.window.WindowState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code window(openid)}: kefu's exact state when kefu answers, the tracker's estimate otherwise. */
class WindowHttpTest {
  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void kefu_tells_the_window_after_a_message_and_counts_the_sends() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    Instant now = kefu.clock().instant();
    WindowState w = client.window(alice);
    assertThat(w).isEqualTo(new WindowState(true, 5, now.plus(Duration.ofHours(48)), "seed",
        WindowState.Source.KEFU));
    client.sendText(alice, "one");
    assertThat(client.window(alice).remaining()).isEqualTo(4);
    kefu.advance(Duration.ofHours(48));
    assertThat(client.window(alice)).isEqualTo(new WindowState(false, 0, null, "seed", WindowState.Source.KEFU));
  }

  @Test
  void kefu_tells_the_one_minute_window_of_a_user_who_entered() {
    KefuClient client = kefu.client().build();
    String bob = kefu.user();
    assertThat(client.window(bob).open()).isFalse();
    kefu.enters(bob);
    WindowState w = client.window(bob);
    assertThat(w.canSend()).isTrue();
    assertThat(w.remaining()).isEqualTo(1);
    assertThat(w.closesAt()).isEqualTo(kefu.clock().instant().plus(Duration.ofMinutes(1)));
  }

  @Test
  void an_unknown_user_is_kefus_error_not_a_fallback() {
    KefuClient client = kefu.client().build();
    WxException e = catchThrowableOfType(WxException.class, () -> client.window("o-nobody"));
    assertThat(e.errcode()).isNotZero();
  }

  @Test
  void a_server_without_the_window_endpoint_falls_back_to_the_tracker() {
    try (StubWeChat wechat = StubWeChat.start()) {
      KefuClient client = KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri())
          .clock(kefu.clock()).windowRules(WindowRules.CURRENT).build();
      Instant now = kefu.clock().instant();
      client.windowTracker().userEntered("o-user", now);
      assertThat(client.window("o-user")).isEqualTo(new WindowState(true, 2, now.plus(Duration.ofMinutes(1)),
          "current", WindowState.Source.TRACKER));
      client.window("o-user");
      assertThat(wechat.requests("/kefu/v1/apps/wxstub/users/o-user/window"))
          .as("asked once, then remembered as absent").hasSize(1);
    }
  }

  @Test
  void a_server_answering_other_json_falls_back_to_the_tracker() {
    try (StubWeChat wechat = StubWeChat.start()) {
      wechat.otherwise("/kefu/v1/apps/wxstub/users/o-user/window", StubWeChat.Answer.json("{\"hello\":1}"));
      KefuClient client = KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri())
          .clock(kefu.clock()).build();
      assertThat(client.window("o-user").source()).isEqualTo(WindowState.Source.TRACKER);
    }
  }

  @Test
  void against_wechat_the_tracker_answers_without_asking_the_network() {
    KefuClient client = KefuClient.builder().appid("wx0123456789abcdef").secret("s").clock(kefu.clock()).build();
    client.windowTracker().userMessaged("o-user", kefu.clock().instant());
    WindowState w = client.window("o-user");
    assertThat(w.source()).isEqualTo(WindowState.Source.TRACKER);
    assertThat(w.remaining()).isEqualTo(5);
  }

  @Test
  void the_tracker_follows_the_clients_own_sends_and_refusals() {
    try (StubWeChat wechat = StubWeChat.start()) {
      wechat.script("/cgi-bin/message/custom/send", "{\"errcode\":0,\"errmsg\":\"ok\"}",
          "{\"errcode\":45047,\"errmsg\":\"" + WxError.OUT_OF_RESPONSE_COUNT_LIMIT.errmsg("6aac005a-01bfdbee-79769285")
              + "\"}");
      KefuClient client = KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri())
          .clock(kefu.clock()).build();
      client.windowTracker().userMessaged("o-user", kefu.clock().instant());
      client.sendText("o-user", "one");
      assertThat(client.window("o-user").remaining()).isEqualTo(4);
      catchThrowableOfType(WxException.class, () -> client.sendText("o-user", "two"));
      assertThat(client.window("o-user").remaining()).as("45047 taught the tracker").isZero();
    }
  }
}
