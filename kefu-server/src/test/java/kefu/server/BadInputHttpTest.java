package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hostile bodies get a WeChat-shaped error, never a 500 or a stack trace, and store nothing. */
class BadInputHttpTest {
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
}
