package kefu.sdk.push;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A handler for tests: records what it saw (taken, not polled for) and reacts by a rule. */
final class RecordingHandler implements PushHandler {
  private final BlockingQueue<Inbound> seen = new LinkedBlockingQueue<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Function<Inbound, Reaction> rule;

  RecordingHandler(Function<Inbound, Reaction> rule) {
    this.rule = rule;
  }

  static RecordingHandler success() {
    return new RecordingHandler(in -> Reaction.success());
  }

  static RecordingHandler transfer() {
    return new RecordingHandler(in -> Reaction.transferToAgents());
  }

  void reactWith(Function<Inbound, Reaction> rule) {
    this.rule = rule;
  }

  @Override
  public Reaction react(Inbound inbound) {
    calls.incrementAndGet();
    seen.add(inbound);
    return rule.apply(inbound);
  }

  /** The next push the handler saw, waiting up to {@code timeout}; fails when none came. */
  Inbound take(Duration timeout) throws InterruptedException {
    Inbound in = seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (in == null) {
      throw new AssertionError("the handler saw no push within " + timeout);
    }
    return in;
  }

  int calls() {
    return calls.get();
  }

  boolean nothingMore() {
    return seen.isEmpty();
  }
}
