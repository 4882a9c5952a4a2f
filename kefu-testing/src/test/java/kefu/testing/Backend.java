package kefu.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A developer's server for these tests: answers every push with the same body. */
final class Backend implements AutoCloseable {
  private final HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "success";

  Backend() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/wx";
  }

  Backend answering(int status, String body) {
    this.status = status;
    this.answer = body;
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
