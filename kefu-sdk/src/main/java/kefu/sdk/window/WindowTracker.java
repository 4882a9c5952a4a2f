package kefu.sdk.window;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.WxError;
import kefu.protocol.window.SendDecision;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.protocol.window.WindowRules;

/**
 * The send windows of users, estimated on the client from what the application tells it, for when the server has
 * no introspection endpoint (real WeChat). Feed it from the push handler ({@link #userEntered}, {@link #userMessaged})
 * and the client feeds it {@link #sent} and {@link #sendRefused}; {@link #state} applies
 * {@link WindowRules} (default {@link WindowRules#CURRENT}, WeChat's rule today) on the injected clock.
 *
 * <p>Limits, by nature: it knows only this process. Messages another process received, or sends another process
 * made, are invisible to it, so with several processes it overestimates what is left. The rules are WeChat's as
 * documented, which WeChat may change without notice; a refused send (45015/45047) corrects the estimate. It keeps
 * at most {@code maxUsers} windows, dropping closed ones first, then those closing soonest.
 *
 * <p>Thread-safety: each user's window changes only inside {@link ConcurrentHashMap#compute}; {@code trimLock}
 * makes one thread at a time trim the map when it grows past {@code maxUsers}.
 */
public final class WindowTracker {
  public static final int DEFAULT_MAX_USERS = 100_000;

  private final WindowRules rules;
  private final Clock clock;
  private final int maxUsers;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final ReentrantLock trimLock = new ReentrantLock();

  public WindowTracker(WindowRules rules, Clock clock) {
    this(rules, clock, DEFAULT_MAX_USERS);
  }

  public WindowTracker(WindowRules rules, Clock clock, int maxUsers) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxUsers < 1) {
      throw new IllegalArgumentException("maxUsers must be positive, was " + maxUsers);
    }
    this.maxUsers = maxUsers;
  }

  public WindowRules rules() {
    return rules;
  }

  /** The user entered the customer-service chat at {@code at} (a {@code user_enter_tempsession} push). */
  public void userEntered(String openid, Instant at) {
    trigger(openid, Trigger.ENTER, at);
  }

  /** The user sent a message at {@code at} (a text, image or mini-program card push). */
  public void userMessaged(String openid, Instant at) {
    trigger(openid, Trigger.MESSAGE, at);
  }

  /** A send to the user succeeded now. */
  public void sent(String openid) {
    Instant now = clock.instant();
    windows.computeIfPresent(openid, (k, w) -> {
      SendDecision d = rules.onSend(w, now);
      return d instanceof SendDecision.Allowed a ? a.next() : w;
    });
  }

  /** The server refused a send: 45015 means the window is closed, 45047 that nothing is left. */
  public void sendRefused(String openid, WxError error) {
    if (error == WxError.RESPONSE_OUT_OF_TIME_LIMIT) {
      windows.remove(openid);
    } else if (error == WxError.OUT_OF_RESPONSE_COUNT_LIMIT) {
      windows.computeIfPresent(openid, (k, w) -> new Window(0, w.closesAt(), w.grantedBy()));
    }
  }

  /** The estimated window now. */
  public WindowState state(String openid) {
    Instant now = clock.instant();
    Window w = windows.getOrDefault(openid, Window.NONE);
    boolean open = w.isOpen(now);
    return new WindowState(open, w.remainingAt(now), open ? w.closesAt() : null, rules.name(),
        WindowState.Source.TRACKER);
  }

  private void trigger(String openid, Trigger trigger, Instant at) {
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(at, "at");
    windows.compute(openid, (k, w) -> rules.onTrigger(w == null ? Window.NONE : w, trigger, at));
    if (windows.size() > maxUsers) {
      trim();
    }
  }

  private void trim() {
    if (!trimLock.tryLock()) {
      return;
    }
    try {
      Instant now = clock.instant();
      windows.values().removeIf(w -> !w.isOpen(now));
      int excess = windows.size() - maxUsers;
      if (excess > 0) {
        List<Map.Entry<String, Window>> entries = new ArrayList<>(windows.entrySet());
        entries.sort(Comparator.comparing(e -> e.getValue().closesAt()));
        for (int i = 0; i < excess && i < entries.size(); i++) {
          windows.remove(entries.get(i).getKey(), entries.get(i).getValue());
        }
      }
    } finally {
      trimLock.unlock();
    }
  }
}
