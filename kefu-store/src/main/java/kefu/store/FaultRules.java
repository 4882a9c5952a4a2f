package kefu.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.fault.FaultRule;

/**
 * The deployment's fault rules (the platform's fault injection), shared by every node. {@link Store#reset} removes
 * them. {@link #use} is what makes "the next N matching calls" exact, however many nodes apply the rule at once.
 */
public interface FaultRules {
  /** Stores a new rule; the store assigns its id (increasing, never reused, not even after a reset). */
  FaultRule add(FaultRule rule);

  /** Every rule, oldest first, whatever its state. */
  List<FaultRule> all();

  /** Removes one rule; false when there was none with that id. */
  boolean remove(long id);

  /** Removes every rule; how many there were. */
  int removeAll();

  /**
   * One use of the rule at {@code now}, atomically: when the rule is live at {@code now} (a use left, not expired)
   * its use count goes up by one and the rule so changed is returned; otherwise nothing changes and the answer is
   * empty. Correct however many transactions, on however many nodes, use the same rule at once.
   */
  Optional<FaultRule> use(long id, Instant now);
}
