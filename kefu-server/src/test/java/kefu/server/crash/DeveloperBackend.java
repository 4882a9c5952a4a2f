package kefu.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import kefu.protocol.Json;
import kefu.protocol.push.EncryptedReply;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushCodec;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.TransferReply;
import kefu.server.DeveloperServer;
import kefu.server.crash.Figures.Figure;

/**
 * The developer's backend the apps push to (through {@link DeveloperServer}): it opens each push (decrypting in secure
 * mode), records it by MsgId, and answers {@code success}, or {@code transfer_customer_service} (encrypted in secure
 * mode) when the user asked for a human ({@value #ASK_FOR_A_HUMAN}). A MsgId pushed again with another message, or
 * with another timestamp, nonce or body (kefu repeats a push exactly, across restarts too), is an anomaly.
 *
 * <p>Thread-safety: pushes arrive on the server's virtual threads; {@code pushed} is a concurrent map, and
 * {@code lock} guards the condition {@link #awaitPushed} waits on; each app's transfers are counted on a semaphore
 * its agent takes.
 */
final class DeveloperBackend {
  static final String ASK_FOR_A_HUMAN = "转人工";

  /** A user message as pushed. */
  record Pushed(String appid, String openid, long msgId, String msgType, String content) {}

  /** The first push of a MsgId: the message, and its timestamp, nonce and body as they went over the wire. */
  private record First(Pushed message, String wire) {}

  private final Map<String, CrashApp> apps;
  private final Figures figures;
  private final Map<Long, First> pushed = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> transfers;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition morePushed = lock.newCondition();

  DeveloperBackend(DeveloperServer server, List<CrashApp> apps, Figures figures) {
    this.apps = apps.stream().collect(Collectors.toMap(CrashApp::appid, Function.identity()));
    this.transfers = apps.stream().collect(Collectors.toMap(CrashApp::appid, a -> new Semaphore(0)));
    this.figures = figures;
    server.byDefault(this::answer);
  }

  private DeveloperServer.Answer answer(DeveloperServer.Received r) {
    figures.count(Figure.PUSH_ATTEMPTS);
    CrashApp app = apps.get(r.param("app"));
    Optional<PushEvent> event = app == null ? Optional.empty() : open(app, r.body());
    if (event.isEmpty()) {
      figures.anomaly("a push the developer cannot read: " + r.rawQuery() + " " + r.body());
      return DeveloperServer.Answer.of("success");
    }
    PushEvent e = event.get();
    String content = e instanceof PushEvent.Text t ? t.content() : "";
    Pushed p = new Pushed(app.appid(), e.fromUser(), e.msgId(), e.msgType(), content);
    String wire = r.param("timestamp") + " " + r.param("nonce") + " " + r.body();
    First first = pushed.putIfAbsent(p.msgId(), new First(p, wire));
    if (first != null && !first.message().equals(p)) {
      figures.anomaly("MsgId " + p.msgId() + " names two messages: " + first.message() + " and " + p);
    } else if (first != null && !first.wire().equals(wire)) {
      figures.anomaly("MsgId " + p.msgId() + " pushed again with another timestamp, nonce or body: " + wire);
    }
    signalPushed();
    if (!content.contains(ASK_FOR_A_HUMAN)) {
      return DeveloperServer.Answer.of("success");
    }
    figures.count(Figure.TRANSFERS);
    transfers.get(app.appid()).release();
    String transfer = new TransferReply(e.fromUser(), e.toUser(), e.createTime(), null).render(PushFormat.JSON);
    if (!app.mode().encrypts()) {
      return DeveloperServer.Answer.of(transfer);
    }
    return DeveloperServer.Answer.of(EncryptedReply.seal(transfer, new PushCipher(app.encodingAesKey(), app.appid()),
        CrashApp.PUSH_TOKEN, e.createTime(), "crashnonce", "0123456789abcdef").render(PushFormat.JSON));
  }

  private static Optional<PushEvent> open(CrashApp app, String body) {
    if (!app.mode().encrypts()) {
      return PushCodec.fromJson(body);
    }
    try {
      JsonNode envelope = Json.MAPPER.readTree(body);
      PushCipher.Opened opened = new PushCipher(app.encodingAesKey(), app.appid())
          .decrypt(envelope.path("Encrypt").asText());
      return opened instanceof PushCipher.Opened.Ok ok ? PushCodec.fromJson(ok.message()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void signalPushed() {
    lock.lock();
    try {
      morePushed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until every one of {@code msgIds} has been pushed, or {@code timeout} passed; returns those missing. */
  Set<Long> awaitPushed(Collection<Long> msgIds, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        Set<Long> missing = msgIds.stream().filter(id -> !pushed.containsKey(id)).collect(Collectors.toSet());
        if (missing.isEmpty() || left <= 0) {
          return missing;
        }
        left = morePushed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  Optional<Pushed> pushed(long msgId) {
    return Optional.ofNullable(pushed.get(msgId)).map(First::message);
  }

  Collection<Pushed> allPushed() {
    return pushed.values().stream().map(First::message).toList();
  }

  /** Blocks until this app's backend has answered a transfer, at most {@code timeout}. */
  void awaitTransfer(String appid, Duration timeout) throws InterruptedException {
    transfers.get(appid).tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
