package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile bodies, broken framing and malformed HTTP get a WeChat-shaped error, never a 500 or a stack trace, and
 * store nothing. {@link EndpointFuzzProperties} generates such requests for every route; these are the cases it
 * found, and the multipart ones, spelled out.
 */
class BadInputHttpTest {
  static final String RID = " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String token;
  String alice;

  @BeforeEach
  void start() {
    token = kefu.token();
    alice = kefu.newUser();
    kefu.says(alice, "hi");
  }

  @Test
  void hostile_bodies_get_47001_on_every_json_endpoint_and_nothing_is_stored() {
    byte[] invalidUtf8 = ("{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] withBadByte = java.util.Arrays.copyOf(invalidUtf8, invalidUtf8.length + 4);
    withBadByte[invalidUtf8.length] = (byte) 0xc3;
    withBadByte[invalidUtf8.length + 1] = (byte) 0x28;
    withBadByte[invalidUtf8.length + 2] = '"';
    withBadByte[invalidUtf8.length + 3] = '}';
    List<byte[]> bodies = List.of(
        "[".repeat(100_000).getBytes(),
        ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(),
        withBadByte,
        "{\"touser\":\"x\",\"touser\":\"y\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}".getBytes(),
        new byte[] {0, 1, 2, 3});
    List<String> paths = List.of("/cgi-bin/message/custom/send?access_token=" + token,
        "/cgi-bin/message/custom/typing?access_token=" + token, "/cgi-bin/stable_token",
        "/kefu/v1/apps/" + TestKefu.DEMO.appid() + "/users/" + alice + "/messages");
    for (String path : paths) {
      for (byte[] body : bodies) {
        TestKefu.Response r = kefu.post(path, body, "application/json");
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.errcode()).as(path).isEqualTo(47001);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at kefu.");
      }
    }
    assertThat(kefu.conversation(alice)).hasSize(1);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
  }

