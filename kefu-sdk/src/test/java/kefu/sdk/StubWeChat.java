package kefu.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scripted stand-in for api.weixin.qq.com on a port-0 JDK HttpServer, for what kefu does not do on demand
 * ({@code -1}, a token that always fails, an answer that is not JSON, a missing window endpoint). Each path answers
 * from its queue of scripted answers, then with its default; {@code /cgi-bin/token} defaults to a new token per
 * request. Requests are recorded as they arrived.
 *
 * <p>Thread-safety: {@code lock} guards the scripts, the defaults and the record; it is never held while a token
 * answer waits for {@link #holdTokens()}.
 */
final class StubWeChat implements AutoCloseable {
  record Answer(int status, String contentType, byte[] body) {
    static Answer json(String json) {
      return new Answer(200, "application/json; encoding=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  record Recorded(String method, String path, String query, String body) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Deque<Answer>> scripts = new HashMap<>();
  private final Map<String, Answer> defaults = new HashMap<>();
  private final List<Recorded> recorded = new ArrayList<>();
  private final AtomicInteger tokens = new AtomicInteger();
  private volatile CountDownLatch tokenGate = new CountDownLatch(0);

  private StubWeChat() throws IOException {
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stub-wechat-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static StubWeChat start() {
    try {
      return new StubWeChat();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next requests to {@code path} with these JSON bodies, in order. */
  StubWeChat script(String path, String... jsonBodies) {
    lock.lock();
    try {
      Deque<Answer> q = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
      for (String b : jsonBodies) {
        q.add(Answer.json(b));
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** What {@code path} answers once its script is used up. */
  StubWeChat otherwise(String path, Answer answer) {
    lock.lock();
    try {
      defaults.put(path, answer);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Token requests wait until {@link CountDownLatch#countDown()} on the returned gate. */
  CountDownLatch holdTokens() {
    CountDownLatch gate = new CountDownLatch(1);
    tokenGate = gate;
    return gate;
  }

  List<Recorded> requests(String path) {
    lock.lock();
    try {
      return recorded.stream().filter(r -> r.path().equals(path)).toList();
    } finally {
      lock.unlock();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Answer answer;
    lock.lock();
    try {
      recorded.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), body));
      Deque<Answer> q = scripts.get(path);
      answer = q != null && !q.isEmpty() ? q.poll() : defaults.get(path);
    } finally {
      lock.unlock();
    }
    if (answer == null && (path.equals("/cgi-bin/token") || path.equals("/cgi-bin/stable_token"))) {
      try {
        if (!tokenGate.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("token gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = Answer.json("{\"access_token\":\"token-" + tokens.incrementAndGet() + "\",\"expires_in\":7200}");
    }
    if (answer == null) {
      answer = new Answer(404, "text/html", "<html>404 Not Found</html>".getBytes(StandardCharsets.UTF_8));
    }
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
    exchange.getResponseBody().write(answer.body());
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
