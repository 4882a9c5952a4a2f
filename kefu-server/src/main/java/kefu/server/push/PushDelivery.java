package kefu.server.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.fault.FaultEffect;
import kefu.protocol.fault.FaultMark;
import kefu.protocol.fault.FaultRule;
import kefu.protocol.push.DeveloperReply;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushCodec;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushRequest;
import kefu.protocol.push.PushSettings;
import kefu.protocol.send.Message;
import kefu.server.agent.HandOff;
import kefu.server.fault.Faults;
import kefu.server.user.ConversationEvents;
import kefu.server.user.MessageViews;
import kefu.store.AgentSession;
import kefu.store.App;
import kefu.store.Direction;
import kefu.store.OutboxItem;
import kefu.store.OutboxStatus;
import kefu.store.PushAttempt;
import kefu.store.Store;
import kefu.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to developers' servers (spec §6.5). A dispatcher thread ({@code push-dispatcher}) claims each
 * user's oldest due push and hands it to a virtual thread; the store never lets a user's next push be claimed while
 * an earlier one is pending, so a user's pushes arrive in order while users do not wait for each other. Each attempt waits the configured timeout;
 * {@code success} or an empty body delivers; a {@code transfer_customer_service} reply hands the user to the
 * agents; anything else (timeout, error, non-2xx, an abnormal body) is retried with back-off on kefu's clock up to
 * the configured attempts, the same body and MsgId each time, and after the last the user sees WeChat's notice.
 * A connection the receiver closed while idle is retried at once without costing an attempt. A fault rule
 * ({@link Faults#forPush}) may, at a push's first attempt, hold it back on kefu's clock (journaled as
 * {@code delayed}) or send it twice in a row (the duplicate journaled with its own answer, which changes nothing).
 *
 * <p>Several kefu nodes may share one store: a push is claimed with a lease before it is delivered, so one node
 * delivers it, and a node that dies mid-delivery has its pushes taken over by another once the lease runs out.
 *
 * <p>Thread-safety: {@code inFlight} (ids of the pushes this node is delivering; it only spares the dispatcher
 * claims that cannot succeed) is a concurrent set; {@code lock} guards the
 * dispatcher's wake-up condition; everything else is immutable or the store's.
 */
public final class PushDelivery implements AutoCloseable {
  public static final String NOTICE = "该小程序客服暂时无法提供服务，请稍后再试";
  private static final Logger LOG = LoggerFactory.getLogger(PushDelivery.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final int BATCH = 256;

  private final Store store;
  private final Clock clock;
  private final DeliveryOptions options;
  private final HandOff handOff;
  private final ConversationEvents conversations;
  private final HttpClient http;
  private final Faults faults;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  /** This node's name on the outbox leases it takes. */
  private final String node = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
  private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("push-delivery-", 0).factory());
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private volatile boolean running = true;
  private boolean signalled;
  private final Thread dispatcher;

  public PushDelivery(Store store, Clock clock, DeliveryOptions options, HandOff handOff,
                      ConversationEvents conversations, HttpClient http, Faults faults) {
    this.store = store;
    this.clock = clock;
    this.options = options;
    this.handOff = handOff;
    this.conversations = conversations;
    this.http = http;
    this.faults = faults;
    this.dispatcher = Thread.ofPlatform().name("push-dispatcher").daemon().unstarted(this::dispatch);

  }

  public void start() {
    dispatcher.start();
  }

  /** Something was enqueued or the clock moved: look for due pushes now. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void dispatch() {
    while (running) {
      try {
        Instant now = clock.instant();
        handOff.closeIdle(store, now);
        // a cheap read first: claiming is a write, and most loops find nothing due
        boolean anyDue = store.read(tx -> tx.outbox().due(now, BATCH)).stream()
            .anyMatch(i -> !inFlight.contains(i.id()));
        List<OutboxItem> claimed = anyDue
            ? store.inTransaction(tx -> tx.outbox().claim(now, options.lease(), node, BATCH)) : List.of();
        // every claimed push is delivered: it is leased to this node, and skipping it would hold its user back
        // until the lease ran out
        for (OutboxItem item : claimed) {
          inFlight.add(item.id());
          deliveries.execute(() -> {
            try {
              deliver(item);
            } catch (RuntimeException e) {
              LOG.error("push {} to {} failed unexpectedly; it stays pending", item.id(), item.openid(), e);
            } finally {
              inFlight.remove(item.id());
              wake();
            }
          });
        }
        await();
      } catch (RuntimeException e) {
        if (running) {
          LOG.error("push dispatcher: {}", e.toString(), e);
          await();
        }
      }
    }
  }

  private void await() {
    lock.lock();
    try {
      if (!signalled && running) {
        wakeUp.await(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** The verdict of one attempt. */
  private record Verdict(String outcome, String reason, int status, String responseBody, DeveloperReply reply) {
    boolean delivered() {
      return reply instanceof DeveloperReply.Success || reply instanceof DeveloperReply.Transfer;
    }
  }

  void deliver(OutboxItem item) {
    Optional<OutboxItem> current = store.read(tx -> tx.outbox().find(item.id()))
        .filter(i -> i.status() == OutboxStatus.PENDING);
    if (current.isEmpty()) {
      return;
    }
    OutboxItem pending = current.get();
    App app = store.read(tx -> tx.apps().find(pending.appid())).orElse(null);
    Optional<PushEvent> event = PushCodec.fromJson(pending.event());
    if (app == null || !app.push().active() || event.isEmpty()) {
      String why = app == null ? "the app is gone" : event.isEmpty() ? "unreadable event" : "push is disabled";
      store.inTransaction(tx -> {
        tx.outbox().update(pending.attempted(pending.attempts(), pending.nextAttemptAt(), OutboxStatus.FAILED));
        return null;
      });
      LOG.info("push {} dropped: {}", pending.id(), why);
      return;
    }
    PushSettings settings = app.push();
    Instant at = clock.instant();
    // every attempt of a push carries the same timestamp, nonce and body, across restarts too (spec §12.8 leaves
    // it open): they derive from the outbox item, mixed with the app secret's stored hash so that they cannot be
    // guessed
    SplittableRandom perItem = new SplittableRandom(pending.id() * 0x9E3779B97F4A7C15L
        ^ ((long) app.secret().hashCode() << 32 | app.appid().hashCode() & 0xffffffffL));
    String timestamp = String.valueOf(pending.createdAt().getEpochSecond());
    String nonce = String.valueOf(100_000_000L + perItem.nextLong(9_900_000_000L));
    PushRequest request = PushCodec.request(event.get(), settings, app.appid(), timestamp, nonce,
        PushCipher.randomPrefix(perItem));
    String url = settings.url() + (settings.url().contains("?") ? "&" : "?") + request.query();
    int attemptNo = pending.attempts() + 1;
    // a fault rule applies to a push once, at its first attempt; a push it delayed is not delayed again
    FaultRule fault = pending.attempts() == 0 && !wasDelayed(pending)
        ? faults.forPush(app.appid(), pending.openid(), at).orElse(null) : null;
    if (fault != null && fault.effect() instanceof FaultEffect.DelayPush delay) {
      Instant until = at.plus(delay.delay());
      Verdict held = new Verdict("delayed", "held back " + delay.delay().toMillis() + " ms on kefu's clock by fault"
          + " rule " + fault.id() + "; the attempt goes out at " + until, 0, "", null);
      store.inTransaction(tx -> {
        tx.pushJournal().append(journaled(pending, settings, request, attemptNo, at, held, 0, fault.mark()));
        tx.outbox().update(pending.attempted(pending.attempts(), until, OutboxStatus.PENDING));
        return null;
      });
      return;
    }
    long started = System.nanoTime();
    Verdict verdict = attempt(url, request, settings, app, event.get());
    long micros = (System.nanoTime() - started) / 1000;
    boolean last = !verdict.delivered() && attemptNo >= options.attempts();
    List<PushAttempt> journal = new ArrayList<>(2);
    journal.add(journaled(pending, settings, request, attemptNo, at, verdict, micros, FaultMark.NONE));
    if (fault != null && fault.effect() instanceof FaultEffect.DuplicatePush) {
      // a duplicate: the same request again; its answer is journaled and changes nothing
      Instant againAt = clock.instant();
      long againStarted = System.nanoTime();
      Verdict again = attempt(url, request, settings, app, event.get());
      String why = "a duplicate injected by fault rule " + fault.id() + "; the first answer decided"
          + (again.reason().isEmpty() ? "" : " (" + again.reason() + ")");
      journal.add(journaled(pending, settings, request, attemptNo, againAt, new Verdict(again.outcome(), why,
          again.status(), again.responseBody(), again.reply()), (System.nanoTime() - againStarted) / 1000,
          fault.mark()));
    }
    Instant now = clock.instant();
    record Applied(StoredMessage notice, AgentSession waiting) {}
    Applied applied = store.inTransaction(tx -> {
      journal.forEach(tx.pushJournal()::append);
      if (verdict.delivered()) {
        tx.outbox().update(pending.attempted(attemptNo, now, OutboxStatus.DELIVERED));
        if (verdict.reply() instanceof DeveloperReply.Transfer) {
          return new Applied(null, handOff.transfer(tx, app.appid(), pending.openid(), now).orElse(null));
        }
        return new Applied(null, null);
      }
      if (last) {
        tx.outbox().update(pending.attempted(attemptNo, now, OutboxStatus.FAILED));
        return new Applied(tx.messages().append(app.appid(), pending.openid(), Direction.SYSTEM,
            new Message.Text(NOTICE), now), null);
      }
      tx.outbox().update(pending.attempted(attemptNo, now.plus(options.backoffAfter(attemptNo)),
          OutboxStatus.PENDING));
      return new Applied(null, null);
    });
    if (applied.notice() != null) {
      conversations.publish(app.appid(), pending.openid(), "message", MessageViews.of(applied.notice()));
    }
    if (applied.waiting() != null) {
      handOff.publish(app.appid(), "waiting", HandOff.view(applied.waiting(), now));
    }
  }

  /** A push never attempted that is due later than it was made was held back by a delay fault. */
  private static boolean wasDelayed(OutboxItem item) {
    return item.attempts() == 0 && item.nextAttemptAt().isAfter(item.createdAt());
  }

  /** The push journal's record of one attempt (or of a push held back). */
  private static PushAttempt journaled(OutboxItem pending, PushSettings settings, PushRequest request, int attemptNo,
                                       Instant at, Verdict verdict, long micros, FaultMark fault) {
    return new PushAttempt(0, pending.id(), pending.appid(), pending.openid(), pending.msgId(), attemptNo, at,
        settings.url(), request.query(), "Content-Type: " + request.contentType(), request.body(),
        request.canonical(), request.signature(), nullToEmpty(request.msgCanonical()),
        nullToEmpty(request.msgSignature()), request.plaintext(), verdict.status(), verdict.responseBody(), micros,
        verdict.outcome(), verdict.reason(), fault);
  }

  private Verdict attempt(String url, PushRequest request, PushSettings settings, App app, PushEvent event) {
    HttpRequest httpRequest;
    try {
      httpRequest = HttpRequest.newBuilder(URI.create(url)).timeout(options.timeout())
          .header("Content-Type", request.contentType())
          .header("User-Agent", "kefu-push/0.1 (Mozilla/4.0 compatible; WeChat push)")
          .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8)).build();
    } catch (IllegalArgumentException e) {
      return new Verdict("error", "invalid push URL: " + e.getMessage(), 0, "", null);
    }
    for (int connection = 0; ; connection++) {
      try {
        HttpResponse<InputStream> r = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = r.body()) {
          body = in.readNBytes(DeveloperReply.MAX_BYTES + 1);
        }
        String text = new String(body, 0, Math.min(body.length, DeveloperReply.MAX_BYTES), StandardCharsets.UTF_8);
        if (r.statusCode() / 100 != 2) {
          return new Verdict("abnormal", "HTTP " + r.statusCode()
              + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""), r.statusCode(), text, null);
        }
        DeveloperReply reply = DeveloperReply.parse(body, settings, app.appid(), event.msgId() == 0);
        if (reply instanceof DeveloperReply.Abnormal abnormal) {
          return new Verdict("abnormal", abnormal.reason(), r.statusCode(), text, reply);
        }
        return new Verdict(reply instanceof DeveloperReply.Transfer ? "transfer" : "delivered", "",
            r.statusCode(), text, reply);
      } catch (HttpTimeoutException e) {
        return new Verdict("timeout", "no answer within " + options.timeout().toMillis() + " ms", 0, "", null);
      } catch (IOException e) {
        if (connection == 0 && isStaleConnection(e)) {
          continue;
        }
        return new Verdict("error", "connection failed: " + e, 0, "", null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Verdict("error", "interrupted while delivering", 0, "", null);
      }
    }
  }

  /** A pooled keep-alive connection the receiver had closed: the request never reached it. */
  private static boolean isStaleConnection(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("received no bytes") || m.contains("connection reset") || m.contains("eof")
        || m.contains("closed") || m.contains("broken pipe");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Stops dispatching and waits (a bounded time) for deliveries in flight; what is left stays in the outbox. */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      dispatcher.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deliveries.shutdown();
    try {
      if (!deliveries.awaitTermination(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        deliveries.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
