package kefu.server.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.util.Set;
import kefu.protocol.Json;
import kefu.store.Store;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Live events of each conversation (new messages, typing changes), fanned out to Server-Sent-Event subscribers.
 * Events are published after their transaction committed, so a subscriber never sees what the store may not keep.
 *
 * <p>Thread-safety: the subscriber map is concurrent; each subscription's queue is bounded
 * ({@value #QUEUE_CAPACITY}); a subscriber that falls that far behind is marked overflowed and its stream ends
 * (the client reconnects and re-reads the conversation).
 */
public final class ConversationEvents implements AutoCloseable {
  static final int QUEUE_CAPACITY = 1024;

  /** One published event: its SSE name and JSON data. */
  public record Event(String name, ObjectNode data) {}

  private record Key(String appid, String openid) {}

  /** Wakes a stream to end it. */
  private static final Event END = new Event("end", Json.newObject());

  private final ConcurrentHashMap<Key, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final Store store;
  private final String channel;
  private final AutoCloseable listening;

  /**
   * Events published on any node sharing {@code store} reach this node's subscribers through the store's
   * notifications on {@code channel}; an event too large for a notification reaches this node's subscribers only.
   */
  public ConversationEvents(Store store, String channel) {
    this.store = store;
    this.channel = channel;
    this.listening = store.listen(channel, this::heard);
  }

  public Subscription subscribe(String appid, String openid) {
    Subscription s = new Subscription(this, new Key(appid, openid));
    subscribers.computeIfAbsent(s.key, k -> ConcurrentHashMap.newKeySet()).add(s);
    return s;
  }

  /**
   * Streams the events of (appid, key) to {@code res} as Server-Sent Events until the client goes away: first a
   * {@code ready} event with {@code ready}'s data, then each event as published, and a {@code ping} every 15 s.
   */
  public void stream(String appid, String key, ObjectNode ready, ServerResponse res) throws InterruptedException {
    try (Subscription sub = subscribe(appid, key); SseSink sink = res.sink(SseSink.TYPE)) {
      sink.emit(SseEvent.builder().name("ready").data(Json.write(ready)).build());
      while (!sub.overflowed() && !closed) {
        Event e = sub.poll(15, TimeUnit.SECONDS);
        if (e == END) {
          break;
        }
        sink.emit(e == null ? SseEvent.builder().name("ping").data("").build()
            : SseEvent.builder().name(e.name()).data(Json.write(e.data())).build());
      }
    } catch (java.io.UncheckedIOException | IllegalStateException clientGone) {
      // the client went away: the subscription is closed above
    }
  }

  public void publish(String appid, String openid, String name, ObjectNode data) {
    ObjectNode envelope = Json.newObject().put("appid", appid).put("key", openid).put("name", name);
    envelope.set("data", data);
    String payload = Json.write(envelope);
    if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Store.MAX_PAYLOAD_BYTES) {
      deliver(appid, openid, name, data);
      return;
    }
    store.notify(channel, payload);
  }

  private void heard(String payload) {
    Json.object(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)).ifPresent(e -> {
      if (e.path("data") instanceof ObjectNode data) {
        deliver(e.path("appid").asText(), e.path("key").asText(), e.path("name").asText(), data);
      }
    });
  }

  /**
   * Stops hearing other nodes' events and ends every open stream at once (so that stopping the server does not
   * wait for the streams' next ping).
   */
  @Override
  public void close() {
    closed = true;
    subscribers.values().forEach(set -> set.forEach(sub -> sub.queue.offer(END)));
    try {
      listening.close();
    } catch (Exception e) {
      // nothing left to release
    }
  }

  private void deliver(String appid, String openid, String name, ObjectNode data) {
    Set<Subscription> set = subscribers.get(new Key(appid, openid));
    if (set == null) {
      return;
    }
    Event event = new Event(name, data);
    for (Subscription s : set) {
      if (!s.queue.offer(event)) {
        s.overflowed = true;
      }
    }
  }

  private void remove(Subscription s) {
    subscribers.computeIfPresent(s.key, (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  /** A subscriber's view; close it when the stream ends. */
  public static final class Subscription implements AutoCloseable {
    private final ConversationEvents owner;
    private final Key key;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean overflowed;

    private Subscription(ConversationEvents owner, Key key) {
      this.owner = owner;
      this.key = key;
    }

    /** The next event, or null when none came within the timeout. */
    public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
      return queue.poll(timeout, unit);
    }

    public boolean overflowed() {
      return overflowed;
    }

    @Override
    public void close() {
      owner.remove(this);
    }
  }
}
