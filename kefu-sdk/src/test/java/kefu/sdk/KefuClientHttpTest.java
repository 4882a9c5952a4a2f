package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import kefu.protocol.send.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every call of the client against a real kefu, as a developer's backend makes them. */
class KefuClientHttpTest {
  /** A 1×1 PNG. */
  static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  @Test
  void text_image_link_and_card_reach_a_user_who_wrote() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    UploadedMedia image = client.uploadImage(PNG);

    client.sendText(alice, "你好");
    client.sendImage(alice, image.mediaId());
    client.sendLink(alice, "kefu", "a WeChat you can run", "https://example.com/kefu", "https://example.com/t.png");
    client.sendMiniProgramPage(alice, "open it", "pages/index/index?from=kefu", image.mediaId());

    List<String> types = kefu.conversation(alice).stream().map(m -> m.path("direction").asText() + " "
        + m.path("msgtype").asText()).toList();
    assertThat(types).containsExactly("from_user text", "to_user text", "to_user image", "to_user link",
        "to_user miniprogrampage");
    assertThat(kefu.conversation(alice).toString())
        .contains("你好", image.mediaId(), "https://example.com/kefu", "pages/index/index?from=kefu");
    assertThat(kefu.journal("/cgi-bin/message/custom/send", 0, null)).hasSize(4);
  }

  @Test
  void send_takes_any_message_value() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    client.send(alice, new Message.Text("one"));
    assertThat(client.window(alice).remaining()).isEqualTo(4);
  }

  @Test
  void typing_and_cancel_typing_after_the_user_wrote() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    client.typing(alice);
    assertThat(kefu.get("/kefu/v1/apps/" + TestKefu.DEMO.appid() + "/users/" + alice + "/conversation")
        .path("typing").path("typing").asBoolean()).isTrue();
    client.cancelTyping(alice);
    assertThat(kefu.get("/kefu/v1/apps/" + TestKefu.DEMO.appid() + "/users/" + alice + "/conversation")
        .path("typing").path("typing").asBoolean()).isFalse();
    assertThat(kefu.journal("/cgi-bin/message/custom/business/typing", 0, null)).hasSize(2);
  }

  @Test
  void an_uploaded_image_downloads_with_its_bytes_type_and_name() {
    KefuClient client = kefu.client().build();
    UploadedMedia up = client.uploadImage(PNG);
    assertThat(up.type()).isEqualTo("image");
    assertThat(up.mediaId()).hasSize(64);
    assertThat(up.createdAt()).isEqualTo(kefu.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

    Media media = client.downloadMedia(up.mediaId());
    assertThat(media.bytes()).isEqualTo(PNG);
    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(media.filename()).isEqualTo(up.mediaId() + ".png");
  }

  @Test
  void an_image_file_uploads_by_path(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("cat.png"), PNG);
    KefuClient client = kefu.client().build();
    UploadedMedia up = client.uploadImage(file);
    assertThat(client.downloadMedia(up.mediaId()).bytes()).isEqualTo(PNG);
  }

  @Test
  void the_token_is_fetched_once_and_reused() {
    KefuClient client = kefu.client().build();
    String alice = kefu.userWhoWrote();
    String token = client.accessToken();
    client.sendText(alice, "a");
    client.sendText(alice, "b");
    kefu.advance(Duration.ofMinutes(90));
    client.sendText(alice, "c");
    assertThat(client.accessToken()).isEqualTo(token);
    assertThat(kefu.tokenRequests()).isEqualTo(1);
  }

  @Test
  void a_forced_refresh_gets_a_new_ordinary_token() {
    KefuClient client = kefu.client().build();
    String first = client.accessToken();
    String second = client.accessToken(true);
    assertThat(second).isNotEqualTo(first);
    assertThat(client.accessToken()).isEqualTo(second);
    assertThat(kefu.journal("/cgi-bin/token", 0, TestKefu.DEMO.appid())).hasSize(2);
  }

  @Test
  void a_stable_token_client_asks_stable_token_and_forces_with_force_refresh() {
    KefuClient client = kefu.client().stableToken(true).build();
    String alice = kefu.userWhoWrote();
    String first = client.accessToken();
    client.sendText(alice, "stable");
    String forced = client.accessToken(true);
    assertThat(forced).isNotEqualTo(first);
    client.sendText(alice, "still fine");
    assertThat(kefu.journal("/cgi-bin/stable_token", 0, TestKefu.DEMO.appid())).hasSize(2);
    assertThat(kefu.journal("/cgi-bin/token", null, TestKefu.DEMO.appid())).isEmpty();
  }

  @Test
  void a_base_url_with_a_trailing_slash_works_the_same() {
    KefuClient client = kefu.client().baseUrl(kefu.baseUri() + "/").build();
    assertThat(client.accessToken()).isNotEmpty();
  }

  @Test
  void to_string_masks_the_secret_and_the_admin_token() {
    KefuClient client = kefu.client().adminToken("admin-token-123").build();
    assertThat(client.toString()).doesNotContain(TestKefu.DEMO.secret()).doesNotContain("admin-token-123");
  }
}
