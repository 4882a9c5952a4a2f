package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.protocol.WxError;
import kefu.sdk.token.StoredToken;
import kefu.sdk.token.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each errcode the SDK maps, produced by a real kefu, arrives as one {@link WxException} with its parts. */
class ErrorsHttpTest {
  private static final String RID = "[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  private WxException thrownBy(Runnable call) {
    WxException e = catchThrowableOfType(WxException.class, call::run);
    assertThat(e).as("a WxException").isNotNull();
    return e;
  }

  private void assertError(WxException e, WxError expected) {
    assertThat(e.errcode()).isEqualTo(expected.code());
    assertThat(e.error()).isEqualTo(expected);
    assertThat(e.errmsg()).isEqualTo(expected.message());
    assertThat(e.rid()).matches(RID);
    assertThat(Long.parseLong(e.rid().substring(0, 8), 16)).isEqualTo(kefu.clock().instant().getEpochSecond());
    assertThat(e.getMessage()).contains(String.valueOf(expected.code())).contains(e.rid());
  }

  @Test
  void sending_to_a_user_who_never_wrote_gets_45015() {
    KefuClient client = kefu.client().build();
    String bob = kefu.user();
    assertError(thrownBy(() -> client.sendText(bob, "hello?")), WxError.RESPONSE_OUT_OF_TIME_LIMIT);
  }

  @Test
  void a_window_that_closed_after_48_hours_gets_45015() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    kefu.advance(Duration.ofHours(48));
    assertError(thrownBy(() -> client.sendText(alice, "late")), WxError.RESPONSE_OUT_OF_TIME_LIMIT);
  }

  @Test
  void sixth_send_after_a_user_message_gets_45047() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    for (int i = 0; i < 5; i++) {
      client.sendText(alice, "ok " + i);
    }
    assertError(thrownBy(() -> client.sendText(alice, "one more")), WxError.OUT_OF_RESPONSE_COUNT_LIMIT);
  }

  @Test
  void an_unknown_openid_gets_40003() {
    KefuClient client = kefu.client().build();
    assertError(thrownBy(() -> client.sendText("o-nobody-at-all", "hi")), WxError.INVALID_OPENID);
  }

  @Test
  void empty_text_gets_44004() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    assertError(thrownBy(() -> client.sendText(alice, "")), WxError.EMPTY_CONTENT);
  }

  @Test
  void text_over_2048_bytes_gets_45002() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    assertError(thrownBy(() -> client.sendText(alice, "字".repeat(683))), WxError.CONTENT_SIZE_OUT_OF_LIMIT);
  }

  @Test
  void an_unknown_media_id_gets_40007_on_send_and_on_download() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    assertError(thrownBy(() -> client.sendImage(alice, "no-such-media")), WxError.INVALID_MEDIA_ID);
    assertError(thrownBy(() -> client.downloadMedia("no-such-media")), WxError.INVALID_MEDIA_ID);
  }

  @Test
  void media_older_than_three_days_gets_40007() {
    KefuClient client = kefu.client().build();
    UploadedMedia up = client.uploadImage(KefuClientHttpTest.PNG);
    kefu.advance(Duration.ofDays(3));
    assertError(thrownBy(() -> client.downloadMedia(up.mediaId())), WxError.INVALID_MEDIA_ID);
  }

  @Test
  void an_app_without_the_customer_service_permission_gets_48001() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    kefu.putApp(TestKefu.DEMO.appid(), "{\"customer_service\":false}");
    assertError(thrownBy(() -> client.sendText(alice, "hi")), WxError.API_UNAUTHORIZED);
    assertError(thrownBy(() -> client.typing(alice)), WxError.API_UNAUTHORIZED);
  }

  @Test
  void a_call_without_a_token_gets_41001_and_no_refresh() {
    TokenStore blank = new TokenStore() {
      @Override
      public Optional<StoredToken> find(String appid) {
        return Optional.of(new StoredToken("", Instant.EPOCH, Instant.MAX));
      }

      @Override
      public StoredToken offer(String appid, StoredToken token) {
        return token;
      }

      @Override
      public void invalidate(String appid, String value) {
      }

      @Override
      public Optional<Lease> tryLease(String appid, Duration ttl) {
        return Optional.of(() -> { });
      }
    };
    KefuClient client = kefu.client().tokenStore(blank).build();
    String alice = kefu.userWhoWrote();
    assertError(thrownBy(() -> client.sendText(alice, "hi")), WxError.ACCESS_TOKEN_MISSING);
    assertThat(kefu.tokenRequests()).isZero();
  }

  @Test
  void a_wrong_secret_gets_40125_with_the_comma_free_errmsg() {
    KefuClient client = kefu.client().secret("not-the-secret").build();
    assertError(thrownBy(client::accessToken), WxError.INVALID_APPSECRET);
  }

  @Test
  void an_unknown_appid_gets_40013_from_the_token_endpoint() {
    KefuClient client = kefu.client().appid("wxnobody").build();
    WxException e = thrownBy(() -> client.sendText("o-x", "hi"));
    assertError(e, WxError.INVALID_APPID);
  }

  @Test
  void typing_twice_gets_45081_and_typing_long_after_the_last_message_gets_45080() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    client.typing(alice);
    assertError(thrownBy(() -> client.typing(alice)), WxError.ALREADY_TYPING);
    client.cancelTyping(alice);
    kefu.advance(Duration.ofSeconds(31));
    assertError(thrownBy(() -> client.typing(alice)), WxError.NEED_RECENT_EXCHANGE_BEFORE_TYPING);
  }

  @Test
  void typing_to_a_user_without_a_window_gets_45015() {
    KefuClient client = kefu.client().build();
    String bob = kefu.user();
    assertError(thrownBy(() -> client.typing(bob)), WxError.RESPONSE_OUT_OF_TIME_LIMIT);
  }

  @Test
  void uploading_bytes_that_are_not_an_image_gets_40005_and_no_bytes_gets_44001() {
    KefuClient client = kefu.client().build();
    assertError(thrownBy(() -> client.uploadImage("plain text".getBytes())), WxError.INVALID_FILE_TYPE);
    assertError(thrownBy(() -> client.uploadImage(new byte[0])), WxError.EMPTY_MEDIA_DATA);
  }

  @Test
  void errors_are_not_retried_except_token_errors_and_minus_one() {
    KefuClient client = kefu.client().build();
    String bob = kefu.user();
    thrownBy(() -> client.sendText(bob, "x"));
    assertThat(kefu.journal("/cgi-bin/message/custom/send", null, null)).hasSize(1);
  }
}
