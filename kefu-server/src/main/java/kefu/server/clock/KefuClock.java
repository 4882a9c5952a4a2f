package kefu.server.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;
import kefu.store.ClockState;

/**
 * The one clock every time rule reads: the system clock plus an offset, or frozen at an instant, in whole
 * milliseconds (the store's precision). Advancing it moves every deadline (windows, tokens, media) without waiting.
 *
 * <p>Thread-safety: {@code offset} and {@code frozenAt} are guarded by {@code lock}; reads take it too, so a
 * reader never sees an offset and a frozen instant from two different updates.
 */
public final class KefuClock extends Clock {
  private final Clock base;
  private final ReentrantLock lock = new ReentrantLock();
  private Duration offset = Duration.ZERO;
  private Instant frozenAt;

  public KefuClock(Clock base) {
    this.base = base;
  }

  public static KefuClock system() {
    return new KefuClock(Clock.systemUTC());
  }

  @Override
  public Instant instant() {
    lock.lock();
    try {
      return (frozenAt != null ? frozenAt : base.instant().plus(offset)).truncatedTo(ChronoUnit.MILLIS);
    } finally {
      lock.unlock();
    }
  }

  public boolean isFrozen() {
    lock.lock();
    try {
      return frozenAt != null;
    } finally {
      lock.unlock();
    }
  }

  public Instant advance(Duration d) {
    lock.lock();
    try {
      if (frozenAt != null) {
        frozenAt = frozenAt.plus(d);
      } else {
        offset = offset.plus(d);
      }
      return instant();
    } finally {
      lock.unlock();
    }
  }

  public Instant set(Instant at) {
    lock.lock();
    try {
      if (frozenAt != null) {
        frozenAt = at;
      } else {
        offset = Duration.between(base.instant(), at);
      }
      return instant();
    } finally {
      lock.unlock();
    }
  }

  /** Freezes the clock at the current instant, or lets it run again from where it stands. */
  public void freeze(boolean frozen) {
    lock.lock();
    try {
      if (frozen && frozenAt == null) {
        frozenAt = base.instant().plus(offset);
      } else if (!frozen && frozenAt != null) {
        offset = Duration.between(base.instant(), frozenAt);
        frozenAt = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /** A clock on the same base standing where this one stands: moving it does not move this one. */
  public KefuClock copy() {
    KefuClock copy = new KefuClock(base);
    copy.apply(state());
    return copy;
  }

  /** The clock as the store keeps it for the deployment. */
  public ClockState state() {
    lock.lock();
    try {
      return new ClockState(offset.toMillis(), frozenAt == null ? null : frozenAt.toEpochMilli());
    } finally {
      lock.unlock();
    }
  }

  /** Takes the deployment's clock as another node left it. */
  public void apply(ClockState state) {
    lock.lock();
    try {
      offset = Duration.ofMillis(state.offsetMillis());
      frozenAt = state.frozenAtMillis() == null ? null : Instant.ofEpochMilli(state.frozenAtMillis());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("kefu's clock is UTC");
  }
}
