package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import kefu.server.config.ServerConfig;
import kefu.server.fault.FaultEndpoints;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection over HTTP ({@code /kefu/v1/faults}): each effect end to end, what a rule matches, how long it
 * lasts, the marks in both journals, and what a bad rule gets.
 */
class FaultsHttpTest {
  static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();
  static final String SEND = "/cgi-bin/message/custom/send";
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();

  JsonNode inject(String rule) {
    TestKefu.Response r = kefu.post("/kefu/v1/faults", rule);
    assertThat(r.json().path("id").asLong()).as(r.text()).isPositive();
    return r.json();
  }

  List<JsonNode> journal() {
    kefu.server.store().flush();
    return StreamSupport.stream(kefu.get("/kefu/v1/journal?limit=100").json().path("entries").spliterator(), false)
        .toList();
  }

  List<JsonNode> rules() {
    return StreamSupport.stream(kefu.get("/kefu/v1/faults").json().path("faults").spliterator(), false).toList();
  }

  /** A user who wrote, so that five sends are allowed. */
  String userWhoWrote() {
    String openid = kefu.newUser();
    kefu.says(openid, "hi");
    return openid;
  }

  // ---- errcode

  @Test
  void an_errcode_fault_answers_wechats_errmsg_for_it_and_the_faulted_send_uses_nothing() {
    String alice = userWhoWrote();
    String token = kefu.token();
    long rule = inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"count\":1}")
        .path("id").asLong();

    TestKefu.Response faulted = kefu.sendText(token, alice, "quota?");
    assertThat(faulted.status()).isEqualTo(200);
    assertThat(faulted.errcode()).isEqualTo(45009);
    assertThat(faulted.errmsg()).matches("reach max api daily quota limit rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
    assertThat(kefu.conversation(alice)).hasSize(1);

    assertThat(kefu.sendText(token, alice, "now").errcode()).isZero();
    JsonNode marked = journal().get(1);
    assertThat(marked.path("errcode").asInt()).isEqualTo(45009);
    assertThat(marked.path("appid").asText()).isEqualTo(TestKefu.DEMO.appid());
    assertThat(marked.path("openid").asText()).isEqualTo(alice);
    assertThat(marked.path("fault").path("rule").asLong()).isEqualTo(rule);
    assertThat(marked.path("fault").path("effect").asText()).isEqualTo("errcode 45009");
    assertThat(journal().get(0).path("fault").isNull()).isTrue();
  }