  @Test
  void odd_query_strings_do_not_break_the_server() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", kefu.server.port())) {
      socket.getOutputStream().write(("GET /cgi-bin/token?appid=%zz&grant_type HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 ").doesNotStartWith("HTTP/1.1 5").doesNotContain("Exception");
    }
    assertThat(kefu.get("/cgi-bin/token?appid=&secret=").errcode()).isEqualTo(41002);
  }

  @Test
  void requests_helidon_cannot_read_get_a_json_400_in_wechats_shape() {
    for (String head : List.of("GET\tX /cgi-bin/token HTTP/1.1", "GET /kefu/v1/health HTTP/2.0",
        "GET /kefu/v1/health HTTP/1.1\r\nBad Header: x",
        "GET /kefu/v1/health HTTP/1.1\r\nX-A: " + "a".repeat(20_000))) {
      RawHttp.Answer a = exchange(RawHttp.raw(head, List.of(), new byte[0]));
      assertThat(a.status()).as(head).isEqualTo(400);
      assertThat(a.header("Content-Type")).as(head).hasValue("application/json; encoding=utf-8");
      assertThat(a.json().orElseThrow().path("errcode").asInt()).as(head).isEqualTo(47001);
      assertThat(a.json().orElseThrow().path("errmsg").asText()).as(head)
          .matches("data format error: malformed HTTP request.*" + RID);
    }
    assertThat(kefu.get("/kefu/v1/health").status()).isEqualTo(200);
  }

  @Test
  void a_head_cut_off_by_the_client_gets_a_json_400() {
    byte[] request = RawHttp.request("GET", "/cgi-bin/token?appid=x", List.of(), new byte[0]);
    RawHttp.Answer a = exchange(Arrays.copyOf(request, request.length - 30));
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().orElseThrow().path("errcode").asInt()).isEqualTo(47001);
  }

  @Test
  void a_body_over_the_servers_cap_gets_a_json_413_before_it_is_sent() {
    RawHttp.Answer a = exchange(RawHttp.raw("POST /cgi-bin/message/custom/send?access_token=" + token + " HTTP/1.1",
        List.of("Content-Length: " + 1024L * 1024 * 1024), new byte[0]));
    assertThat(a.status()).isEqualTo(413);
    assertThat(a.json().orElseThrow().path("errmsg").asText())
        .matches("data format error: the body is larger than kefu accepts" + RID);
  }

  @Test
  void a_body_shorter_than_its_content_length_or_with_broken_chunks_gets_47001_and_sends_nothing() {
    byte[] send = ("{\"touser\":\"" + alice + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}")
        .getBytes(StandardCharsets.UTF_8);
    String path = "/cgi-bin/message/custom/send?access_token=" + token;
    RawHttp.Answer promisedMore = exchange(RawHttp.raw("POST " + path + " HTTP/1.1",
        List.of("Content-Length: " + (send.length + 10)), send));
    RawHttp.Answer brokenChunks = exchange(RawHttp.raw("POST " + path + " HTTP/1.1",
        List.of("Transfer-Encoding: chunked"), ("zz\r\n" + new String(send, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8)));
    for (RawHttp.Answer a : List.of(promisedMore, brokenChunks)) {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json().orElseThrow().path("errcode").asInt()).as(a.toString()).isEqualTo(47001);
    }
    assertThat(kefu.conversation(alice)).hasSize(1);
    assertThat(kefu.window(alice).path("remaining").asInt()).isEqualTo(5);
  }

  @Test
  void uploads_with_oversized_parts_missing_or_garbled_boundaries_or_lying_lengths_store_no_media() {
    String path = "/cgi-bin/media/upload?access_token=" + token + "&type=image";
    String boundary = "multipart/form-data; boundary=" + MediaHttpTest.BOUNDARY;
    byte[] upload = MediaHttpTest.multipart("media", MediaHttpTest.PNG, "image/png");
    byte[] hugeField = MediaHttpTest.multipart("media", MediaHttpTest.PNG, "image/png", "note",
        "x".repeat(11 * 1024 * 1024));
    record Case(String name, byte[] request, int errcode) {}
    List<Case> cases = List.of(
        new Case("an oversized form field", RawHttp.request("POST", path, List.of("Content-Type: " + boundary),
            hugeField), 45001),
        new Case("no boundary", RawHttp.request("POST", path, List.of("Content-Type: multipart/form-data"), upload),
            47001),
        new Case("an empty boundary", RawHttp.request("POST", path,
            List.of("Content-Type: multipart/form-data; boundary="), upload), 47001),
        new Case("another boundary", RawHttp.request("POST", path,
            List.of("Content-Type: multipart/form-data; boundary=zz"), upload), 41005),
        new Case("no closing boundary", RawHttp.request("POST", path, List.of("Content-Type: " + boundary),
            Arrays.copyOf(upload, upload.length - MediaHttpTest.BOUNDARY.length() - 8)), 47001),
        new Case("a Content-Length shorter than the body", RawHttp.raw("POST " + path + " HTTP/1.1",
            List.of("Content-Type: " + boundary, "Content-Length: " + upload.length / 2), upload), 47001),
        new Case("a Content-Length longer than the body", RawHttp.raw("POST " + path + " HTTP/1.1",
            List.of("Content-Type: " + boundary, "Content-Length: " + (upload.length + 100)), upload), 47001));
    for (Case c : cases) {
      RawHttp.Answer a = exchange(c.request());
      assertThat(a.status()).as(c.name()).isEqualTo(200);
      assertThat(a.json().orElseThrow().path("errcode").asInt()).as(c.name() + ": " + a).isEqualTo(c.errcode());
      assertThat(a.json().orElseThrow().path("errmsg").asText()).as(c.name()).matches(".*" + RID);
    }
    assertThat(StoreSnapshot.of(kefu.server.config().dataDir()).get("media")).isEmpty();
    assertThat(exchange(RawHttp.request("POST", path, List.of("Content-Type: " + boundary), upload)).json()
        .orElseThrow().path("media_id").asText()).hasSize(64);
  }

  RawHttp.Answer exchange(byte[] request) {
    return RawHttp.exchange(kefu.server.port(), request, Duration.ofSeconds(30));
  }
}
