package kefu.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A developer's server for tests: records every request it receives and answers from a script (by default
 * {@code success}, and the echostr of a URL check). Requests are taken, not polled for.
 */
public final class DeveloperServer implements AutoCloseable {
  /** A request as it arrived. */
  public record Received(String method, String path, String rawQuery, Map<String, String> params, String contentType,
                  String body) {
    public String param(String name) {
      return params.get(name);
    }
  }

  /** An answer: status, body, and how long to wait before answering. */
  public record Answer(int status, String body, Duration delay) {
    public static Answer of(String body) {
      return new Answer(200, body, Duration.ZERO);
    }

    static Answer status(int status) {
      return new Answer(status, "oops", Duration.ZERO);
    }

    static Answer slow(Duration delay) {
      return new Answer(200, "success", delay);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedDeque<Function<Received, Answer>> script = new ConcurrentLinkedDeque<>();
  private volatile Function<Received, Answer> fallback = r -> Answer.of("success");

  public DeveloperServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/wx/push";
  }

  /** The next answers, in order; after them, the fallback. */
  void thenAnswer(Answer... answers) {
    for (Answer a : answers) {
      script.add(r -> a);
    }
  }

  void thenAnswer(Function<Received, Answer> answer) {
    script.add(answer);
  }

  public void byDefault(Function<Received, Answer> answer) {
    fallback = answer;
  }

  Received take(Duration timeout) throws InterruptedException {
    Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no request within " + timeout);
    }
    return r;
  }

  /** The next POST (pushes), skipping URL checks. */
  Received takePush(Duration timeout) throws InterruptedException {
    while (true) {
      Received r = take(timeout);
      if (r.method().equals("POST")) {
        return r;
      }
    }
  }

  int pendingRequests() {
    return received.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), raw, params,
        exchange.getRequestHeaders().getFirst("Content-Type"), body);
    received.add(r);
    Answer answer;
    if (r.method().equals("GET") && params.containsKey("echostr")) {
      answer = Answer.of(params.get("echostr"));
      Function<Received, Answer> scripted = script.peekFirst();
      if (scripted != null) {
        answer = script.pollFirst().apply(r);
      }
    } else {
      Function<Received, Answer> scripted = script.pollFirst();
      answer = (scripted != null ? scripted : fallback).apply(r);
    }
    try {
      if (!answer.delay().isZero()) {
        Thread.sleep(answer.delay());
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGone) {
      // kefu gave up waiting (timeout): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
