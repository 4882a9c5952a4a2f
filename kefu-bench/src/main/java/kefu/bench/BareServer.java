package kefu.bench;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;

/**
 * The ceiling for an HTTP endpoint on kefu's stack: Helidon SE's web server (the version kefu runs, one virtual thread
 * per connection, as kefu), whose one handler reads the request body, as an endpoint does, and answers every request
 * with the fixed {@code {"errcode":0,"errmsg":"ok"}} of a successful send. No routing table, parsing, store or
 * journal. Run by the bench in a JVM of its own: {@code BareServer PORT}, on 127.0.0.1, until SIGTERM.
 */
public final class BareServer {
  static final byte[] OK = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

  private BareServer() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: BareServer PORT");
      System.exit(2);
    }
    WebServer server = WebServer.builder()
        .host("127.0.0.1")
        .port(Integer.parseInt(args[0]))
        .routing(routing -> routing.any((req, res) -> {
          if (req.content().hasEntity()) {
            req.content().as(byte[].class);
          }
          res.header(HeaderValues.CONTENT_TYPE_JSON);
          res.send(OK);
        }))
        .build()
        .start();
    System.out.println("bare server listening on 127.0.0.1:" + server.port());
  }
}
