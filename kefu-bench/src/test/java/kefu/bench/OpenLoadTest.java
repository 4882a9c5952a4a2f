package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class OpenLoadTest {

  @Test
  void requests_go_out_on_the_schedule_and_are_measured_from_their_due_times() throws Exception {
    Set<Long> dueTimes = new ConcurrentSkipListSet<>();
    Set<String> users = ConcurrentHashMap.newKeySet();
    try (Server server = Server.answeringAfter(0); HttpClient http = HttpClient.newHttpClient()) {
      Load.Phase phase = new Load.Phase("t", "t", (client, n) -> server.request("/u" + client), (r, dueAt) -> {
        dueTimes.add(dueAt);
        users.add(r.request().uri().getPath());
        return r.statusCode() == 200 ? null : "HTTP " + r.statusCode();
      });
      OpenLoad.Result result = OpenLoad.run(phase, http, 4, 200, Duration.ofMillis(200), Duration.ofMillis(500));

      Schedule s = result.schedule();
      assertThat(s.rate()).isEqualTo(200);
      assertThat(s.users()).isEqualTo(4);
      // 0.2 s warm-up and 0.5 s measured at 200/s: messages 0..139, of which 40..139 are measured
      assertThat(dueTimes).hasSize(140);
      assertThat(dueTimes).contains(s.dueAt(0), s.dueAt(139));
      assertThat(users).containsExactlyInAnyOrder("/u0", "/u1", "/u2", "/u3");
      assertThat(result.dueInWindow()).isEqualTo(100);
      assertThat(result.load().latencies().count()).isEqualTo(100);
      assertThat(result.load().window().from()).isEqualTo(s.dueAt(40));
      assertThat(result.load().ok()).isTrue();
    }
  }

  @Test
  void a_slow_answer_delays_the_messages_behind_it_and_they_count_that_wait() throws Exception {
    // one user at 100/s (one every 10 ms) against a server taking 30 ms: a closed loop would see ~30 ms
    // each time; on the schedule, message k waits behind the k before it, so latencies grow ~20 ms per message
    try (Server server = Server.answeringAfter(30); HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest request = server.request("/");
      Load.Phase phase = new Load.Phase("t", "t", (client, n) -> request, (r, dueAt) -> null);
      OpenLoad.Result result = OpenLoad.run(phase, http, 1, 100, Duration.ZERO, Duration.ofMillis(300));

      assertThat(result.dueInWindow()).isEqualTo(30);
      assertThat(Latencies.millis(result.load().latencies().maxNanos())).isGreaterThan(400);
      assertThat(Latencies.millis(result.sendLag().maxNanos())).isGreaterThan(400);
      assertThat(result.load().throughput()).isLessThan(50);
    }
  }

  /** An HTTP server on 127.0.0.1 answering every request 200 after {@code millis}. */
  private record Server(HttpServer http, ExecutorService threads) implements AutoCloseable {
    static Server answeringAfter(long millis) throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      http.createContext("/", exchange -> {
        try (exchange) {
          exchange.getRequestBody().readAllBytes();
          Thread.sleep(millis);
          exchange.sendResponseHeaders(200, -1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      http.setExecutor(threads);
      http.start();
      return new Server(http, threads);
    }

    HttpRequest request(String path) {
      InetSocketAddress a = http.getAddress();
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path)).GET().build();
    }

    @Override
    public void close() {
      http.stop(0);
      threads.close();
    }
  }
}
