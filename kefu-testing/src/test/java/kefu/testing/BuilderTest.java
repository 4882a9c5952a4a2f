package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kefu.protocol.window.WindowRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The options of {@link KefuExtension.Builder}: an app of the test's own, WeChat's current rules, an admin token. */
class BuilderTest {
  @RegisterExtension
  static final KefuExtension kefu = KefuExtension.builder()
      .app("wx0123456789abcdef", "0123456789abcdef0123456789abcdef")
      .originalId("gh_0123456789ab")
      .rules(WindowRules.CURRENT)
      .adminToken("change-me-please")
      .build();

  @Test void the_app_has_the_given_credentials() {
    assertThat(kefu.appid()).isEqualTo("wx0123456789abcdef");
    assertThat(kefu.secret()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(kefu.originalId()).isEqualTo("gh_0123456789ab");
    assertThat(kefu.api().token()).isNotBlank();
  }

  @Test void under_the_current_rules_entering_allows_two_sends() {
    var alice = kefu.user("o-alice");
    alice.entersChat("");
    assertThat(alice.window().rule()).isEqualTo("current");
    assertThat(kefu.api().sendText(alice, "one")).isOk();
    assertThat(kefu.api().sendText(alice, "two")).isOk();
    assertThat(kefu.api().sendText(alice, "three")).hasErrcode(45047);
  }

  @Test void the_platform_api_wants_the_admin_token_the_extension_sends() throws Exception {
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(kefu.url("/kefu/v1/apps"))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.body()).contains("errcode");
    assertThat(anonymous.body()).doesNotContain("wx0123456789abcdef");
    assertThat(kefu.user("o-bob").window().open()).isFalse();
  }
}
