package kefu.server.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The developer's server for the console tests (the server package's {@code DeveloperServer}, reduced to what these
 * tests need): records each push and answers {@code answer} (by default {@code success}); URL checks get their
 * echostr. Pushes are taken, not polled for.
 */
final class DeveloperReceiver implements AutoCloseable {
  /** A push as it arrived. */
  record Push(String query, String body) {}

  private final HttpServer server;
  private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
  private volatile String answer = "success";

  DeveloperReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/wx/push";
  }

  /** What the developer's server answers every push from now on. */
  void answer(String body) {
    answer = body;
  }

  Push takePush(Duration timeout) throws InterruptedException {
    Push p = pushes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (p == null) {
      throw new AssertionError("no push within " + timeout);
    }
    return p;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = exchange.getRequestURI().getRawQuery();
    String reply;
    if (exchange.getRequestMethod().equals("GET") && query != null && query.contains("echostr=")) {
      reply = query.replaceAll(".*echostr=([^&]*).*", "$1");
    } else {
      pushes.add(new Push(query, body));
      reply = answer;
    }
    byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
