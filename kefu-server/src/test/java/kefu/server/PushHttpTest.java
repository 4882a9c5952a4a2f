package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.bean.WxMaMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import kefu.protocol.Json;
import kefu.protocol.push.Signatures;
import kefu.server.push.DeliveryOptions;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pushes to the developer's server (spec §6), received and verified with WxJava's own classes, and the delivery
 * contract: retries, the user notice, per-user order, the push journal.
 */
class PushHttpTest {
  static final String APPID = TestKefu.DEMO.appid();
  static final String APP = "/kefu/v1/apps/" + APPID;
  static final String TOKEN = "kefutoken123";
  static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withDelivery(
      new DeliveryOptions(Duration.ofMillis(700), 3, Duration.ZERO)));
  DeveloperServer developer;
  String alice;

  @BeforeEach
  void start() throws Exception {
    developer = new DeveloperServer();
    alice = kefu.newUser();
  }

  @AfterEach
  void stop() {
    developer.close();
  }

  TestKefu.Response configure(String format, String mode) {
    return kefu.put(APP, "{\"push\":{\"url\":\"" + developer.url() + "\",\"token\":\"" + TOKEN
        + "\",\"encoding_aes_key\":\"" + AES_KEY + "\",\"format\":\"" + format + "\",\"mode\":\"" + mode + "\"}}");
  }

  void configured(String format, String mode) throws Exception {
    TestKefu.Response r = configure(format, mode);
    assertThat(r.json().path("push").path("enabled").asBoolean()).as(r.text()).isTrue();
    DeveloperServer.Received check = developer.take(WAIT);
    assertThat(check.method()).isEqualTo("GET");
  }

  WxMaDefaultConfigImpl wxConfig() {
    WxMaDefaultConfigImpl c = new WxMaDefaultConfigImpl();
    c.setAppid(APPID);
    c.setToken(TOKEN);
    c.setAesKey(AES_KEY);
    return c;
  }

  /** What a WxJava-based receiver makes of a push: signatures verified, body decrypted and parsed. */
  WxMaMessage receive(DeveloperServer.Received r, String format, String mode) {
    String ts = r.param("timestamp");
    String nonce = r.param("nonce");
    assertThat(r.param("signature")).isEqualTo(Signatures.signature(TOKEN, ts, nonce));
    if (mode.equals("plain")) {
      assertThat(r.params()).containsOnlyKeys("signature", "timestamp", "nonce");
      return format.equals("xml") ? WxMaMessage.fromXml(r.body()) : WxMaMessage.fromJson(r.body());
    }
    assertThat(r.param("encrypt_type")).isEqualTo("aes");
    assertThat(r.param("openid")).isEqualTo(alice);
    if (format.equals("xml")) {
      return WxMaMessage.fromEncryptedXml(r.body(), wxConfig(), ts, nonce, r.param("msg_signature"));
    }
    String encrypt = Json.object(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .orElseThrow().path("Encrypt").asText();
    String plain = new WxCryptUtil(TOKEN, AES_KEY, APPID).decryptContent(r.param("msg_signature"), ts, nonce,
        encrypt);
    assertThat(WxMaMessage.fromEncryptedJson(r.body(), wxConfig()).getMsgType())
        .isEqualTo(WxMaMessage.fromJson(plain).getMsgType());
    return WxMaMessage.fromJson(plain);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({"xml,plain", "xml,compat", "xml,secure", "json,plain", "json,compat", "json,secure"})
  void every_user_action_reaches_a_wxjava_receiver(String format, String mode) throws Exception {
    configured(format, mode);
    kefu.post(APP + "/users/" + alice + "/enter", "{\"session_from\":\"button-1\"}");
    WxMaMessage entered = receive(developer.takePush(WAIT), format, mode);
    assertThat(entered.getMsgType()).isEqualTo("event");
    assertThat(entered.getEvent()).isEqualTo("user_enter_tempsession");
    assertThat(entered.getSessionFrom()).isEqualTo("button-1");
    assertThat(entered.getToUser()).isEqualTo(TestKefu.DEMO.originalId());
    assertThat(entered.getFromUser()).isEqualTo(alice);
    assertThat(entered.getMsgId()).isNull();

    long msgId = kefu.says(alice, "你好 <b>&]]>").json().path("msgid").asLong();
    WxMaMessage text = receive(developer.takePush(WAIT), format, mode);
    assertThat(text.getMsgType()).isEqualTo("text");
    assertThat(text.getContent()).isEqualTo("你好 <b>&]]>");
    assertThat(text.getMsgId()).isEqualTo(msgId);
    assertThat(text.getCreateTime()).isEqualTo(kefu.clock.instant().getEpochSecond());

    String png = Base64.getEncoder().encodeToString(MediaHttpTest.PNG);
    kefu.post(APP + "/users/" + alice + "/messages", "{\"msgtype\":\"image\",\"image\":{\"data_base64\":\"" + png
        + "\"}}");
    WxMaMessage image = receive(developer.takePush(WAIT), format, mode);
    assertThat(image.getMsgType()).isEqualTo("image");
    assertThat(kefu.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(image.getPicUrl()))).bytes())
        .as("PicUrl serves the image").isEqualTo(MediaHttpTest.PNG);
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + kefu.token() + "&media_id=" + image.getMediaId())
        .bytes()).as("MediaId works with media/get").isEqualTo(MediaHttpTest.PNG);

    kefu.post(APP + "/users/" + alice + "/messages", "{\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
        + "{\"title\":\"商品\",\"pagepath\":\"pages/item?id=1\",\"thumb_media_id\":\"" + image.getMediaId() + "\"}}");
    WxMaMessage card = receive(developer.takePush(WAIT), format, mode);
    assertThat(card.getMsgType()).isEqualTo("miniprogrampage");
    assertThat(card.getTitle()).isEqualTo("商品");
    assertThat(card.getAppId()).isEqualTo(APPID);
    assertThat(card.getPagePath()).isEqualTo("pages/item?id=1");
    assertThat(card.getThumbMediaId()).isEqualTo(image.getMediaId());
    assertThat(card.getThumbUrl()).endsWith("/kefu/media/" + image.getMediaId());
    assertThat(card.getMsgId()).isGreaterThan(image.getMsgId()).isGreaterThan(msgId);
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({"xml,plain", "json,plain", "xml,secure", "json,secure", "xml,compat", "json,compat"})
  void a_transfer_reply_puts_the_user_in_the_queue(String format, String mode) throws Exception {
    configured(format, mode);
    String transfer = format.equals("xml")
        ? "<xml><ToUserName><![CDATA[" + alice + "]]></ToUserName><FromUserName><![CDATA[" + TestKefu.DEMO.originalId()
            + "]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]>"
            + "</MsgType></xml>"
        : "{\"ToUserName\":\"" + alice + "\",\"FromUserName\":\"" + TestKefu.DEMO.originalId()
            + "\",\"CreateTime\":1399197672,\"MsgType\":\"transfer_customer_service\"}";
    String reply;
    if (mode.equals("plain")) {
      reply = transfer;
    } else {
      WxCryptUtil crypt = new WxCryptUtil(TOKEN, AES_KEY, APPID);
      if (format.equals("xml")) {
        reply = crypt.encrypt(transfer);
      } else {
        WxCryptUtil.EncryptContext ctx = crypt.encryptContext(transfer);
        reply = "{\"Encrypt\":\"" + ctx.getEncrypt() + "\",\"MsgSignature\":\"" + ctx.getSignature()
            + "\",\"TimeStamp\":" + ctx.getTimeStamp() + ",\"Nonce\":\"" + ctx.getNonce() + "\"}";
      }
    }
    developer.thenAnswer(DeveloperServer.Answer.of(reply));
    kefu.says(alice, "我要人工");
    developer.takePush(WAIT);
    Awaitility.await().atMost(WAIT).untilAsserted(() ->
        assertThat(kefu.get(APP + "/queue").json().path("waiting")).extracting(w -> w.path("openid").asText())
            .containsExactly(alice));
    assertThat(lastPush().path("outcome").asText()).isEqualTo("transfer");
  }

  JsonNode lastPush() {
    return kefu.get(APP + "/pushes?limit=1").json().path("pushes").get(0);
  }

  List<JsonNode> pushes() {
    JsonNode all = kefu.get(APP + "/pushes?limit=100").json().path("pushes");
    return java.util.stream.StreamSupport.stream(all.spliterator(), false).toList();
  }

  @Test
  void a_timeout_garbage_and_a_500_use_up_three_attempts_then_the_user_sees_the_notice() throws Exception {
    configured("json", "plain");
    developer.thenAnswer(DeveloperServer.Answer.slow(Duration.ofSeconds(2)), DeveloperServer.Answer.of("garbage"),
        DeveloperServer.Answer.status(500));
    long msgId = kefu.says(alice, "hello?").json().path("msgid").asLong();
    DeveloperServer.Received first = developer.takePush(WAIT);
    DeveloperServer.Received second = developer.takePush(WAIT);
    DeveloperServer.Received third = developer.takePush(WAIT);
    assertThat(List.of(first.body(), second.body(), third.body())).allMatch(b -> b.contains("\"MsgId\":" + msgId))
        .containsOnly(first.body());
    Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(kefu.conversation(alice))
        .extracting(m -> m.path("direction").asText() + ":" + m.path("text").path("content").asText())
        .containsExactly("from_user:hello?", "system:该小程序客服暂时无法提供服务，请稍后再试"));
    assertThat(pushes()).extracting(p -> p.path("attempt").asInt() + ":" + p.path("outcome").asText())
        .containsExactly("3:abnormal", "2:abnormal", "1:timeout");
    assertThat(pushes().get(0).path("reason").asText()).contains("500");

    long next = kefu.says(alice, "again").json().path("msgid").asLong();
    assertThat(developer.takePush(WAIT).body()).contains("\"MsgId\":" + next);
    Awaitility.await().atMost(WAIT).untilAsserted(() ->
        assertThat(lastPush().path("outcome").asText()).isEqualTo("delivered"));
    assertThat(kefu.conversation(alice)).hasSize(3);
  }

  @Test
  void a_retry_that_succeeds_shows_no_notice() throws Exception {
    configured("xml", "secure");
    developer.thenAnswer(DeveloperServer.Answer.status(502));
    kefu.says(alice, "hi");
    String first = developer.takePush(WAIT).body();
    assertThat(developer.takePush(WAIT).body()).isEqualTo(first);
    Awaitility.await().atMost(WAIT).untilAsserted(() ->
        assertThat(lastPush().path("outcome").asText()).isEqualTo("delivered"));
    assertThat(kefu.conversation(alice)).hasSize(1);
  }

  @Test
  void the_push_journal_shows_what_was_signed_and_encrypted() throws Exception {
    configured("json", "secure");
    developer.thenAnswer(DeveloperServer.Answer.of("not what you think"));
    kefu.says(alice, "debug me");
    DeveloperServer.Received r = developer.takePush(WAIT);
    Awaitility.await().atMost(WAIT).until(() -> !pushes().isEmpty());
    JsonNode p = pushes().get(pushes().size() - 1);
    assertThat(p.path("request").path("plaintext").asText()).contains("debug me");
    assertThat(p.path("request").path("body").asText()).isEqualTo(r.body());
    assertThat(p.path("signature").path("signature").asText()).isEqualTo(r.param("signature"));
    assertThat(p.path("signature").path("msg_signature").asText()).isEqualTo(r.param("msg_signature"));
    assertThat(p.path("signature").path("canonical").asText()).as("the Token is hidden")
        .contains("{token}").doesNotContain(TOKEN).contains(r.param("nonce"));
    assertThat(p.path("response").path("body").asText()).isEqualTo("not what you think");
    assertThat(p.path("outcome").asText()).isEqualTo("abnormal");
    assertThat(p.path("reason").asText()).isNotEmpty();
    assertThat(kefu.get(APP + "/pushes?status=abnormal&openid=" + alice).json().path("pushes")).isNotEmpty();
  }

  @Test
  void a_slow_user_does_not_hold_up_another_and_each_users_pushes_stay_in_order() throws Exception {
    configured("json", "plain");
    String bob = kefu.newUser();
    developer.byDefault(r -> r.body().contains(alice) ? DeveloperServer.Answer.slow(Duration.ofMillis(400))
        : DeveloperServer.Answer.of("success"));
    for (int i = 0; i < 3; i++) {
      kefu.says(alice, "alice " + i);
    }
    kefu.says(bob, "bob 0");
    List<String> arrived = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      arrived.add(WxMaMessage.fromJson(developer.takePush(WAIT).body()).getContent());
    }
    assertThat(arrived.indexOf("bob 0")).as("bob is not stuck behind alice's backlog").isLessThan(3);
    assertThat(arrived.stream().filter(s -> s.startsWith("alice")).toList())
        .containsExactly("alice 0", "alice 1", "alice 2");
  }

  @Test
  void replies_with_an_external_entity_or_dtd_are_abnormal_and_kefu_fetches_nothing() throws Exception {
    configured("xml", "plain");
    String dtd = developer.url().replace("/wx/push", "/evil.dtd");
    String transfer = "<xml><MsgType>transfer_customer_service</MsgType><Content>&leak;</Content></xml>";
    developer.thenAnswer(
        DeveloperServer.Answer.of("<!DOCTYPE xml [<!ENTITY leak SYSTEM \"file:///etc/passwd\">]>" + transfer),
        DeveloperServer.Answer.of("<!DOCTYPE xml SYSTEM \"" + dtd + "\">" + transfer),
        DeveloperServer.Answer.of("<!DOCTYPE xml [<!ENTITY % remote SYSTEM \"" + dtd + "\"> %remote;]>" + transfer));
    kefu.says(alice, "我要人工");
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(developer.takePush(WAIT).path()).isEqualTo("/wx/push");
    }
    Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(pushes()).hasSize(3));
    assertThat(pushes()).allSatisfy(p -> {
      assertThat(p.path("outcome").asText()).isEqualTo("abnormal");
      assertThat(p.path("reason").asText()).contains("DOCTYPE").doesNotContain("root:");
      assertThat(p.path("response").path("body").asText()).doesNotContain("root:");
    });
    assertThat(developer.pendingRequests()).isZero();
    assertThat(kefu.get(APP + "/queue").json().path("waiting")).isEmpty();
  }

  @Test
  void the_url_check_refuses_a_server_that_does_not_echo_and_saves_nothing() throws Exception {
    developer.thenAnswer(DeveloperServer.Answer.of("nope"));
    TestKefu.Response refused = configure("json", "plain");
    assertThat(refused.errcode()).isEqualTo(47001);
    assertThat(refused.errmsg()).contains("echostr").contains("nope").contains("skip_url_check");
    DeveloperServer.Received check = developer.take(WAIT);
    assertThat(check.params()).containsOnlyKeys("signature", "timestamp", "nonce", "echostr");
    assertThat(check.param("signature")).isEqualTo(
        Signatures.signature(TOKEN, check.param("timestamp"), check.param("nonce")));
    assertThat(kefu.get(APP).json().path("push").path("enabled").asBoolean()).isFalse();

    developer.thenAnswer(DeveloperServer.Answer.status(404));
    assertThat(configure("xml", "secure").errmsg()).contains("HTTP 404");
    assertThat(developer.take(WAIT).params()).as("secure mode checks with the same four parameters")
        .containsOnlyKeys("signature", "timestamp", "nonce", "echostr");
    developer.thenAnswer(DeveloperServer.Answer.slow(Duration.ofSeconds(3)));
    assertThat(configure("json", "plain").errmsg()).contains("timed out");
  }

  @Test
  void the_url_check_can_be_skipped_for_a_server_that_starts_later() {
    developer.close();
    TestKefu.Response r = kefu.put(APP + "?skip_url_check=true", "{\"push\":{\"url\":\"http://127.0.0.1:9/x\","
        + "\"token\":\"" + TOKEN + "\",\"format\":\"xml\"}}");
    assertThat(r.json().path("push").path("enabled").asBoolean()).as(r.text()).isTrue();
  }

  @Test
  void invalid_push_settings_are_refused_with_the_reason_and_nothing_saved() {
    assertThat(kefu.put(APP, "{\"push\":{\"url\":\"ftp://example.com\",\"token\":\"abc\"}}").errmsg())
        .contains("push.url");
    assertThat(kefu.put(APP, "{\"push\":{\"url\":\"http://x\",\"token\":\"abc\",\"encoding_aes_key\":\"short\"}}")
        .errmsg()).contains("encoding_aes_key");
    assertThat(kefu.put(APP, "{\"push\":{\"url\":\"http://x\",\"token\":\"abc\",\"format\":\"yaml\"}}").errmsg())
        .contains("push.format");
    assertThat(kefu.put(APP, "{\"push\":{\"url\":\"http://x\",\"token\":\"abc\",\"mode\":\"loud\"}}").errmsg())
        .contains("push.mode");
    assertThat(kefu.put(APP, "{\"push\":{\"url\":\"http://x\",\"token\":\"abc\",\"mode\":\"secure\"}}").errmsg())
        .contains("encoding_aes_key is required");
    assertThat(kefu.get(APP).json().path("push").path("url").asText()).isEmpty();
    assertThat(developer.pendingRequests()).as("no URL check for refused settings").isZero();
  }
}
