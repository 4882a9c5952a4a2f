package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.server.config.ServerConfig;
import kefu.server.http.ClientLimits;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and abusive clients: a slow loris (many connections trickling a request a byte at a time, reconnecting when
 * dropped) does not keep others from being answered; idle connections are closed; connections beyond the cap wait
 * in the accept queue and are served in turn. The bounds here are generous answers-at-all bounds, not timings.
 */
class SlowClientHttpTest {
  static final int CAP = 20;
  static final Duration ANSWERED_WITHIN = Duration.ofSeconds(30);

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest(c -> c.withLimits(
      new ClientLimits(CAP, Duration.ofSeconds(2), Duration.ofSeconds(1), 1024 * 1024)));
  final AtomicBoolean attacking = new AtomicBoolean(true);
  final ExecutorService loris = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    attacking.set(false);
    loris.shutdownNow();
  }

  Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", kefu.server.port()), 5000);
    return s;
  }

  /** One slow client: sends {@code head}, then trickles {@code trickle} a byte every 100 ms, forever; reconnects. */
  void trickle(String head, String trickle, AtomicInteger dropped) {
    loris.submit(() -> {
      while (attacking.get()) {
        try (Socket s = connect()) {
          OutputStream out = s.getOutputStream();
          out.write(head.getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; attacking.get(); i = (i + 1) % trickle.length()) {
            out.write(trickle.charAt(i));
            out.flush();
            Thread.sleep(100);
          }
        } catch (IOException closedByKefu) {
          dropped.incrementAndGet();
        }
      }
      return null;
    });
  }

  @Test
  void a_slow_loris_beyond_the_connection_cap_does_not_keep_others_from_being_answered() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    for (int i = 0; i < 2 * CAP; i++) {
      switch (i % 3) {
        case 0 -> trickle("", "GET /kefu/v1/health HTTP/1.1\r\n", dropped);
        case 1 -> trickle("GET /kefu/v1/health HTTP/1.1\r\nHost: a\r\n", "X-Slow: aaaaaaaa\r\n", dropped);
        default -> trickle("POST /cgi-bin/stable_token HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n",
            "{\"a\":1}", dropped);
      }
    }
    String token = kefu.token();
    String alice = kefu.newUser();
    kefu.says(alice, "hi");
    for (int i = 0; i < 5; i++) {
      RawHttp.Answer health = RawHttp.exchange(kefu.server.port(),
          RawHttp.request("GET", "/kefu/v1/health", List.of(), new byte[0]), ANSWERED_WITHIN);
      assertThat(health.status()).isEqualTo(200);
      assertThat(kefu.sendText(token, alice, "still here " + i).errcode()).isZero();
    }
    Awaitility.await().atMost(ANSWERED_WITHIN).untilAsserted(() ->
        assertThat(dropped.get()).as("slow connections closed by kefu").isGreaterThanOrEqualTo(2 * CAP));
  }

  @Test
  void a_connection_that_sends_nothing_or_stays_idle_after_an_answer_is_closed() throws Exception {
    try (Socket silent = connect(); Socket used = connect()) {
      used.getOutputStream().write(("GET /kefu/v1/health HTTP/1.1\r\nHost: a\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      silent.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
      used.setSoTimeout((int) ANSWERED_WITHIN.toMillis());

      assertThat(untilClosed(silent.getInputStream())).isEmpty();
      assertThat(untilClosed(used.getInputStream())).startsWith("HTTP/1.1 200").contains("{\"status\":\"ok\"}");
    }
  }

  @Test
  void connections_beyond_the_cap_wait_in_the_accept_queue_and_are_served_in_turn(@TempDir Path dir)
      throws Exception {
    int cap = 3;
    try (TestKefu capped = TestKefu.start(ServerConfig.defaults().withPort(0).withDataDir(dir)
        .withLimits(new ClientLimits(cap, Duration.ofSeconds(60), Duration.ofSeconds(60), 1024 * 1024)))) {
      byte[] health = "GET /kefu/v1/health HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          Socket s = new Socket("127.0.0.1", capped.server.port());
          s.getOutputStream().write(health);
          assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
              .isEqualTo("HTTP/1.1 200");
          held.add(s);
        }
        try (Socket waiting = new Socket("127.0.0.1", capped.server.port())) {
          waiting.getOutputStream().write(health);
          waiting.shutdownOutput();
          waiting.setSoTimeout(300);
          assertThat(answered(waiting.getInputStream())).as("answered while " + cap + " connections are held")
              .isFalse();

          held.remove(0).close();
          waiting.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
          assertThat(untilClosed(waiting.getInputStream())).startsWith("HTTP/1.1 200");
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  private static boolean answered(InputStream in) throws IOException {
    try {
      return in.read() >= 0;
    } catch (SocketTimeoutException notYet) {
      return false;
    }
  }

  /** What arrives until the server closes the connection (a reset counts as closed); fails on a read timeout. */
  private static String untilClosed(InputStream in) throws IOException {
    StringBuilder got = new StringBuilder();
    try {
      int b;
      while ((b = in.read()) >= 0) {
        got.append((char) b);
      }
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException reset) {
      // closed
    }
    return got.toString();
  }
}
