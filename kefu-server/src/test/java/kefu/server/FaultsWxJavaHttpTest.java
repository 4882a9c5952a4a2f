package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaKefuMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected faults seen by an unmodified WxJava: its own error handling does what it does against WeChat (retry -1
 * with back-off, refresh the token on 40001 and send again, report the rest).
 */
class FaultsWxJavaHttpTest {
  static final String SEND = "/cgi-bin/message/custom/send";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  WxMaService wx;
  String alice;

  @BeforeEach
  void wxjava() {
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(TestKefu.DEMO.appid());
    config.setSecret(TestKefu.DEMO.secret());
    config.setApiHostUrl(kefu.server.baseUri().toString());
    WxMaServiceImpl service = new WxMaServiceImpl();
    service.setWxMaConfig(config);
    // WxJava's back-off starts at 1 s; the retries themselves are what is tested
    service.setRetrySleepMillis(1);
    wx = service;
    alice = kefu.newUser();
    kefu.says(alice, "hi");
  }

  void inject(String rule) {
    assertThat(kefu.post("/kefu/v1/faults", rule).json().path("id").asLong()).isPositive();
  }

  boolean send(String text) throws WxErrorException {
    return wx.getMsgService().sendKefuMsg(WxMaKefuMessage.newTextBuilder().toUser(alice).content(text).build());
  }

  /** The journal, oldest first, as "path errcode" with a star for a faulted call. */
  List<String> calls() {
    kefu.server.store().flush();
    List<JsonNode> newestFirst = StreamSupport.stream(kefu.get("/kefu/v1/journal").json().path("entries")
        .spliterator(), false).toList();
    return newestFirst.reversed().stream().map(e -> e.path("path").asText() + " " + e.path("errcode").asInt()
        + (e.path("fault").isNull() ? "" : "*")).toList();
  }

  @Test
  void wxjava_retries_a_system_error_until_its_send_goes_through() throws Exception {
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":2}");

    assertThat(send("您好")).isTrue();

    assertThat(calls()).containsExactly("/cgi-bin/token 0", SEND + " -1*", SEND + " -1*", SEND + " 0");
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(4);
  }

  @Test
  void wxjava_refreshes_its_token_on_40001_and_sends_again() throws Exception {
    String before = wx.getAccessToken();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":40001},\"count\":1}");

    assertThat(send("您好")).isTrue();

    assertThat(calls()).containsExactly("/cgi-bin/token 0", SEND + " 40001*", "/cgi-bin/token 0", SEND + " 0");
    assertThat(wx.getAccessToken()).isNotEqualTo(before);
  }

  @Test
  void wxjava_reports_a_quota_error_at_once() {
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"count\":1}");

    WxErrorException e = catchThrowableOfType(WxErrorException.class, () -> send("您好"));

    assertThat(e.getError().getErrorCode()).isEqualTo(45009);
    assertThat(e.getError().getJson()).contains("\"errmsg\":\"reach max api daily quota limit rid: ");
    assertThat(calls()).containsExactly("/cgi-bin/token 0", SEND + " 45009*");
  }
}
