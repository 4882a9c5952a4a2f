package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kefu.protocol.WxError;
import kefu.sdk.token.StoredToken;
import kefu.sdk.token.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 40001, 40014 and 42001 cost one refresh and one retry, never more. */
class TokenErrorRetryHttpTest {
  private static final String SEND = "/cgi-bin/message/custom/send";
  private static final String OK = "{\"errcode\":0,\"errmsg\":\"ok\"}";

  private final StubWeChat wechat = StubWeChat.start();

  @AfterEach
  void stop() {
    wechat.close();
  }

  private KefuClient client() {
    return KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri()).sleeper(d -> { })
        .build();
  }

  private static String error(int code) {
    return "{\"errcode\":" + code + ",\"errmsg\":\"" + WxError.forCode(code).message()
        + " rid: 6aac005a-01bfdbee-79769285\"}";
  }

  @ParameterizedTest
  @ValueSource(ints = {40001, 40014, 42001})
  void a_token_error_refreshes_once_and_retries_with_the_new_token(int code) {
    wechat.script(SEND, error(code), OK);
    client().sendText("o-user", "hi");
    List<StubWeChat.Recorded> sends = wechat.requests(SEND);
    assertThat(sends).hasSize(2);
    assertThat(sends.get(0).query()).contains("access_token=token-1");
    assertThat(sends.get(1).query()).contains("access_token=token-2");
    assertThat(wechat.requests("/cgi-bin/token")).hasSize(2);
  }

  @Test
  void a_token_error_on_the_retry_too_is_thrown_without_a_second_refresh() {
    wechat.otherwise(SEND, StubWeChat.Answer.json(error(40001)));
    WxException e = catchThrowableOfType(WxException.class, () -> client().sendText("o-user", "hi"));
    assertThat(e.error()).isEqualTo(WxError.INVALID_CREDENTIAL);
    assertThat(e.errmsg()).isEqualTo(WxError.INVALID_CREDENTIAL.message());
    assertThat(wechat.requests(SEND)).hasSize(2);
    assertThat(wechat.requests("/cgi-bin/token")).hasSize(2);
  }

  @Test
  void the_next_call_uses_the_refreshed_token() {
    wechat.script(SEND, error(40001), OK, OK);
    KefuClient client = client();
    client.sendText("o-user", "one");
    client.sendText("o-user", "two");
    assertThat(wechat.requests(SEND).get(2).query()).contains("access_token=token-2");
    assertThat(wechat.requests("/cgi-bin/token")).hasSize(2);
  }

  @Test
  void the_token_request_sends_appid_secret_and_grant_type_in_the_query() {
    wechat.script(SEND, OK);
    client().sendText("o-user", "hi");
    assertThat(wechat.requests("/cgi-bin/token").get(0).query())
        .isEqualTo("grant_type=client_credential&appid=wxstub&secret=s3cret");
    assertThat(wechat.requests(SEND).get(0).body())
        .isEqualTo("{\"touser\":\"o-user\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");
  }

  @Test
  void a_token_store_that_fails_surfaces_as_minus_one_with_the_stores_exception_as_cause() {
    IllegalStateException down = new IllegalStateException("Redis is down");
    KefuClient client = KefuClient.builder().appid("wxstub").secret("s3cret").baseUrl(wechat.baseUri())
        .tokenStore(new FailingStore(down)).build();
    WxException e = catchThrowableOfType(WxException.class, () -> client.sendText("o-user", "hi"));
    assertThat(e.errcode()).isEqualTo(-1);
    assertThat(e.getCause()).isSameAs(down);
    assertThat(wechat.requests("/cgi-bin/token")).isEmpty();
  }

  /** A store whose backend is gone. */
  private record FailingStore(RuntimeException failure) implements TokenStore {
    @Override
    public Optional<StoredToken> find(String appid) {
      throw failure;
    }

    @Override
    public StoredToken offer(String appid, StoredToken token) {
      throw failure;
    }

    @Override
    public void invalidate(String appid, String value) {
      throw failure;
    }

    @Override
    public Optional<Lease> tryLease(String appid, Duration ttl) {
      throw failure;
    }
  }
}
