package kefu.examples.echobot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.sdk.KefuClient;
import kefu.sdk.WxException;
import kefu.sdk.push.Inbound;
import kefu.sdk.push.PushReceiver;
import kefu.sdk.push.PushReply;
import kefu.sdk.push.Reaction;

/**
 * A mini program's customer-service backend in a dozen lines: WeChat (or kefu) pushes what users do to {@code /wx};
 * a text message gets {@code echo: …} back through the send API, and {@code 人工} ("a human") hands the user over to
 * the human agents. The rest is the JDK's HTTP server around the SDK's {@link PushReceiver}.
 *
 * <pre>
 *   ./kefu serve &amp;
 *   java -cp … kefu.examples.echobot.EchoBot      # KEFU_URL, WX_APPID, WX_SECRET, WX_PUSH_TOKEN, PORT
 *   curl -X PUT 'http://127.0.0.1:8080/kefu/v1/apps/wxkefudemo00000001' \
 *     -d '{"push":{"url":"http://127.0.0.1:9000/wx","token":"kefutoken","format":"json","mode":"plain"}}'
 * </pre>
 *
 * <p>Thread-safety: requests are handled on a pool of four named threads; the client and the receiver are
 * thread-safe.
 */
public final class EchoBot implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EchoBot.class.getName());

  private final HttpServer server;
  private final ExecutorService threads;

  private EchoBot(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  // snippet:echo-bot-handler
  /** What the bot does with each push: echo text, hand "人工" over to the agents, accept everything else. */
  static Reaction react(Inbound inbound, KefuClient wechat) {
    if (inbound instanceof Inbound.TextMessage text) {
      if (text.content().trim().equals("人工")) {
        return Reaction.transferToAgents();
      }
      try {
        wechat.sendText(text.openid(), "echo: " + text.content());
      } catch (WxException e) {   // e.g. 45047: the five replies this message allowed are used up
        LOG.log(System.Logger.Level.WARNING, "no echo for " + text.openid() + ": " + e.getMessage());
      }
    }
    return Reaction.success();
  }
  // /snippet

  /** Serves the push URL {@code /wx} on {@code address} (port 0: any free port) until {@link #close()}. */
  public static EchoBot start(InetSocketAddress address, KefuClient wechat, String pushToken) throws IOException {
    PushReceiver receiver = PushReceiver.builder().appid(wechat.appid()).token(pushToken)
        .handler(inbound -> react(inbound, wechat)).build();
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4, r -> new Thread(r, "echo-bot-" + n.incrementAndGet()));
    server.setExecutor(threads);
    server.createContext("/wx", exchange -> answer(exchange, receiver));
    server.start();
    return new EchoBot(server, threads);
  }

  /** The URL to give WeChat or kefu as the push URL. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/wx";
  }

  private static void answer(HttpExchange exchange, PushReceiver receiver) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      PushReply reply = "GET".equals(exchange.getRequestMethod()) ? receiver.urlCheck(query)
          : receiver.handle(query, in.readAllBytes());
      if (reply instanceof PushReply.Rejected rejected) {
        LOG.log(System.Logger.Level.WARNING, "push refused: " + rejected.detail());
      }
      byte[] body = reply.bodyBytes();
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  public static void main(String[] args) throws IOException {
    KefuClient wechat = KefuClient.builder()
        .baseUrl(env("KEFU_URL", "http://127.0.0.1:8080"))
        .appid(env("WX_APPID", "wxkefudemo00000001"))
        .secret(env("WX_SECRET", "kefudemo0secret00000000000000001"))
        .build();
    EchoBot bot = start(new InetSocketAddress("127.0.0.1", Integer.parseInt(env("PORT", "9000"))), wechat,
        env("WX_PUSH_TOKEN", "kefutoken"));
    System.out.println("echo bot: push URL " + bot.url() + " for " + wechat.appid() + " at " + wechat.baseUrl());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
