package kefu.testing;

import java.time.Duration;
import java.time.Instant;
import kefu.protocol.Json;
import kefu.server.clock.KefuClock;

/**
 * kefu's one clock, as a test moves it. It starts each test frozen at the real time. {@link #advance} moves every
 * deadline at once: windows, tokens and media answer by the new time as soon as it returns, and kefu's timers
 * (push retries, the agents' idle return) are woken to act on what came due; take their results with
 * {@link Kefu#takePush} or {@link SimulatedUser#takeReceived}. Nothing here waits on the real clock.
 */
public final class TestClock {
  private final KefuClock clock;
  private final Platform platform;

  TestClock(KefuClock clock, Platform platform) {
    this.clock = clock;
    this.platform = platform;
  }

  /** kefu's current instant. */
  public Instant now() {
    return clock.instant();
  }

  /** Moves kefu's clock forward (or back, with a negative duration); returns the new instant. */
  public Instant advance(Duration d) {
    if (!d.isNegative() && d.toMillis() % 1000 == 0) {
      platform.post("/clock", Json.write(Json.newObject().put("advance_seconds", d.toSeconds())));
    } else {
      platform.post("/clock", Json.write(Json.newObject().put("set_ms", clock.millis() + d.toMillis())));
    }
    return now();
  }

  /** Sets kefu's clock to an instant (keeping it frozen or running). */
  public Instant set(Instant at) {
    platform.post("/clock", Json.write(Json.newObject().put("set_ms", at.toEpochMilli())));
    return now();
  }

  /** Stops kefu's clock where it stands (it starts every test frozen). */
  public TestClock freeze() {
    platform.post("/clock", "{\"frozen\":true}");
    return this;
  }

  /** Lets kefu's clock run with real time again, from where it stands. */
  public TestClock unfreeze() {
    platform.post("/clock", "{\"frozen\":false}");
    return this;
  }

  public boolean isFrozen() {
    return clock.isFrozen();
  }

  /** Before each test: back to the real time, frozen. */
  void resetTo(Instant realNow) {
    clock.freeze(false);
    clock.set(realNow);
    clock.freeze(true);
  }

  @Override
  public String toString() {
    return "TestClock[" + now() + (isFrozen() ? ", frozen]" : ", running]");
  }
}
