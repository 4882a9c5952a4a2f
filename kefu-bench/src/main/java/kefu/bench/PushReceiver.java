package kefu.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.Json;
import kefu.protocol.push.PushCipher;

/**
 * The developer's server of a push phase: the JDK's {@link HttpServer} on 127.0.0.1, port 0, one virtual thread per
 * exchange ({@code push-receiver-N}). A POST is answered {@code success} at once; before that, the receiver notes
 * when it arrived ({@link System#nanoTime()} on entry, before the body is read) under the push's MsgId, read from the
 * body as it comes (plain mode) or from the plaintext inside its {@code Encrypt} (secure mode, see {@link Opener}).
 * A GET is WeChat's URL check: it echoes {@code echostr} (the signature is not verified).
 *
 * <p>Thread-safety: {@code arrivals} is a concurrent map written by the exchange threads, the first arrival of a
 * MsgId wins and later ones count as duplicates; the counters are {@link LongAdder}s; {@code lock} guards the
 * sample lists and the {@code arrived} condition {@link #awaitAll} waits on, signalled only while someone waits.
 */
final class PushReceiver implements AutoCloseable {
  private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);
  private static final String MSG_ID = "\"MsgId\":";
  private static final int SAMPLES = 5;
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Turns a push body into the text that holds its MsgId. */
  @FunctionalInterface
  interface Opener {
    /** Plain mode: the body is the message. */
    Opener PLAIN = body -> new String(body, StandardCharsets.UTF_8);

    /** The plaintext, or "" when there is none (the MsgId then reads as missing). */
    String plaintext(byte[] body);

    /** Secure mode: the JSON envelope {@code {"ToUserName":…,"Encrypt":…}}, opened with the app's cipher. */
    static Opener secure(PushCipher cipher) {
      return body -> Json.object(body).map(o -> o.path("Encrypt").asText(""))
          .map(cipher::decrypt)
          .map(opened -> opened instanceof PushCipher.Opened.Ok ok ? ok.message() : "")
          .orElse("");
    }
  }

  private final HttpServer server;
  private final ExecutorService exchanges;
  private final Opener opener;
  private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder unreadable = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Long> duplicateSamples = new ArrayList<>();
  private final List<String> unreadableSamples = new ArrayList<>();
  private volatile boolean awaited;

  private PushReceiver(HttpServer server, ExecutorService exchanges, Opener opener) {
    this.server = server;
    this.exchanges = exchanges;
    this.opener = opener;
  }

  static PushReceiver start(Opener opener) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    ExecutorService exchanges = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("push-receiver-", 0).factory());
    PushReceiver receiver = new PushReceiver(server, exchanges, opener);
    server.createContext("/", receiver::handle);
    server.setExecutor(exchanges);
    server.start();
    return receiver;
  }

  /** The push URL to configure: {@code http://127.0.0.1:port/wx}. */
  URI url() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/wx");
  }

  private void handle(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] answer = SUCCESS;
      if ("GET".equals(exchange.getRequestMethod())) {
        answer = echostr(exchange.getRequestURI().getRawQuery()).getBytes(StandardCharsets.UTF_8);
      } else {
        arrived(msgId(opener.plaintext(body)), at, body);
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private void arrived(long msgId, long at, byte[] body) {
    if (msgId < 0) {
      unreadable.increment();
      sample(unreadableSamples, new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
    } else if (arrivals.putIfAbsent(msgId, at) != null) {
      duplicates.increment();
      sample(duplicateSamples, msgId);
    }
    if (awaited) {
      lock.lock();
      try {
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private <T> void sample(List<T> samples, T value) {
    lock.lock();
    try {
      if (samples.size() < SAMPLES) {
        samples.add(value);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until every MsgId in {@code msgIds} has arrived or {@link System#nanoTime()} reaches {@code deadline};
   * true when all arrived.
   */
  boolean awaitAll(Collection<Long> msgIds, long deadline) throws InterruptedException {
    List<Long> missing = new ArrayList<>(msgIds);
    lock.lock();
    awaited = true;
    try {
      while (true) {
        missing.removeIf(arrivals::containsKey);
        long left = deadline - System.nanoTime();
        if (missing.isEmpty() || left <= 0) {
          return missing.isEmpty();
        }
        // the re-check bounds a signal lost between a put and the read of `awaited`
        arrived.awaitNanos(Math.min(left, RECHECK_NANOS));
      }
    } finally {
      awaited = false;
      lock.unlock();
    }
  }

  /**
   * What arrived so far, as a value: when each MsgId first arrived ({@link System#nanoTime()}), how many pushes
   * repeated a MsgId already seen, and how many had none to be read (not JSON, not decryptable, an event), with a
   * few of each.
   */
  record Arrivals(Map<Long, Long> firsts, long duplicates, List<Long> duplicateSamples, long unreadable,
                  List<String> unreadableSamples) {}

  Arrivals arrivals() {
    lock.lock();
    try {
      return new Arrivals(Map.copyOf(arrivals), duplicates.sum(), List.copyOf(duplicateSamples), unreadable.sum(),
          List.copyOf(unreadableSamples));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The number after the first {@code "MsgId":} (spaces allowed after the colon), or -1 when there is none: a scan,
   * not a JSON parse, since the JSON codec writes the key exactly so.
   */
  static long msgId(String text) {
    int at = text.indexOf(MSG_ID);
    if (at < 0) {
      return -1;
    }
    int i = at + MSG_ID.length();
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
      if (digits == 18) {
        return -1;
      }
      value = value * 10 + (text.charAt(i) - '0');
    }
    return digits == 0 ? -1 : value;
  }

  /** The {@code echostr} of a URL check's query, "" when it has none. */
  private static String echostr(String rawQuery) {
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        if (pair.startsWith("echostr=")) {
          return URLDecoder.decode(pair.substring("echostr=".length()), StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  @Override
  public void close() {
    server.stop(0);
    exchanges.close();
  }
}
