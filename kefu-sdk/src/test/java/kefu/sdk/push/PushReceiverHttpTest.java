package kefu.sdk.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.StreamSupport;
import kefu.protocol.Json;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.server.KefuServer;
import kefu.server.clock.KefuClock;
import kefu.server.config.ServerConfig;
import kefu.server.push.DeliveryOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Black box: a real kefu, started in process, pushes what a simulated user does to a developer backend that runs
 * {@link PushReceiver} on the JDK's HTTP server; kefu checks the URL against {@link PushReceiver#urlCheck} when the
 * push settings are saved, and reads the receiver's transfer replies (README "Message push", "Hand-off").
 */
class PushReceiverHttpTest {
  private static final String APPID = ServerConfig.DEMO_APP.appid();
  private static final String ORIGINAL_ID = ServerConfig.DEMO_APP.originalId();
  private static final String APP = "/kefu/v1/apps/" + APPID;
  private static final String TOKEN = "kefutoken";
  private static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJ"
      + "RU5ErkJggg==";

  @TempDir
  Path dataDir;

  private KefuServer kefu;
  private DeveloperBackend backend;
  private final RecordingHandler handler = RecordingHandler.success();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    // a short timeout and no back-off, so that a retry comes at once
    kefu = KefuServer.start(ServerConfig.defaults().withPort(0).withDataDir(dataDir)
        .withDelivery(new DeliveryOptions(Duration.ofSeconds(3), 3, Duration.ZERO)), KefuClock.system());
    backend = new DeveloperBackend();
  }

  @AfterEach
  void stop() {
    if (kefu != null) {
      kefu.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private PushReceiver.Builder receiver(String format, String mode) {
    return PushReceiver.builder().token(TOKEN).encodingAesKey(KEY).appid(APPID)
        .format(PushFormat.fromWireName(format).orElseThrow()).mode(PushMode.fromWireName(mode).orElseThrow())
        .handler(handler);
  }

  /** Saves the push settings; kefu checks the URL first. */
  private JsonNode configure(String token, String format, String mode) {
    ObjectNode body = Json.newObject();
    body.putObject("push").put("url", backend.url()).put("token", token).put("encoding_aes_key", KEY)
        .put("format", format).put("mode", mode);
    return send(HttpRequest.newBuilder(uri(APP)).PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  private URI uri(String path) {
    return URI.create(kefu.baseUri() + path);
  }

  private JsonNode post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String newUser() {
    return post(APP + "/users", "").path("openid").asText();
  }

  private long says(String openid, String text) {
    ObjectNode body = Json.newObject().put("msgtype", "text");
    body.putObject("text").put("content", text);
    JsonNode r = post(APP + "/users/" + openid + "/messages", Json.write(body));
    assertThat(r.path("errcode").asInt()).as(r.toString()).isZero();
    return r.path("msgid").asLong();
  }

  private boolean waiting(String openid) {
    return StreamSupport.stream(get(APP + "/queue").path("waiting").spliterator(), false)
        .anyMatch(w -> w.path("openid").asText().equals(openid));
  }

  private static void isOk(JsonNode response) {
    assertThat(response.path("errcode").asInt(0)).as(response.toString()).isZero();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({"xml,plain", "xml,compat", "xml,secure", "json,plain", "json,compat", "json,secure"})
  void every_user_action_reaches_the_handler_typed_and_a_transfer_puts_the_user_in_the_queue(String format,
      String mode) throws Exception {
    backend.use(receiver(format, mode).build());
    isOk(configure(TOKEN, format, mode));
    assertThat(backend.take(WAIT)).as("kefu checked the URL").isInstanceOf(PushReply.Echo.class);
    String alice = newUser();

    isOk(post(APP + "/users/" + alice + "/enter", "{\"session_from\":\"x\"}"));
    Inbound entered = handler.take(WAIT);
    assertThat(entered).isInstanceOf(Inbound.UserEnteredSession.class);
    assertThat(((Inbound.UserEnteredSession) entered).sessionFrom()).isEqualTo("x");
    assertThat(entered.openid()).isEqualTo(alice);
    assertThat(entered.originalId()).isEqualTo(ORIGINAL_ID);

    long textId = says(alice, "你好 <b>&]]>\r\n");
    Inbound text = handler.take(WAIT);
    assertThat(text).isEqualTo(new Inbound.TextMessage(alice, ORIGINAL_ID, text.createTime(), "你好 <b>&]]>\r\n",
        textId));
    assertThat(text.createTime()).isGreaterThanOrEqualTo(entered.createTime());

    isOk(post(APP + "/users/" + alice + "/messages", "{\"msgtype\":\"image\",\"image\":{\"data_base64\":\"" + PNG
        + "\"}}"));
    Inbound.ImageMessage image = (Inbound.ImageMessage) handler.take(WAIT);
    assertThat(image.openid()).isEqualTo(alice);
    assertThat(image.mediaId()).isNotEmpty();
    assertThat(image.picUrl()).endsWith("/kefu/media/" + image.mediaId());
    assertThat(image.msgId()).isGreaterThan(textId);

    isOk(post(APP + "/users/" + alice + "/messages", "{\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
        + "{\"title\":\"商品\",\"pagepath\":\"pages/item?id=1\",\"thumb_media_id\":\"" + image.mediaId() + "\"}}"));
    Inbound.MiniProgramPageMessage card = (Inbound.MiniProgramPageMessage) handler.take(WAIT);
    assertThat(card.title()).isEqualTo("商品");
    assertThat(card.appId()).isEqualTo(APPID);
    assertThat(card.pagePath()).isEqualTo("pages/item?id=1");
    assertThat(card.thumbMediaId()).isEqualTo(image.mediaId());
    assertThat(card.thumbUrl()).endsWith("/kefu/media/" + image.mediaId());
    assertThat(card.msgId()).isGreaterThan(image.msgId());
    assertThat(waiting(alice)).isFalse();

    handler.reactWith(in -> in instanceof Inbound.TextMessage && ((Inbound.TextMessage) in).content().equals("转人工")
        ? Reaction.transferToAgents() : Reaction.success());
    says(alice, "转人工");
    assertThat(((Inbound.TextMessage) handler.take(WAIT)).content()).isEqualTo("转人工");
    Awaitility.await().atMost(WAIT).until(() -> waiting(alice));
    JsonNode attempt = get(APP + "/pushes?openid=" + alice + "&limit=1").path("pushes").get(0);
    assertThat(attempt.path("outcome").asText()).as(attempt.toString()).isEqualTo("transfer");
    if (mode.equals("secure")) {
      assertThat(attempt.path("response").path("body").asText()).contains("Encrypt").contains("MsgSignature")
          .doesNotContain("transfer_customer_service");
    } else {
      assertThat(attempt.path("response").path("body").asText()).contains("transfer_customer_service")
          .startsWith(format.equals("xml") ? "<xml>" : "{");
    }
    assertThat(handler.nothingMore()).isTrue();
  }

  @Test
  void a_push_kefu_delivers_twice_reaches_the_handler_once() throws Exception {
    backend.use(receiver("xml", "secure")
        .deduplicator(InMemoryDeduplicator.withDefaults(), Duration.ofMinutes(10)).build());
    isOk(configure(TOKEN, "xml", "secure"));
    backend.take(WAIT);
    String alice = newUser();

    backend.garbleNext(1);
    long msgId = says(alice, "hello twice");

    assertThat(backend.take(WAIT)).isInstanceOf(PushReply.Answered.class);
    assertThat(backend.take(WAIT)).isEqualTo(new PushReply.Duplicate(handler.take(WAIT), ORIGINAL_ID + ":msg:"
        + msgId));
    Awaitility.await().atMost(WAIT).until(() -> get(APP + "/pushes?openid=" + alice).path("pushes").size() == 2);
    JsonNode attempts = get(APP + "/pushes?openid=" + alice).path("pushes");
    assertThat(attempts.get(1).path("outcome").asText()).isEqualTo("abnormal");
    assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("delivered");
    assertThat(attempts.get(0).path("msgid").asLong()).isEqualTo(msgId);
    assertThat(handler.calls()).isEqualTo(1);
  }

  @Test
  void kefu_refuses_a_url_whose_receiver_has_another_token() throws Exception {
    backend.use(receiver("json", "plain").build());

    JsonNode refused = configure("othertoken", "json", "plain");

    assertThat(refused.path("errcode").asInt()).isEqualTo(47001);
    assertThat(refused.path("errmsg").asText()).contains("push.url refused");
    PushReply reply = backend.take(WAIT);
    assertThat(reply).isInstanceOf(PushReply.Rejected.class);
    assertThat(((PushReply.Rejected) reply).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
  }

  @Test
  void pushes_for_another_appid_are_rejected_on_every_attempt_and_never_handled() throws Exception {
    backend.use(PushReceiver.builder().token(TOKEN).encodingAesKey(KEY).appid("wx0000000000000000")
        .mode(PushMode.SECURE).handler(handler).build());
    isOk(configure(TOKEN, "json", "secure"));
    backend.take(WAIT);
    String alice = newUser();

    says(alice, "hi");

    for (int attempt = 1; attempt <= 3; attempt++) {
      PushReply reply = backend.take(WAIT);
      assertThat(reply).isInstanceOf(PushReply.Rejected.class);
      assertThat(((PushReply.Rejected) reply).rejection()).isEqualTo(Rejection.WRONG_APPID);
      assertThat(reply.status()).isEqualTo(403);
    }
    Awaitility.await().atMost(WAIT).until(() -> get(APP + "/pushes?openid=" + alice).path("pushes").size() == 3);
    assertThat(get(APP + "/pushes?openid=" + alice).path("pushes").get(0).path("reason").asText())
        .isEqualTo("HTTP 403");
    assertThat(handler.calls()).isZero();
  }
}
