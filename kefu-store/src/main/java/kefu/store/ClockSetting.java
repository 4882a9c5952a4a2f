package kefu.store;

import java.util.Optional;

/**
 * The deployment's shared clock state: one value for the whole store. Nodes read it periodically, so a clock change
 * made on one node applies on all. {@link Store#reset} keeps it: the clock belongs to the deployment, like the apps,
 * not to the state a reset empties.
 */
public interface ClockSetting {
  /** The stored state; empty when the clock was never set. */
  Optional<ClockState> get();

  /** Replaces the stored state. */
  void put(ClockState state);
}
