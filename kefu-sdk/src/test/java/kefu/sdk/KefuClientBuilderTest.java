package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class KefuClientBuilderTest {
  @Test
  void appid_and_secret_are_required_and_named() {
    assertThatIllegalArgumentException().isThrownBy(() -> KefuClient.builder().secret("s").build())
        .withMessageContaining("appid");
    assertThatIllegalArgumentException().isThrownBy(() -> KefuClient.builder().appid("wx1").build())
        .withMessageContaining("secret");
  }

  @Test
  void the_base_url_defaults_to_wechat() {
    assertThat(KefuClient.builder().appid("wx1").secret("s").build().baseUrl())
        .hasToString("https://api.weixin.qq.com");
  }

  @Test
  void a_base_url_must_be_http_with_a_host_and_no_query() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KefuClient.builder().appid("wx1").secret("s").baseUrl("ftp://x").build())
        .withMessageContaining("baseUrl");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KefuClient.builder().appid("wx1").secret("s").baseUrl("http://x/?a=b").build())
        .withMessageContaining("baseUrl");
  }
}
