package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import kefu.protocol.WxError;
import kefu.sdk.token.RedisTokenStore;
import kefu.sdk.token.TestRedis;
import kefu.sdk.window.WindowState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/** The SDK example the README shows, run against a real kefu and the real Redis. */
class ReadmeSdkExampleTest {
  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void the_readme_example_sends_while_the_window_allows_and_reports_45047_after() {
    try (TestRedis redis = TestRedis.connect()) {
      String openid = kefu.userWhoWrote();
      String reply = example(kefu.baseUri().toString(), TestKefu.DEMO.appid(), TestKefu.DEMO.secret(), openid,
          redis.client(), redis.prefix());
      assertThat(reply).isEqualTo("sent; 4 sends left");
      for (int i = 0; i < 4; i++) {
        example(kefu.baseUri().toString(), TestKefu.DEMO.appid(), TestKefu.DEMO.secret(), openid, redis.client(),
            redis.prefix());
      }
      assertThat(kefu.answered(45047)).isZero();
      assertThat(example(kefu.baseUri().toString(), TestKefu.DEMO.appid(), TestKefu.DEMO.secret(), openid,
          redis.client(), redis.prefix())).startsWith("window closed or used up");
    }
  }

  static String example(String kefuUrl, String appid, String secret, String openid, UnifiedJedis redis,
                        String prefix) {
    // snippet:sdk-client
    KefuClient wechat = KefuClient.builder()
        .appid(appid).secret(secret)
        .baseUrl(kefuUrl)                                  // leave it out for https://api.weixin.qq.com
        .tokenStore(new RedisTokenStore(redis, prefix))    // one token for every process: no 40001 storms
        .build();
    WindowState window = wechat.window(openid);           // asks kefu; estimates it against real WeChat
    if (!window.canSend()) {
      return "window closed or used up until " + window.closesAt();
    }
    try {
      wechat.sendText(openid, "您好，有什么可以帮您？");
      return "sent; " + wechat.window(openid).remaining() + " sends left";
    } catch (WxException e) {                             // errcode, errmsg, rid, and the WxError it means
      return e.error() == WxError.OUT_OF_RESPONSE_COUNT_LIMIT ? "used up" : "failed: " + e.errcode();
    }
    // /snippet
  }
}
