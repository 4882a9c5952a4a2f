package kefu.protocol.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The send-window rules (spec §3.2): each user trigger grants an {@link Allowance}; allowances do not accumulate.
 * A trigger while a window is live makes remaining the max of what is left and the trigger's count, and the
 * deadline the later of the two; on a closed window the trigger's allowance starts afresh. A send needs a live
 * window (else 45015) with something left (else 45047) and uses one. No I/O: state and {@code now} in, value out.
 */
public record WindowRules(String name, Allowance onEnter, Allowance onMessage) {
  /** The seed document's rule, kefu's default: enter → 1 within 1 minute; message → 5 within 48 hours. */
  public static final WindowRules SEED = new WindowRules("seed",
      new Allowance(1, Duration.ofMinutes(1)), new Allowance(5, Duration.ofHours(48)));

  /** WeChat's current rule: enter → 2 within 1 minute; message → 5 within 48 hours. */
  public static final WindowRules CURRENT = new WindowRules("current",
      new Allowance(2, Duration.ofMinutes(1)), new Allowance(5, Duration.ofHours(48)));

  public WindowRules {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onEnter, "onEnter");
    Objects.requireNonNull(onMessage, "onMessage");
    if (name.isBlank()) {
      throw new IllegalArgumentException("rules name must not be blank");
    }
  }

  public static Optional<WindowRules> preset(String name) {
    if (SEED.name.equals(name)) {
      return Optional.of(SEED);
    }
    if (CURRENT.name.equals(name)) {
      return Optional.of(CURRENT);
    }
    return Optional.empty();
  }

  public boolean isPreset() {
    return this.equals(SEED) || this.equals(CURRENT);
  }

  public Allowance allowance(Trigger trigger) {
    return trigger == Trigger.ENTER ? onEnter : onMessage;
  }

  /** The window after the user does {@code trigger} at {@code now}. */
  public Window onTrigger(Window current, Trigger trigger, Instant now) {
    Allowance a = allowance(trigger);
    Instant deadline = now.plus(a.duration());
    if (!current.isOpen(now)) {
      return new Window(a.count(), deadline, trigger);
    }
    boolean extends_ = deadline.isAfter(current.closesAt());
    return new Window(Math.max(current.remaining(), a.count()),
        extends_ ? deadline : current.closesAt(),
        extends_ ? trigger : current.grantedBy());
  }

  /** Whether a send at {@code now} is allowed, and the window after it. */
  public SendDecision onSend(Window current, Instant now) {
    return current.send(now);
  }
}
