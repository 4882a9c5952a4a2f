package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushCodec;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushRequest;
import kefu.protocol.push.PushSettings;
import org.junit.jupiter.api.Test;

class PushReceiverTest {
  private static final String APPID = "wxkefubench0secure";
  private static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

  @Test
  void the_msg_id_of_a_json_push_is_the_number_after_its_key() {
    String body = PushCodec.plaintext(new PushEvent.Text("gh_kefubench0001", "o-alice", 1_700_000_000L,
        "hi \"MsgId\" 7", 123_456_789_012L), PushFormat.JSON);
    assertThat(PushReceiver.msgId(body)).isEqualTo(123_456_789_012L);
    assertThat(PushReceiver.msgId("{\"CreateTime\":1,\"MsgId\": 42,\"x\":1}")).isEqualTo(42);
    assertThat(PushReceiver.msgId("{\"MsgId\":7}")).isEqualTo(7);
  }

  @Test
  void a_body_without_a_readable_msg_id_reads_as_minus_one() {
    assertThat(PushReceiver.msgId("")).isEqualTo(-1);
    assertThat(PushReceiver.msgId("{\"Event\":\"user_enter_tempsession\"}")).isEqualTo(-1);
    assertThat(PushReceiver.msgId("{\"MsgId\":\"12\"}")).isEqualTo(-1);
    assertThat(PushReceiver.msgId("{\"MsgId\":")).isEqualTo(-1);
    assertThat(PushReceiver.msgId("{\"MsgId\":12345678901234567890}")).isEqualTo(-1);
  }

  @Test
  void plain_pushes_are_answered_success_and_noted_once_per_msg_id() throws Exception {
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.PLAIN);
         HttpClient http = HttpClient.newHttpClient()) {
      for (long msgId : new long[] {5, 6, 5}) {
        HttpResponse<String> r = http.send(post(receiver.url(), "{\"MsgType\":\"text\",\"MsgId\":" + msgId + "}"),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("success");
      }
      http.send(post(receiver.url(), "not a push"), HttpResponse.BodyHandlers.ofString());
      PushReceiver.Arrivals arrivals = receiver.arrivals();
      assertThat(arrivals.firsts()).containsOnlyKeys(5L, 6L);
      assertThat(arrivals.duplicates()).isEqualTo(1);
      assertThat(arrivals.duplicateSamples()).containsExactly(5L);
      assertThat(arrivals.unreadable()).isEqualTo(1);
      assertThat(arrivals.unreadableSamples()).containsExactly("not a push");
      assertThat(receiver.awaitAll(java.util.List.of(5L, 6L), System.nanoTime())).isTrue();
      assertThat(receiver.awaitAll(java.util.List.of(5L, 7L), System.nanoTime())).isFalse();
    }
  }

  @Test
  void a_secure_push_is_opened_with_the_apps_key() throws Exception {
    PushSettings secure = new PushSettings("http://127.0.0.1/wx", "kefutoken", KEY, PushFormat.JSON,
        PushMode.SECURE, true);
    PushRequest request = PushCodec.request(new PushEvent.Text("gh_kefubench0001", "o-alice", 1_700_000_000L, "hi",
        99L), secure, APPID, "1700000000", "123456789", "0123456789abcdef");
    assertThat(request.body()).doesNotContain("MsgId");
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.secure(new PushCipher(KEY, APPID)));
         HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(post(URI.create(receiver.url() + "?" + request.query()), request.body()),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("success");
      assertThat(receiver.arrivals().firsts()).containsOnlyKeys(99L);
      assertThat(receiver.arrivals().unreadable()).isZero();
    }
  }

  @Test
  void the_url_check_gets_its_echostr_back() throws Exception {
    try (PushReceiver receiver = PushReceiver.start(PushReceiver.Opener.PLAIN);
         HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(receiver.url()
          + "?signature=x&timestamp=1&nonce=2&echostr=8274%2045")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("8274 45");
      assertThat(receiver.arrivals().firsts()).isEmpty();
    }
  }

  private static HttpRequest post(URI url, String body) {
    return HttpRequest.newBuilder(url).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
