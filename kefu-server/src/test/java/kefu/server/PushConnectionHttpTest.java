package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.server.push.DeliveryOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delivery against a developer's server written at the socket level, to control what HTTP/1.1 servers really do:
 * empty answers in every framing, keep-alive connections closed under the client, redirects.
 */
class PushConnectionHttpTest {
  static final String APP = "/kefu/v1/apps/" + TestKefu.DEMO.appid();
  static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withDelivery(
      new DeliveryOptions(Duration.ofMillis(1500), 3, Duration.ZERO)));
  ServerSocket socket;
  final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  /** Requests after which the connection is dropped, unanswered, the next time it is used. */
  final AtomicInteger dropOnReuse = new AtomicInteger();
  String alice;

  @BeforeEach
  void start() throws IOException {
    socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
    kefu.put(APP + "?skip_url_check=true", "{\"push\":{\"url\":\"http://127.0.0.1:" + socket.getLocalPort()
        + "/wx\",\"token\":\"kefutoken\",\"format\":\"json\"}}");
    alice = kefu.newUser();
  }

  @AfterEach
  void stop() throws IOException {
    socket.close();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Serves requests on one connection, keep-alive, until dropped. */
  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      boolean served = false;
      while (true) {
        String request = readRequest(in);
        if (request == null) {
          return;
        }
        if (served && dropOnReuse.get() > 0) {
          dropOnReuse.decrementAndGet();
          return; // the server had closed this idle connection: the request is never answered
        }
        requests.add(request);
        String answer = answers.poll();
        out.write((answer != null ? answer : "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsuccess")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        served = true;
      }
    } catch (IOException e) {
      // connection gone
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.UTF_8);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  List<JsonNode> pushes() {
    JsonNode all = kefu.get(APP + "/pushes?limit=100").json().path("pushes");
    return java.util.stream.StreamSupport.stream(all.spliterator(), false).toList();
  }

  String takeRequest() throws InterruptedException {
    String r = requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(r).as("a push within %s", WAIT).isNotNull();
    return r;
  }

  @Test
  void empty_answers_deliver_in_every_framing() throws Exception {
    answers.add("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    answers.add("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    answers.add("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 8\r\n\r\nsuccess\n");
    for (int i = 0; i < 3; i++) {
      kefu.says(alice, "m" + i);
      takeRequest();
    }
    Awaitility.await().atMost(WAIT).until(() -> pushes().size() == 3);
    assertThat(pushes()).extracting(p -> p.path("attempt").asInt() + ":" + p.path("outcome").asText())
        .containsOnly("1:delivered");
    assertThat(kefu.conversation(alice)).hasSize(3);
  }

  @Test
  void a_keep_alive_connection_the_receiver_closed_is_retried_without_costing_an_attempt() throws Exception {
    kefu.says(alice, "first");
    takeRequest();
    Awaitility.await().atMost(WAIT).until(() -> pushes().size() == 1);
    dropOnReuse.set(1);
    kefu.says(alice, "second");
    assertThat(takeRequest()).contains("second");
    Awaitility.await().atMost(WAIT).until(() -> pushes().size() == 2);
    assertThat(pushes()).extracting(p -> p.path("attempt").asInt() + ":" + p.path("outcome").asText())
        .containsExactly("1:delivered", "1:delivered");
    assertThat(dropOnReuse.get()).as("the pooled connection was really reused and dropped").isZero();
    assertThat(kefu.conversation(alice)).hasSize(2);
  }

  @Test
  void redirects_are_not_followed() throws Exception {
    answers.add("HTTP/1.1 302 Found\r\nLocation: http://example.com/\r\nContent-Length: 0\r\n\r\n");
    kefu.says(alice, "hi");
    takeRequest();
    Awaitility.await().atMost(WAIT).until(() -> !pushes().isEmpty());
    assertThat(pushes().get(pushes().size() - 1).path("reason").asText()).contains("302")
        .contains("redirects are not followed");
  }
}
