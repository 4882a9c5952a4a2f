package kefu.protocol.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kefu.protocol.WxError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link WindowRules} against a small reference model of spec §3.2, over random histories of a user entering the
 * chat, the user sending messages, the developer sending, and the clock moving on by 0 s to 3 days (biased towards
 * values near 1 minute and 48 hours, so that sends land on deadlines exactly). Tables are the presets SEED and
 * CURRENT, written down here as plain numbers, and random custom tables.
 */
class WindowRulesProperties {
  private static final Instant START = Instant.parse("2026-09-17T14:59:38Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration TWO_DAYS = Duration.ofHours(48);
  private static final Duration THREE_DAYS = Duration.ofDays(3);

  /** The presets as the spec states them (§3.2 and its history), independent of what WindowRules says. */
  private static final Table SEED = new Table(WindowRules.SEED, 1, MINUTE, 5, TWO_DAYS);
  private static final Table CURRENT = new Table(WindowRules.CURRENT, 2, MINUTE, 5, TWO_DAYS);

  // --- properties

  @Property(tries = 500)
  void window_rules_agree_with_the_reference_model(@ForAll("tables") Table table, @ForAll("histories") List<Step> steps) {
    var model = new Reference();
    boolean sawOk = false;
    boolean saw45047 = false;
    boolean saw45015 = false;
    boolean sentAtExactlyTheDeadline = false;

    for (Event e : play(table, steps)) {
      Instant now = e.now();
      if (e.step() instanceof UserActs act) {
        model.trigger(act.trigger(), table.count(act.trigger()), table.duration(act.trigger()), now);
      } else if (e.step() instanceof DeveloperSends) {
        sentAtExactlyTheDeadline |= now.equals(model.deadline);
        int expected = model.send(now);
        assertThat(e.outcome().code()).as("send at %s", now).isEqualTo(expected);
        sawOk |= expected == 0;
        saw45047 |= expected == 45047;
        saw45015 |= expected == 45015;
      }
      Window w = e.after();
      assertThat(w.isOpen(now)).as("open at %s", now).isEqualTo(model.isLive(now));
      assertThat(w.remainingAt(now)).as("remaining at %s", now).isEqualTo(model.isLive(now) ? model.remaining : 0);
      if (model.isLive(now)) {
        assertThat(w.closesAt()).as("deadline at %s", now).isEqualTo(model.deadline);
        assertThat(w.grantedBy()).as("granted by at %s", now).isEqualTo(model.grantedBy);
      }
    }

    Statistics.label("a send succeeded").collect(sawOk);
    Statistics.label("a send got 45047").collect(saw45047);
    Statistics.label("a send got 45015").collect(saw45015);
    Statistics.label("a send at exactly the deadline").collect(sentAtExactlyTheDeadline);
    Statistics.label("table").collect(table.rules().name());
    Statistics.label("steps").collect(steps.size() / 10 * 10);
    Statistics.label("a send succeeded").coverage(c -> c.check(true).percentage(p -> p >= 40));
    Statistics.label("a send got 45047").coverage(c -> c.check(true).percentage(p -> p >= 12));
    Statistics.label("a send got 45015").coverage(c -> c.check(true).percentage(p -> p >= 45));
    Statistics.label("a send at exactly the deadline").coverage(c -> c.check(true).percentage(p -> p >= 12));
  }

  @Property(tries = 500)
  void a_window_never_holds_more_than_the_largest_count_granted_in_it(
      @ForAll("tables") Table table, @ForAll("histories") List<Step> steps) {
    int largestInWindow = 0;
    for (Event e : play(table, steps)) {
      if (e.step() instanceof UserActs act) {
        int count = table.count(act.trigger());
        largestInWindow = e.before().isOpen(e.now()) ? Math.max(largestInWindow, count) : count;
      }
      assertThat(e.after().remainingAt(e.now())).isLessThanOrEqualTo(largestInWindow).isLessThanOrEqualTo(table.largestCount());
    }
  }

  /**
   * Allowances do not add up: whatever happened before, the sends that succeed after one user action and before the
   * next are at most the largest count any action granted in that window. (Over a whole window they may be more: a
   * second message refills the count, spec §3.2.)
   */
  @Property(tries = 500)
  void sends_between_two_user_actions_never_exceed_the_largest_count_granted_in_the_window(
      @ForAll("tables") Table table, @ForAll("histories") List<Step> steps) {
    int largestInWindow = 0;
    int sentSinceLastAction = 0;
    for (Event e : play(table, steps)) {
      if (e.step() instanceof UserActs act) {
        int count = table.count(act.trigger());
        largestInWindow = e.before().isOpen(e.now()) ? Math.max(largestInWindow, count) : count;
        sentSinceLastAction = 0;
      } else if (e.outcome() == WxError.OK) {
        sentSinceLastAction++;
        assertThat(sentSinceLastAction).as("sends at %s", e.now()).isLessThanOrEqualTo(largestInWindow);
      }
    }
  }

  @Property(tries = 500)
  void no_send_succeeds_at_or_after_the_deadline(@ForAll("tables") Table table, @ForAll("histories") List<Step> steps,
                                                 @ForAll("clockAdvances") Duration late) {
    for (Event e : play(table, steps)) {
      if (e.outcome() == WxError.OK) {
        assertThat(e.now()).isBefore(e.before().closesAt());
      }
      Window w = e.after();
      assertThat(w.isOpen(w.closesAt())).isFalse();
      assertThat(table.rules().onSend(w, w.closesAt()))
          .isEqualTo(new SendDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
      assertThat(table.rules().onSend(w, w.closesAt().plus(late)))
          .isEqualTo(new SendDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
    }
  }

  /** Independent of any bookkeeping: a send is 45015 exactly when no user action's allowance covers its moment. */
  @Property(tries = 500)
  void a_send_is_out_of_time_exactly_when_no_user_action_covers_its_moment(
      @ForAll("tables") Table table, @ForAll("histories") List<Step> steps) {
    var covered = new ArrayList<Instant[]>();
    for (Event e : play(table, steps)) {
      Instant now = e.now();
      if (e.step() instanceof UserActs act) {
        covered.add(new Instant[] {now, now.plus(table.duration(act.trigger()))});
      } else if (e.step() instanceof DeveloperSends) {
        boolean someActionCoversNow = covered.stream().anyMatch(c -> !now.isBefore(c[0]) && now.isBefore(c[1]));
        assertThat(e.outcome() == WxError.RESPONSE_OUT_OF_TIME_LIMIT).as("45015 at %s", now).isEqualTo(!someActionCoversNow);
      }
    }
  }

  /** Removing every send that failed from a history changes nothing else: the same outcomes, the same windows. */
  @Property(tries = 500)
  void failed_sends_consume_nothing(@ForAll("tables") Table table, @ForAll("histories") List<Step> steps) {
    List<Event> played = play(table, steps);
    var withoutFailures = new ArrayList<Step>();
    var kept = new ArrayList<Event>();
    for (Event e : played) {
      boolean failedSend = e.outcome() != null && e.outcome() != WxError.OK;
      if (!failedSend) {
        withoutFailures.add(e.step());
        kept.add(e);
      }
    }

    assertThat(play(table, withoutFailures)).isEqualTo(kept);

    Statistics.label("failed sends removed").collect(kept.size() < played.size());
    Statistics.label("failed sends removed").coverage(c -> c.check(true).percentage(p -> p >= 50));
  }

  // --- the history and its replay

  sealed interface Step permits UserActs, DeveloperSends, ClockAdvances, ClockRunsToTheLatestAllowanceEnd {}

  record UserActs(Trigger trigger) implements Step {
    @Override
    public String toString() {
      return trigger == Trigger.ENTER ? "user enters" : "user messages";
    }
  }

  record DeveloperSends() implements Step {
    @Override
    public String toString() {
      return "developer sends";
    }
  }

  record ClockAdvances(Duration by) implements Step {
    @Override
    public String toString() {
      return "clock +" + by;
    }
  }

  /**
   * The clock runs to {@code offset} around the latest end of any allowance granted so far (now + duration of each
   * user action, from the table's numbers), so that sends land on, just before and just after deadlines. Never
   * moves the clock back.
   */
  record ClockRunsToTheLatestAllowanceEnd(Duration offset) implements Step {
    @Override
    public String toString() {
      return "clock to the latest allowance end " + (offset.isNegative() ? "" : "+") + offset;
    }
  }

  /** One step as WindowRules saw it: the instant, the window before and after, and a send's outcome (else null). */
  record Event(Step step, Instant now, Window before, Window after, WxError outcome) {}

  static List<Event> play(Table table, List<Step> steps) {
    WindowRules rules = table.rules();
    Instant now = START;
    Instant latestAllowanceEnd = START;
    Window window = Window.NONE;
    var events = new ArrayList<Event>();
    for (Step step : steps) {
      Window before = window;
      WxError outcome = null;
      if (step instanceof UserActs act) {
        window = rules.onTrigger(window, act.trigger(), now);
        Instant end = now.plus(table.duration(act.trigger()));
        latestAllowanceEnd = end.isAfter(latestAllowanceEnd) ? end : latestAllowanceEnd;
      } else if (step instanceof DeveloperSends) {
        SendDecision decision = rules.onSend(window, now);
        if (decision instanceof SendDecision.Allowed allowed) {
          window = allowed.next();
          outcome = WxError.OK;
        } else {
          outcome = ((SendDecision.Denied) decision).error();
        }
      } else if (step instanceof ClockAdvances advance) {
        now = now.plus(advance.by());
      } else if (step instanceof ClockRunsToTheLatestAllowanceEnd run) {
        Instant target = latestAllowanceEnd.plus(run.offset());
        now = target.isAfter(now) ? target : now;
      }
      events.add(new Event(step, now, before, window, outcome));
    }
    return events;
  }

  /**
   * The reference model: the latest deadline and what remains. A user action on a live window raises remaining to
   * the action's count and pushes the deadline out to now + its duration, whichever is more; on a closed window it
   * starts afresh. A send is 45015 at or after the deadline, 45047 with nothing left, else OK and uses one.
   */
  static final class Reference {
    Instant deadline;
    int remaining;
    Trigger grantedBy;

    boolean isLive(Instant now) {
      return deadline != null && now.compareTo(deadline) < 0;
    }

    void trigger(Trigger trigger, int count, Duration duration, Instant now) {
      Instant end = now.plus(duration);
      if (isLive(now)) {
        remaining = Math.max(remaining, count);
        if (end.compareTo(deadline) > 0) {
          deadline = end;
          grantedBy = trigger;
        }
      } else {
        remaining = count;
        deadline = end;
        grantedBy = trigger;
      }
    }

    int send(Instant now) {
      if (!isLive(now)) {
        return 45015;
      }
      if (remaining == 0) {
        return 45047;
      }
      remaining--;
      return 0;
    }
  }

  /** A rule table as plain numbers next to the WindowRules under test. */
  record Table(WindowRules rules, int enterCount, Duration enterFor, int messageCount, Duration messageFor) {
    int count(Trigger trigger) {
      return trigger == Trigger.ENTER ? enterCount : messageCount;
    }

    Duration duration(Trigger trigger) {
      return trigger == Trigger.ENTER ? enterFor : messageFor;
    }

    int largestCount() {
      return Math.max(enterCount, messageCount);
    }

    @Override
    public String toString() {
      return rules.name() + " (enter " + enterCount + " in " + enterFor + ", message " + messageCount + " in "
          + messageFor + ")";
    }
  }

  // --- generators

  @Provide
  Arbitrary<Table> tables() {
    Arbitrary<Integer> counts = Arbitraries.integers().between(0, 8);
    Arbitrary<Duration> durations = clockAdvances().filter(d -> !d.isZero());
    Arbitrary<Table> custom = Combinators.combine(counts, durations, counts, durations)
        .as((enterCount, enterFor, messageCount, messageFor) -> new Table(
            new WindowRules("custom", new Allowance(enterCount, enterFor), new Allowance(messageCount, messageFor)),
            enterCount, enterFor, messageCount, messageFor));
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(SEED)),
        Tuple.of(1, Arbitraries.just(CURRENT)),
        Tuple.of(2, custom));
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> enter = Arbitraries.just(new UserActs(Trigger.ENTER));
    Arbitrary<Step> message = Arbitraries.just(new UserActs(Trigger.MESSAGE));
    Arbitrary<Step> send = Arbitraries.just(new DeveloperSends());
    Arbitrary<Step> advance = clockAdvances().map(ClockAdvances::new);
    Arbitrary<Step> toDeadline = Arbitraries.of(Duration.ZERO, Duration.ZERO, Duration.ofNanos(-1), Duration.ofNanos(1),
        Duration.ofSeconds(-1), Duration.ofSeconds(1)).map(ClockRunsToTheLatestAllowanceEnd::new);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(2, enter),
        Tuple.of(2, message),
        Tuple.of(8, send),
        Tuple.of(4, advance),
        Tuple.of(2, toDeadline));
    return step.list().ofMinSize(1).ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform());
  }

  /** 0 s to 3 days, mostly near 1 minute and near 48 hours, with the exact boundaries often. */
  @Provide
  Arbitrary<Duration> clockAdvances() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(Duration.ZERO, Duration.ofSeconds(1), MINUTE.minusSeconds(1), MINUTE,
            MINUTE.plusSeconds(1), TWO_DAYS.minusSeconds(1), TWO_DAYS, TWO_DAYS.plusSeconds(1))),
        Tuple.of(4, Arbitraries.integers().between(-10, 10).map(MINUTE::plusSeconds)),
        Tuple.of(3, Arbitraries.integers().between(0, 30).map(Duration::ofSeconds)),
        Tuple.of(2, Arbitraries.integers().between(-600, 600).map(TWO_DAYS::plusSeconds)),
        Tuple.of(1, Arbitraries.longs().between(-1000, 1000).map(MINUTE::plusNanos)),
        Tuple.of(1, Arbitraries.longs().between(0, THREE_DAYS.toSeconds()).map(Duration::ofSeconds)));
  }
}
