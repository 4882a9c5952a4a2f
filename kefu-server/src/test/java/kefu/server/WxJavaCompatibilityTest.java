package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaKefuMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified WxJava ({@code weixin-java-miniapp}), configured only with {@code setApiHostUrl}, works against kefu:
 * the acceptance test that kefu is wire-compatible with the SDK most Java backends use.
 */
class WxJavaCompatibilityTest {
  @TempDir
  Path dir;
  TestKefu kefu;
  WxMaService wx;
  String alice;

  @BeforeEach
  void start() {
    kefu = TestKefu.start(dir.resolve("data"));
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(TestKefu.DEMO.appid());
    config.setSecret(TestKefu.DEMO.secret());
    config.setApiHostUrl(kefu.server.baseUri().toString());
    wx = new WxMaServiceImpl();
    wx.setWxMaConfig(config);
    alice = kefu.newUser();
  }

  @AfterEach
  void stop() {
    kefu.close();
  }

  @Test
  void wxjava_gets_a_token_and_sends_every_message_type() throws Exception {
    assertThat(wx.getAccessToken()).matches("\\d+_[A-Za-z0-9_-]+");
    kefu.says(alice, "你好");

    WxMediaUploadResult upload = wx.getMediaService().uploadMedia("image", "png",
        new ByteArrayInputStream(MediaHttpTest.PNG));
    assertThat(upload.getMediaId()).hasSize(64);
    assertThat(upload.getCreatedAt()).isEqualTo(kefu.clock.instant().getEpochSecond());

    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice)
        .content("您好").build())).isTrue();
    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newImageBuilder().toUser(alice)
        .mediaId(upload.getMediaId()).build())).isTrue();
    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newLinkBuilder().toUser(alice).title("Happy Day")
        .description("Is Really A Happy Day").url("https://example.com").thumbUrl("https://example.com/t.png")
        .build())).isTrue();
    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newMaPageBuilder().toUser(alice).title("商品")
        .pagePath("pages/index/index?foo=bar").thumbMediaId(upload.getMediaId()).build())).isTrue();

    assertThat(kefu.conversation(alice)).extracting(m -> m.path("msgtype").asText())
        .containsExactly("text", "text", "image", "link", "miniprogrampage");
  }

  @Test
  void wxjava_downloads_uploaded_media() throws Exception {
    WxMediaUploadResult upload = wx.getMediaService().uploadMedia("image", "png",
        new ByteArrayInputStream(MediaHttpTest.PNG));
    File file = wx.getMediaService().getMedia(upload.getMediaId());
    assertThat(Files.readAllBytes(file.toPath())).isEqualTo(MediaHttpTest.PNG);
  }

  @Test
  void wxjava_sees_45015_and_45047_as_error_codes() throws Exception {
    WxErrorException closed = catchThrowableOfType(WxErrorException.class, () -> wx.getMsgService()
        .sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice).content("too early").build()));
    assertThat(closed.getError().getErrorCode()).isEqualTo(45015);

    kefu.enters(alice);
    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice)
        .content("welcome").build())).isTrue();
    WxErrorException used = catchThrowableOfType(WxErrorException.class, () -> wx.getMsgService()
        .sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice).content("again").build()));
    assertThat(used.getError().getErrorCode()).isEqualTo(45047);
  }

  @Test
  void wxjava_with_stable_tokens_works_too() throws Exception {
    ((WxMaDefaultConfigImpl) wx.getWxMaConfig()).useStableAccessToken(true);
    String token = wx.getAccessToken(true);
    assertThat(token).isNotEmpty();
    kefu.says(alice, "hi");
    assertThat(wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice)
        .content("stable").build())).isTrue();
  }
}
