package kefu.sdk.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.protocol.push.DeveloperReply;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushDocument;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.push.Signatures;
import kefu.sdk.push.Pushes.Push;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The developer's end of message push against the spec's vectors and hand-made damage (spec §6, §7, §10). */
class PushReceiverTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1714112500L), ZoneOffset.UTC);

  private final RecordingHandler handler = RecordingHandler.success();

  private PushReceiver.Builder doc(PushMode mode) {
    return PushReceiver.builder().token(SpecVectors.TOKEN).encodingAesKey(SpecVectors.KEY).appid(SpecVectors.APPID)
        .mode(mode).handler(handler).clock(CLOCK).random(new SplittableRandom(7));
  }

  private PushReceiver ours(PushMode mode) {
    return PushReceiver.builder().token(Pushes.TOKEN).encodingAesKey(Pushes.KEY).appid(Pushes.APPID).mode(mode)
        .handler(handler).clock(CLOCK).random(new SplittableRandom(7)).build();
  }

  private static PushReply handle(PushReceiver receiver, Push push) {
    return receiver.handle(push.query(), push.body());
  }

  private static PushReply.Rejected rejected(PushReply reply, Rejection rejection) {
    assertThat(reply).isInstanceOf(PushReply.Rejected.class);
    PushReply.Rejected r = (PushReply.Rejected) reply;
    assertThat(r.rejection()).as(r.detail()).isEqualTo(rejection);
    assertThat(r.body()).isEqualTo(rejection.answer());
    assertThat(r.status()).isEqualTo(rejection.status());
    return r;
  }

  // --- spec §10.1 and §10.5 -------------------------------------------------------------------------------------

  @Test
  void the_url_check_of_the_push_doc_echoes_the_echostr() {
    PushReceiver receiver = doc(PushMode.SECURE).build();

    assertThat(receiver.checkUrl(SpecVectors.URL_CHECK)).isEqualTo("4375120948345356249");
    assertThat(receiver.urlCheck(SpecVectors.URL_CHECK)).isEqualTo(new PushReply.Echo("4375120948345356249"));
  }

  @Test
  void a_url_check_with_another_signature_or_parameters_missing_is_refused() {
    PushReceiver receiver = doc(PushMode.PLAIN).build();
    Map<String, String> tampered = new HashMap<>(SpecVectors.URL_CHECK);
    tampered.put("signature", "f464b24fc39322e44b38aa78f5edd27bd1441697");
    Map<String, String> noEcho = new HashMap<>(SpecVectors.URL_CHECK);
    noEcho.remove("echostr");

    assertThat(receiver.checkUrl(tampered)).isEqualTo("invalid signature");
    rejected(receiver.urlCheck(tampered), Rejection.BAD_SIGNATURE);
    rejected(receiver.urlCheck(noEcho), Rejection.MISSING_PARAMETER);
  }

  @Test
  void the_plaintext_push_of_the_push_doc_is_verified_and_its_debug_event_answered_success() {
    PushReply reply = doc(PushMode.PLAIN).build().handle(SpecVectors.PLAIN_QUERY, SpecVectors.PLAIN_BODY.getBytes(UTF_8));

    assertThat(rejected(reply, Rejection.UNKNOWN_TYPE).detail()).contains("debug_demo");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("success");
    assertThat(handler.calls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"SECURE", "COMPAT"})
  void the_secure_push_of_the_push_doc_is_verified_decrypted_and_its_debug_event_answered_success(PushMode mode) {
    PushReply reply = doc(mode).build().handle(SpecVectors.SECURE_QUERY, SpecVectors.SECURE_BODY.getBytes(UTF_8));

    assertThat(rejected(reply, Rejection.UNKNOWN_TYPE).detail()).contains("MsgType event, Event debug_demo");
    assertThat(reply.body()).isEqualTo("success");
  }

  @Test
  void the_computed_secure_xml_text_push_reaches_the_handler() throws Exception {
    PushReply reply = doc(PushMode.SECURE).format(PushFormat.XML).build()
        .handle(SpecVectors.COMPUTED_QUERY, SpecVectors.COMPUTED_BODY.getBytes(UTF_8));

    assertThat(reply).isInstanceOf(PushReply.Answered.class);
    assertThat(reply.body()).isEqualTo("success");
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(handler.take(Duration.ZERO)).isEqualTo(SpecVectors.COMPUTED_TEXT);
  }

  @Test
  void a_transfer_of_the_computed_push_is_encrypted_xml_that_kefu_and_the_cipher_open() {
    handler.reactWith(in -> Reaction.transferToAgents("kf001@test"));
    PushReply reply = doc(PushMode.SECURE).build()
        .handle(SpecVectors.COMPUTED_QUERY, SpecVectors.COMPUTED_BODY.getBytes(UTF_8));

    assertThat(reply.contentType()).startsWith("text/xml");
    PushSettings secure = new PushSettings("http://x/", SpecVectors.TOKEN, SpecVectors.KEY, PushFormat.XML,
        PushMode.SECURE, true);
    assertThat(DeveloperReply.parse(reply.bodyBytes(), secure, SpecVectors.APPID, false))
        .isEqualTo(new DeveloperReply.Transfer("kf001@test"));
    PushDocument.Read.Fields envelope = (PushDocument.Read.Fields) PushDocument.read(reply.body());
    assertThat(envelope.values()).containsOnlyKeys("Encrypt", "MsgSignature", "TimeStamp", "Nonce");
    assertThat(envelope.get("TimeStamp")).contains("1714112500");
    assertThat(envelope.get("Nonce")).hasValueSatisfying(n -> assertThat(n).matches("[0-9]{9,10}"));
    String inner = ((PushCipher.Opened.Ok) new PushCipher(SpecVectors.KEY, SpecVectors.APPID)
        .decrypt(envelope.get("Encrypt").orElseThrow())).message();
    assertThat(inner).isEqualTo("<xml><ToUserName><![CDATA[" + SpecVectors.OPENID + "]]></ToUserName>"
        + "<FromUserName><![CDATA[gh_97417a04a28d]]></FromUserName><CreateTime>1714112500</CreateTime>"
        + "<MsgType><![CDATA[transfer_customer_service]]></MsgType>"
        + "<TransInfo><KfAccount><![CDATA[kf001@test]]></KfAccount></TransInfo></xml>");
  }

  // --- rejections -----------------------------------------------------------------------------------------------

  @Test
  void a_tampered_signature_is_rejected_in_plain_mode() {
    Push push = Pushes.of(Pushes.text("hi", 1), PushFormat.JSON, PushMode.PLAIN);
    PushReceiver receiver = ours(PushMode.PLAIN);

    assertThat(rejected(handle(receiver, push.withQuery("signature", "0" + push.query().get("signature")
        .substring(1))), Rejection.BAD_SIGNATURE).detail()).contains("signature does not match");
    rejected(handle(receiver, push.withQuery("signature", null)), Rejection.MISSING_PARAMETER);
    rejected(handle(receiver, push.withQuery("nonce", "1")), Rejection.BAD_SIGNATURE);
    rejected(receiver.handle(SpecVectors.PLAIN_QUERY, push.body()), Rejection.BAD_SIGNATURE);
    assertThat(handler.calls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = PushMode.class, names = {"SECURE", "COMPAT"})
  void a_tampered_msg_signature_is_rejected(PushMode mode) {
    Push push = Pushes.of(Pushes.text("hi", 1), PushFormat.XML, mode);

    rejected(handle(ours(mode), push.withQuery("msg_signature", "12345")), Rejection.BAD_MSG_SIGNATURE);
    rejected(handle(ours(mode), push.withQuery("msg_signature", null)), Rejection.MISSING_PARAMETER);
    rejected(handle(ours(mode), push.withQuery("timestamp", "1714112446")), Rejection.BAD_MSG_SIGNATURE);
    rejected(handle(ours(mode), push.withQuery("timestamp", null)), Rejection.MISSING_PARAMETER);
  }

  @Test
  void a_push_for_another_appid_is_rejected_with_both_appids() {
    PushReceiver other = PushReceiver.builder().token(SpecVectors.TOKEN).encodingAesKey(SpecVectors.KEY)
        .appid("wx0000000000000000").mode(PushMode.SECURE).handler(handler).build();

    PushReply.Rejected r = rejected(other.handle(SpecVectors.SECURE_QUERY, SpecVectors.SECURE_BODY.getBytes(UTF_8)),
        Rejection.WRONG_APPID);
    assertThat(r.detail()).contains(SpecVectors.APPID).contains("wx0000000000000000");
  }

  @Test
  void a_push_under_another_key_fails_to_decrypt() {
    PushReceiver otherKey = PushReceiver.builder().token(SpecVectors.TOKEN)
        .encodingAesKey("BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").appid(SpecVectors.APPID)
        .mode(PushMode.SECURE).handler(handler).build();

    rejected(otherKey.handle(SpecVectors.COMPUTED_QUERY, SpecVectors.COMPUTED_BODY.getBytes(UTF_8)),
        Rejection.DECRYPTION_FAILED);
  }

  @Test
  void damaged_ciphertext_fails_to_decrypt_but_never_throws() {
    String damaged = SpecVectors.COMPUTED_ENCRYPT.substring(0, 40);
    Map<String, String> query = new HashMap<>(SpecVectors.COMPUTED_QUERY);
    query.put("msg_signature", Signatures.msgSignature(SpecVectors.TOKEN, "1714112445",
        "415670741", damaged));

    rejected(doc(PushMode.SECURE).build().handle(query, ("<xml><Encrypt><![CDATA[" + damaged
        + "]]></Encrypt></xml>").getBytes(UTF_8)), Rejection.DECRYPTION_FAILED);
  }

  @Test
  void a_secure_receiver_refuses_a_plaintext_push() {
    Push plain = Pushes.of(Pushes.text("hi", 1), PushFormat.JSON, PushMode.PLAIN);

    rejected(handle(ours(PushMode.SECURE), plain), Rejection.NOT_ENCRYPTED);
  }

  @ParameterizedTest
  @EnumSource(PushFormat.class)
  void compatible_mode_uses_the_encrypted_copy_and_refuses_a_plaintext_that_differs(PushFormat format) {
    Push push = Pushes.of(Pushes.text("hello", 1), format, PushMode.COMPAT);
    Push forged = push.withBody(push.text().replace("hello", "HELLO"));

    assertThat(handle(ours(PushMode.COMPAT), push)).isInstanceOf(PushReply.Answered.class);
    rejected(handle(ours(PushMode.COMPAT), forged), Rejection.COPIES_DIFFER);
    assertThat(handler.calls()).isEqualTo(1);
  }

  @Test
  void compatible_mode_takes_a_push_without_encrypt_on_its_signature() throws Exception {
    Push plain = Pushes.of(Pushes.text("hi", 1), PushFormat.XML, PushMode.PLAIN);

    assertThat(handle(ours(PushMode.COMPAT), plain)).isInstanceOf(PushReply.Answered.class);
    assertThat(handler.take(Duration.ZERO)).isEqualTo(new Inbound.TextMessage(Pushes.ALICE, Pushes.ORIGINAL_ID,
        1714112445L, "hi", 1));
  }

  @Test
  void an_openid_in_the_query_must_be_the_pushs_sender() {
    Push push = Pushes.of(Pushes.text("hi", 1), PushFormat.JSON, PushMode.SECURE);

    rejected(handle(ours(PushMode.SECURE), push.withQuery("openid", "o-mallory")), Rejection.COPIES_DIFFER);
  }

  @Test
  void a_push_in_the_other_format_is_refused_when_the_format_is_configured() {
    Push xml = Pushes.of(Pushes.text("hi", 1), PushFormat.XML, PushMode.PLAIN);
    PushReceiver json = PushReceiver.builder().token(Pushes.TOKEN).format(PushFormat.JSON).handler(handler).build();

    assertThat(rejected(handle(json, xml), Rejection.WRONG_FORMAT).detail()).isEqualTo(
        "expected json, the body is xml");
  }

  @Test
  void bodies_that_are_not_pushes_are_malformed() {
    Push push = Pushes.of(Pushes.text("hi", 1), PushFormat.JSON, PushMode.PLAIN);
    PushReceiver receiver = ours(PushMode.PLAIN);

    rejected(handle(receiver, push.withBody("")), Rejection.MALFORMED);
    rejected(handle(receiver, push.withBody("success")), Rejection.MALFORMED);
    rejected(handle(receiver, push.withBody("{\"MsgType\":\"text\"}")), Rejection.MALFORMED);
    rejected(handle(receiver, push.withBody("<xml><MsgType>text</MsgType")), Rejection.MALFORMED);
    rejected(receiver.handle(push.query(), new byte[] {'{', (byte) 0xC3, '}'}), Rejection.MALFORMED);
    rejected(receiver.handle(push.query(), null), Rejection.MALFORMED);
    rejected(receiver.handle(push.query(), new byte[PushReceiver.MAX_BODY_BYTES + 1]), Rejection.MALFORMED);
    assertThat(rejected(handle(receiver, push.withBody("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<xml><Content>&e;</Content></xml>")), Rejection.MALFORMED).detail()).contains("DOCTYPE");
  }

  @Test
  void hostile_xml_plain_or_encrypted_is_malformed_and_the_receiver_fetches_nothing() throws Exception {
    try (ServerSocket dtds = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger fetches = new AtomicInteger();
      Thread.ofVirtual().start(() -> {
        while (true) {
          try (Socket fetch = dtds.accept()) {
            fetches.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      String dtd = "http://127.0.0.1:" + dtds.getLocalPort() + "/evil.dtd";
      List<String> payloads = List.of(
          "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Content>&xxe;</Content></xml>",
          "<!DOCTYPE xml SYSTEM \"" + dtd + "\"><xml><Content>&leak;</Content></xml>",
          "<!DOCTYPE xml [<!ENTITY % remote SYSTEM \"" + dtd + "\"> %remote;]><xml/>");
      Push plain = Pushes.of(Pushes.text("hi", 1), PushFormat.XML, PushMode.PLAIN);
      Push secure = Pushes.of(Pushes.text("hi", 1), PushFormat.XML, PushMode.SECURE);
      String encrypt = secure.text().replaceAll("(?s).*<Encrypt><!\\[CDATA\\[(.*?)]]></Encrypt>.*", "$1");
      PushCipher cipher = new PushCipher(Pushes.KEY, Pushes.APPID);

      for (String payload : payloads) {
        String hostile = cipher.encrypt(payload, "0123456789abcdef");
        Push encrypted = secure.withBody(secure.text().replace(encrypt, hostile)).withQuery("msg_signature",
            Signatures.msgSignature(Pushes.TOKEN, secure.query().get("timestamp"), secure.query().get("nonce"),
                hostile));

        assertThat(rejected(handle(ours(PushMode.PLAIN), plain.withBody(payload)), Rejection.MALFORMED).detail())
            .contains("DOCTYPE").doesNotContain("root:");
        assertThat(rejected(handle(ours(PushMode.SECURE), encrypted), Rejection.MALFORMED).detail())
            .contains("in the decrypted push").contains("DOCTYPE").doesNotContain("root:");
      }
      assertThat(handler.calls()).isZero();
      assertThat(fetches).hasValue(0);
    }
  }

  @Test
  void a_plaintext_push_to_a_receiver_in_plain_mode_while_wechat_encrypts_says_so() {
    Push secure = Pushes.of(Pushes.text("hi", 1), PushFormat.JSON, PushMode.SECURE);
    PushReceiver plain = PushReceiver.builder().token(Pushes.TOKEN).handler(handler).build();

    assertThat(rejected(handle(plain, secure), Rejection.MALFORMED).detail()).contains("MsgType")
        .contains("is the receiver in plain mode while WeChat encrypts?");
  }

  // --- reactions ------------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PushFormat.class)
  void a_transfer_in_plain_mode_is_the_plain_reply_in_the_pushs_format(PushFormat format) {
    handler.reactWith(in -> Reaction.transferToAgents());
    PushReply reply = handle(ours(PushMode.PLAIN), Pushes.of(Pushes.text("人工", 5), format, PushMode.PLAIN));

    assertThat(reply).isInstanceOf(PushReply.Answered.class);
    assertThat(((PushReply.Answered) reply).reaction()).isEqualTo(Reaction.transferToAgents());
    assertThat(reply.body()).isEqualTo(format == PushFormat.XML
        ? "<xml><ToUserName><![CDATA[" + Pushes.ALICE + "]]></ToUserName><FromUserName><![CDATA[gh_0123456789ab]]>"
            + "</FromUserName><CreateTime>1714112500</CreateTime><MsgType><![CDATA[transfer_customer_service]]>"
            + "</MsgType></xml>"
        : "{\"ToUserName\":\"" + Pushes.ALICE + "\",\"FromUserName\":\"gh_0123456789ab\",\"CreateTime\":1714112500,"
            + "\"MsgType\":\"transfer_customer_service\"}");
    assertThat(reply.contentType()).startsWith(format == PushFormat.XML ? "text/xml" : "application/json");
  }

  @ParameterizedTest
  @EnumSource(PushMode.class)
  void a_transfer_asked_for_an_event_is_answered_success_with_a_warning(PushMode mode) {
    handler.reactWith(in -> Reaction.transferToAgents());
    PushReply reply = handle(ours(mode), Pushes.of(Pushes.entered(1714112445L), PushFormat.XML, mode));

    assertThat(reply).isInstanceOf(PushReply.Answered.class);
    PushReply.Answered answered = (PushReply.Answered) reply;
    assertThat(answered.body()).isEqualTo("success");
    assertThat(answered.reaction()).isEqualTo(Reaction.success());
    assertThat(answered.warning()).hasValueSatisfying(w -> assertThat(w).contains("not allowed"));
    assertThat(answered.inbound()).isEqualTo(new Inbound.UserEnteredSession(Pushes.ALICE, Pushes.ORIGINAL_ID,
        1714112445L, "button-1"));
  }

  // --- de-duplication -------------------------------------------------------------------------------------------

  @Test
  void a_push_delivered_twice_reaches_the_handler_once() {
    PushReceiver receiver = PushReceiver.builder().token(Pushes.TOKEN).encodingAesKey(Pushes.KEY)
        .appid(Pushes.APPID).mode(PushMode.SECURE).handler(handler)
        .deduplicator(new InMemoryDeduplicator(100, CLOCK), Duration.ofMinutes(1)).build();
    Push push = Pushes.of(Pushes.text("hi", 42), PushFormat.JSON, PushMode.SECURE);

    assertThat(handle(receiver, push)).isInstanceOf(PushReply.Answered.class);
    PushReply again = handle(receiver, push);

    assertThat(again).isEqualTo(new PushReply.Duplicate(Inbound.of(Pushes.text("hi", 42)),
        "gh_0123456789ab:msg:42"));
    assertThat(again.body()).isEqualTo("success");
    assertThat(handler.calls()).isEqualTo(1);
  }

  @Test
  void events_are_the_same_by_sender_and_create_time() {
    PushReceiver receiver = PushReceiver.builder().token(Pushes.TOKEN).handler(handler)
        .deduplicator(new InMemoryDeduplicator(100, CLOCK), Duration.ofMinutes(1)).build();

    assertThat(handle(receiver, Pushes.of(Pushes.entered(100), PushFormat.JSON, PushMode.PLAIN)))
        .isInstanceOf(PushReply.Answered.class);
    assertThat(handle(receiver, Pushes.of(Pushes.entered(100), PushFormat.XML, PushMode.PLAIN)))
        .isInstanceOf(PushReply.Duplicate.class);
    assertThat(handle(receiver, Pushes.of(Pushes.entered(101), PushFormat.JSON, PushMode.PLAIN)))
        .isInstanceOf(PushReply.Answered.class);
    assertThat(handler.calls()).isEqualTo(2);
  }

  @Test
  void a_handler_that_throws_leaves_the_push_unseen_so_the_retry_is_handled() {
    handler.reactWith(in -> {
      throw new IllegalStateException("database down");
    });
    PushReceiver receiver = PushReceiver.builder().token(Pushes.TOKEN).handler(handler)
        .deduplicator(new InMemoryDeduplicator(100, CLOCK), Duration.ofMinutes(1)).build();
    Push push = Pushes.of(Pushes.text("hi", 7), PushFormat.JSON, PushMode.PLAIN);

    assertThatThrownBy(() -> handle(receiver, push)).hasMessage("database down");
    handler.reactWith(in -> Reaction.success());
    assertThat(handle(receiver, push)).isInstanceOf(PushReply.Answered.class);
    assertThat(handler.calls()).isEqualTo(2);
  }

  // --- configuration --------------------------------------------------------------------------------------------

  @Test
  void the_builder_names_what_is_missing_and_tostring_masks_the_secrets() {
    assertThatThrownBy(() -> PushReceiver.builder().handler(handler).build()).hasMessageContaining("token");
    assertThatThrownBy(() -> PushReceiver.builder().token("t").build()).hasMessageContaining("handler");
    assertThatThrownBy(() -> PushReceiver.builder().token("t").handler(handler).mode(PushMode.SECURE).build())
        .hasMessageContaining("appid");
    assertThatThrownBy(() -> PushReceiver.builder().token("t").handler(handler).mode(PushMode.COMPAT).appid("wx1")
        .encodingAesKey("short").build()).hasMessageContaining("encodingAesKey");

    PushReceiver receiver = ours(PushMode.SECURE);
    assertThat(receiver.toString()).doesNotContain(Pushes.TOKEN).doesNotContain(Pushes.KEY).contains("secure");
    assertThat(receiver.format()).isEmpty();
    assertThat(receiver.mode()).isEqualTo(PushMode.SECURE);
  }

  @Test
  void inbound_mirrors_the_protocol_event() {
    PushEvent.MiniProgramPage card = new PushEvent.MiniProgramPage("gh_1", "o1", 3, "t", "wx1", "p", "u", "m", 9);
    assertThat(Inbound.of(card)).isEqualTo(new Inbound.MiniProgramPageMessage("o1", "gh_1", 3, "t", "wx1", "p", "u",
        "m", 9));
    assertThat(Inbound.of(new PushEvent.Image("gh_1", "o1", 3, "u", "m", 9)).dedupKey()).isEqualTo("gh_1:msg:9");
    assertThat(Inbound.of(new PushEvent.UserEnteredSession("gh_1", "o1", 3, "s")).dedupKey())
        .isEqualTo("gh_1:event:o1:3");
  }
}
