package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import kefu.protocol.WxError;
import kefu.sdk.window.WindowState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A kefu with an admin token: the window endpoint needs {@code Authorization: Bearer}, the WeChat API does not. */
class AdminTokenWindowHttpTest {
  private static final String ADMIN = "admin-token-for-tests";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withAdminToken(ADMIN));

  @Test
  void with_the_admin_token_the_window_comes_from_kefu() {
    KefuClient client = kefu.client().adminToken(ADMIN).build();
    String alice = kefu.userWhoWrote();
    WindowState w = client.window(alice);
    assertThat(w.source()).isEqualTo(WindowState.Source.KEFU);
    assertThat(w.remaining()).isEqualTo(5);
  }

  @Test
  void without_it_kefu_answers_401_and_the_client_says_so() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    WxException e = catchThrowableOfType(WxException.class, () -> client.window(alice));
    assertThat(e.error()).isEqualTo(WxError.ADMIN_TOKEN_REQUIRED);
    client.sendText(alice, "the WeChat API needs no admin token");
  }
}
