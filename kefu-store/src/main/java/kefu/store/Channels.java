package kefu.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one store, by channel: {@link Store#listen} adds to it, and a store hands it what was
 * {@link Store#notify notified} (SQLite at once, PostgreSQL as its LISTEN connection receives it).
 *
 * <p>Thread-safety: the map and each channel's list are concurrent; a listener added or removed while a payload is
 * being dispatched may or may not receive that payload. Dispatching calls listeners on the caller's thread.
 */
public final class Channels {
  private static final Logger log = LoggerFactory.getLogger(Channels.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

  /** Refuses a channel name or payload that {@link Store#notify} does not take. */
  public static void requireValid(String channel, String payload) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(payload, "payload");
    if (!NAME.matcher(channel).matches()) {
      throw new IllegalArgumentException("a channel is 1 to 32 of A-Z a-z 0-9 _ . -, was \"" + channel + "\"");
    }
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Store.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("a payload is at most " + Store.MAX_PAYLOAD_BYTES + " bytes, was " + bytes);
    }
  }

  /** Adds a listener; closing the registration removes it (closing it again does nothing). */
  public Registration add(String channel, Consumer<String> listener) {
    requireValid(channel, "");
    Objects.requireNonNull(listener, "listener");
    boolean[] first = {false};
    listeners.compute(channel, (name, list) -> {
      List<Consumer<String>> l = list == null ? new CopyOnWriteArrayList<>() : list;
      first[0] = l.isEmpty();
      l.add(listener);
      return l;
    });
    return new Registration(channel, listener, first[0]);
  }

  /**
   * A listener added: {@code first} says whether its channel had no listener before. {@link #close} removes it
   * (an identical listener added twice is removed one registration at a time).
   */
  public final class Registration implements AutoCloseable {
    private final String channel;
    private final Consumer<String> listener;
    private final boolean first;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Registration(String channel, Consumer<String> listener, boolean first) {
      this.channel = channel;
      this.listener = listener;
      this.first = first;
    }

    public String channel() {
      return channel;
    }

    public boolean first() {
      return first;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      listeners.computeIfPresent(channel, (name, list) -> {
        list.remove(listener);
        return list.isEmpty() ? null : list;
      });
    }
  }

  /** Calls each listener of {@code channel} with {@code payload}; a listener that throws is logged. */
  public void dispatch(String channel, String payload) {
    List<Consumer<String>> list = listeners.get(channel);
    if (list == null) {
      return;
    }
    for (Consumer<String> listener : list) {
      try {
        listener.accept(payload);
      } catch (RuntimeException e) {
        log.warn("a listener of channel {} failed", channel, e);
      }
    }
  }

  /** Whether {@code channel} has a listener. */
  public boolean has(String channel) {
    return listeners.containsKey(channel);
  }

  /** The channels that have listeners. */
  public Set<String> channels() {
    return Set.copyOf(listeners.keySet());
  }
}