  @Test
  void an_errcode_kefu_does_not_know_answers_unknown_error_or_the_errmsg_the_rule_gives() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":89503},\"count\":1}");
    inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":89506,\"errmsg\":\"此IP调用需要管理员确认,请联系管理员\"},"
        + "\"count\":1}");

    TestKefu.Response first = kefu.sendText(token, alice, "1");
    TestKefu.Response second = kefu.sendText(token, alice, "2");

    assertThat(first.errcode()).isEqualTo(89503);
    assertThat(first.errmsg()).startsWith("unknown error rid: ");
    assertThat(second.errcode()).isEqualTo(89506);
    assertThat(second.errmsg()).startsWith("此IP调用需要管理员确认,请联系管理员 rid: ");
  }

  // ---- matching

  @Test
  void a_rule_for_one_user_faults_only_the_calls_about_that_user() {
    String alice = userWhoWrote();
    String bob = userWhoWrote();
    String token = kefu.token();
    inject("{\"appid\":\"" + TestKefu.DEMO.appid() + "\",\"openid\":\"" + alice
        + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"seconds\":60}");

    assertThat(kefu.sendText(token, bob, "to bob").errcode()).isZero();
    assertThat(kefu.sendText(token, alice, "to alice").errcode()).isEqualTo(-1);
    assertThat(kefu.sendText(token, alice, "again").errcode()).isEqualTo(-1);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
  }

  @Test
  void a_path_ending_in_a_star_faults_every_api_under_it_and_no_other() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"/cgi-bin/message/custom/*\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":10}");

    assertThat(kefu.post("/cgi-bin/message/custom/typing?access_token=" + token,
        "{\"touser\":\"" + alice + "\",\"command\":\"Typing\"}").errcode()).isEqualTo(-1);
    assertThat(kefu.sendText(token, alice, "x").errcode()).isEqualTo(-1);
    assertThat(kefu.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestKefu.DEMO.appid() + "&secret="
        + TestKefu.DEMO.secret()).json().has("access_token")).isTrue();
  }

  @Test
  void an_appid_rule_matches_token_calls_by_their_appid_parameter() {
    inject("{\"path\":\"/cgi-bin/token\",\"appid\":\"" + TestKefu.DEMO.appid()
        + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":45011},\"count\":1}");

    TestKefu.Response r = kefu.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestKefu.DEMO.appid()
        + "&secret=" + TestKefu.DEMO.secret());

    assertThat(r.errcode()).isEqualTo(45011);
    assertThat(r.errmsg()).startsWith("api minute-quota reach limit, must slower, retry next minute rid: ");
    assertThat(journal().getFirst().path("appid").asText()).isEqualTo(TestKefu.DEMO.appid());
  }

  @Test
  void the_oldest_matching_rule_applies_and_one_call_gets_one_fault() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"count\":1}");
    inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":45011},\"count\":1}");

    assertThat(kefu.sendText(token, alice, "1").errcode()).isEqualTo(45009);
    assertThat(kefu.sendText(token, alice, "2").errcode()).isEqualTo(45011);
    assertThat(kefu.sendText(token, alice, "3").errcode()).isZero();
  }

  @Test
  void a_rule_asking_about_users_reads_a_large_upload_without_spoiling_it() {
    String token = kefu.token();
    inject("{\"path\":\"/cgi-bin/*\",\"openid\":\"o-alice\",\"effect\":{\"type\":\"drop\"},\"seconds\":60}");
    byte[] image = java.util.Arrays.copyOf(MediaHttpTest.PNG, 3 * 1024 * 1024);

    TestKefu.Response r = MediaHttpTest.upload(kefu, token, image);

    assertThat(r.json().path("media_id").asText()).as(r.text()).hasSize(64);
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + token + "&media_id=" + r.json().path("media_id")
        .asText()).bytes()).isEqualTo(image);
  }

  // ---- how long a rule lasts

  @Test
  void a_counted_rule_faults_exactly_that_many_calls_and_then_lists_as_used_up() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":2}");

    assertThat(List.of(kefu.sendText(token, alice, "1").errcode(), kefu.sendText(token, alice, "2").errcode(),
        kefu.sendText(token, alice, "3").errcode())).containsExactly(-1, -1, 0);
    JsonNode listed = rules().getFirst();
    assertThat(listed.path("used").asInt()).isEqualTo(2);
    assertThat(listed.path("remaining").asInt()).isZero();
    assertThat(listed.path("state").asText()).isEqualTo("used_up");
  }

  @Test
  void a_timed_rule_lasts_until_kefus_clock_passes_its_end() {
    String alice = userWhoWrote();
    String token = kefu.token();
    JsonNode rule = inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"seconds\":60}");
    assertThat(rule.path("expires_at_ms").asLong()).isEqualTo(kefu.clock.millis() + 60_000);
    assertThat(rule.path("remaining").isNull()).isTrue();

    kefu.advance(Duration.ofSeconds(59));
    assertThat(kefu.sendText(token, alice, "still").errcode()).isEqualTo(-1);
    kefu.advance(Duration.ofSeconds(1));
    assertThat(kefu.sendText(token, alice, "over").errcode()).isZero();
    assertThat(rules().getFirst().path("state").asText()).isEqualTo("expired");
  }

  @Test
  void sixty_four_concurrent_sends_against_a_rule_for_five_calls_are_faulted_exactly_five_times() throws Exception {
    kefu.put(APP, "{\"rules\":{\"name\":\"many\",\"enter\":{\"count\":1,\"seconds\":60},"
        + "\"message\":{\"count\":1000,\"seconds\":172800}}}");
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":5}");

    List<Future<Integer>> answers = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 64; i++) {
        int n = i;
        answers.add(threads.submit(() -> kefu.sendText(token, alice, "m" + n).errcode()));
      }
    }
    Map<Integer, Integer> byCode = new TreeMap<>();
    for (Future<Integer> a : answers) {
      byCode.merge(a.get(), 1, Integer::sum);
    }

    assertThat(byCode).isEqualTo(Map.of(-1, 5, 0, 59));
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(1000 - 59);
    assertThat(journal()).filteredOn(e -> !e.path("fault").isNull()).hasSize(5);
  }

  // ---- latency and dropped connections

  @Test
  void latency_holds_the_answer_back_after_the_call_ran() throws Exception {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"latency\",\"ms\":3000},\"count\":1}");

    HttpRequest send = HttpRequest.newBuilder(kefu.uri(SEND + "?access_token=" + token))
        .timeout(Duration.ofMillis(300))
        .POST(HttpRequest.BodyPublishers.ofString("{\"touser\":\"" + alice + "\",\"msgtype\":\"text\","
            + "\"text\":{\"content\":\"slow\"}}")).build();
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(send, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);

    Awaitility.await().atMost(WAIT).until(() -> !journal().isEmpty() && journal().getFirst().path("path")
        .asText().equals(SEND));
    JsonNode entry = journal().getFirst();
    assertThat(entry.path("errcode").asInt()).as("the call ran").isZero();
    assertThat(entry.path("fault").path("effect").asText()).isEqualTo("latency 3000 ms");
    assertThat(entry.path("latency_ms").asDouble()).isGreaterThanOrEqualTo(3000);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(4);
  }

  @Test
  void a_dropped_connection_gets_no_answer_and_the_call_does_not_run() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"drop\"},\"count\":1}");

    assertThatThrownBy(() -> kefu.sendText(token, alice, "lost")).hasCauseInstanceOf(IOException.class);

    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
    JsonNode entry = journal().getFirst();
    assertThat(entry.path("errcode").asInt()).isEqualTo(-1);
    assertThat(entry.path("openid").asText()).isEqualTo(alice);
    assertThat(entry.path("fault").path("effect").asText()).isEqualTo("drop");
    assertThat(kefu.sendText(token, alice, "next").errcode()).isZero();
  }

  @Test
  void a_connection_dropped_after_the_call_loses_only_the_answer() {
    String alice = userWhoWrote();
    String token = kefu.token();
    inject("{\"path\":\"" + SEND + "\",\"effect\":{\"type\":\"drop\",\"after_call\":true},\"count\":1}");

    assertThatThrownBy(() -> kefu.sendText(token, alice, "sent, but did it?")).hasCauseInstanceOf(IOException.class);

    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(4);
    assertThat(kefu.conversation(alice)).extracting(m -> m.path("text").path("content").asText())
        .contains("sent, but did it?");
    JsonNode entry = journal().getFirst();
    assertThat(entry.path("errcode").asInt()).isZero();
    assertThat(entry.path("fault").path("effect").asText()).isEqualTo("drop after the call");
  }

  // ---- pushes

  /** The demo app pushing to a developer's server (plain JSON, no URL check). */
  DeveloperServer pushingTo() throws IOException {
    DeveloperServer developer = new DeveloperServer();
    kefu.put(APP + "?skip_url_check=true", "{\"push\":{\"url\":\"" + developer.url()
        + "\",\"token\":\"kefutoken\",\"format\":\"json\"}}");
    return developer;
  }

  List<JsonNode> pushJournal() {
    List<JsonNode> newestFirst = StreamSupport.stream(kefu.get(APP + "/pushes?limit=100").json().path("pushes")
        .spliterator(), false).toList();
    return newestFirst.reversed();
  }

  @Test
  void a_duplicated_push_reaches_the_developer_twice_alike_and_is_delivered_once() throws Exception {
    try (DeveloperServer developer = pushingTo()) {
      String alice = kefu.newUser();
      long rule = inject("{\"openid\":\"" + alice + "\",\"effect\":{\"type\":\"duplicate_push\"},\"count\":1}")
          .path("id").asLong();

      long msgId = kefu.says(alice, "once").json().path("msgid").asLong();
      DeveloperServer.Received first = developer.takePush(WAIT);
      DeveloperServer.Received again = developer.takePush(WAIT);

      assertThat(again.rawQuery()).isEqualTo(first.rawQuery());
      assertThat(again.body()).isEqualTo(first.body()).contains("\"MsgId\":" + msgId);
      Awaitility.await().atMost(WAIT).until(() -> pushJournal().size() == 2);
      List<JsonNode> attempts = pushJournal();
      assertThat(attempts).extracting(a -> a.path("attempt").asInt()).containsExactly(1, 1);
      assertThat(attempts).extracting(a -> a.path("outcome").asText()).containsExactly("delivered", "delivered");
      assertThat(attempts.get(0).path("fault").isNull()).isTrue();
      assertThat(attempts.get(1).path("fault").path("rule").asLong()).isEqualTo(rule);
      assertThat(attempts.get(1).path("reason").asText()).startsWith("a duplicate injected by fault rule " + rule);

      kefu.says(alice, "next");
      assertThat(developer.takePush(WAIT).body()).contains("next");
      Awaitility.await().atMost(WAIT).until(() -> pushJournal().size() == 3);
      assertThat(developer.pendingRequests()).as("the next push went out once").isZero();
    }
  }

  @Test
  void a_delayed_push_waits_on_kefus_clock_and_holds_back_that_users_later_pushes() throws Exception {
    try (DeveloperServer developer = pushingTo()) {
      String alice = kefu.newUser();
      long rule = inject("{\"appid\":\"" + TestKefu.DEMO.appid()
          + "\",\"effect\":{\"type\":\"delay_push\",\"ms\":10000},\"count\":1}").path("id").asLong();

      kefu.says(alice, "first");
      kefu.says(alice, "second");
      Awaitility.await().atMost(WAIT).until(() -> !pushJournal().isEmpty());
      JsonNode held = pushJournal().getFirst();
      assertThat(held.path("outcome").asText()).isEqualTo("delayed");
      assertThat(held.path("fault").path("rule").asLong()).isEqualTo(rule);
      assertThat(held.path("fault").path("effect").asText()).isEqualTo("delay push 10000 ms");
      assertThat(held.path("reason").asText()).contains("held back 10000 ms on kefu's clock");
      assertThat(developer.pendingRequests()).as("nothing sent while held").isZero();

      kefu.advance(Duration.ofSeconds(10));
      assertThat(developer.takePush(WAIT).body()).contains("first");
      assertThat(developer.takePush(WAIT).body()).contains("second");
      Awaitility.await().atMost(WAIT).until(() -> pushJournal().size() == 3);
      assertThat(pushJournal()).extracting(a -> a.path("outcome").asText())
          .containsExactly("delayed", "delivered", "delivered");
      assertThat(pushJournal().get(1).path("fault").isNull()).as("the delivery itself is not a fault").isTrue();
    }
  }

  @Test
  void a_push_rule_leaves_calls_alone_and_a_call_rule_leaves_pushes_alone() throws Exception {
    try (DeveloperServer developer = pushingTo()) {
      String alice = kefu.newUser();
      String token = kefu.token();
      inject("{\"effect\":{\"type\":\"delay_push\",\"ms\":60000},\"seconds\":3600}");
      inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"seconds\":3600}");
      kefu.says(alice, "hi");

      assertThat(kefu.sendText(token, alice, "x").errcode()).isEqualTo(-1);
      Awaitility.await().atMost(WAIT).until(() -> !pushJournal().isEmpty());
      assertThat(pushJournal().getFirst().path("outcome").asText()).isEqualTo("delayed");
    }
  }

  // ---- the rules API

  @Test
  void rules_are_listed_removed_one_by_one_or_all_and_gone_after_a_reset() {
    long first = inject("{\"effect\":{\"type\":\"drop\"},\"count\":1}").path("id").asLong();
    inject("{\"effect\":{\"type\":\"duplicate_push\"},\"count\":1}");
    inject("{\"effect\":{\"type\":\"delay_push\",\"ms\":1000},\"count\":1}");

    assertThat(kefu.send(HttpRequest.newBuilder(kefu.uri("/kefu/v1/faults/" + first)).DELETE()).json()
        .path("removed").asInt()).isEqualTo(1);
    assertThat(rules()).extracting(r -> r.path("effect").path("type").asText())
        .containsExactly("duplicate_push", "delay_push");
    assertThat(kefu.send(HttpRequest.newBuilder(kefu.uri("/kefu/v1/faults")).DELETE()).json().path("removed")
        .asInt()).isEqualTo(2);
    assertThat(rules()).isEmpty();

    inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":1}");
    kefu.post("/kefu/v1/reset", "");
    assertThat(rules()).isEmpty();
    String alice = userWhoWrote();
    assertThat(kefu.sendText(kefu.token(), alice, "after the reset").errcode()).isZero();
  }

  @Test
  void a_bad_rule_gets_47001_naming_what_is_wrong_and_nothing_is_added() {
    TestKefu.Response r = kefu.post("/kefu/v1/faults", "{\"effect\":{\"type\":\"errcode\",\"errcode\":0},\"count\":1}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.errcode()).isEqualTo(47001);
    assertThat(r.errmsg()).startsWith("data format error: effect.errcode must be a non-zero integer").contains(" rid: ");
    assertThat(kefu.post("/kefu/v1/faults", "not json").errcode()).isEqualTo(47001);
    assertThat(rules()).isEmpty();
  }

  @Test
  void removing_a_rule_that_is_not_there_removes_nothing_and_a_bad_id_gets_47001() {
    TestKefu.Response missing = kefu.send(HttpRequest.newBuilder(kefu.uri("/kefu/v1/faults/99")).DELETE());
    assertThat(missing.errcode()).isZero();
    assertThat(missing.json().path("removed").asInt()).isZero();
    assertThat(kefu.send(HttpRequest.newBuilder(kefu.uri("/kefu/v1/faults/x")).DELETE()).errmsg())
        .startsWith("data format error: a fault rule id is a number");
  }

  @Test
  void with_an_admin_token_the_rules_api_needs_it(@TempDir Path other) {
    String rule = "{\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":1}";
    try (TestKefu secured = TestKefu.start(ServerConfig.defaults().withPort(0).withDataDir(other)
        .withAdminToken("let-me-in-please"))) {
      for (HttpRequest.Builder call : List.of(
          HttpRequest.newBuilder(secured.uri("/kefu/v1/faults")).POST(HttpRequest.BodyPublishers.ofString(rule)),
          HttpRequest.newBuilder(secured.uri("/kefu/v1/faults")).GET(),
          HttpRequest.newBuilder(secured.uri("/kefu/v1/faults")).DELETE(),
          HttpRequest.newBuilder(secured.uri("/kefu/v1/faults/1")).DELETE())) {
        assertThat(secured.send(call).status()).isEqualTo(401);
      }
      assertThat(secured.send(HttpRequest.newBuilder(secured.uri("/kefu/v1/faults"))
          .header("Authorization", "Bearer let-me-in-please").POST(HttpRequest.BodyPublishers.ofString(rule)))
          .json().path("id").asLong()).isPositive();
    }
  }

  @Test
  void at_most_a_hundred_rules_are_kept() {
    for (int i = 0; i < FaultEndpoints.MAX_RULES; i++) {
      inject("{\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"seconds\":60}");
    }

    TestKefu.Response refused = kefu.post("/kefu/v1/faults", "{\"effect\":{\"type\":\"drop\"},\"count\":1}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errmsg()).contains("100 fault rules already");
  }
}
