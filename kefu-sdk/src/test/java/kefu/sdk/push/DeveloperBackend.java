package kefu.sdk.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A developer's backend the way a user of the SDK writes one with the JDK's HTTP server: {@code GET} goes to
 * {@link PushReceiver#urlCheck}, {@code POST} to {@link PushReceiver#handle}, and the {@link PushReply} is written
 * as it is. Every reply is recorded (taken, not polled for). {@link #garbleNext} makes the next pushes' answers
 * garbage after the receiver has handled them, as when a response is lost, so that kefu retries.
 */
final class DeveloperBackend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("developer-backend-", 0).factory());
  private final BlockingQueue<PushReply> replies = new LinkedBlockingQueue<>();
  private final AtomicInteger garble = new AtomicInteger();
  private volatile PushReceiver receiver;

  DeveloperBackend() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/wx", this::serve);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/wx";
  }

  void use(PushReceiver receiver) {
    this.receiver = receiver;
  }

  void garbleNext(int pushes) {
    garble.set(pushes);
  }

  /** The next reply the backend wrote, waiting up to {@code timeout}. */
  PushReply take(Duration timeout) throws InterruptedException {
    PushReply reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (reply == null) {
      throw new AssertionError("the backend answered nothing within " + timeout);
    }
    return reply;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      var query = Pushes.query(exchange.getRequestURI().getRawQuery());
      PushReply reply = "GET".equals(exchange.getRequestMethod())
          ? receiver.urlCheck(query)
          : receiver.handle(query, body);
      replies.add(reply);
      boolean garbled = "POST".equals(exchange.getRequestMethod())
          && garble.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      byte[] out = garbled ? "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8) : reply.bodyBytes();
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
