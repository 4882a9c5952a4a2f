package kefu.protocol.fault;

import java.util.Objects;

/**
 * The mark a journal entry carries when a fault was injected into it: the rule's id and its effect described
 * ({@link FaultEffect#describe()}). {@link #NONE} (rule 0) marks nothing.
 */
public record FaultMark(long rule, String effect) {
  public static final FaultMark NONE = new FaultMark(0, "");

  public FaultMark {
    Objects.requireNonNull(effect, "effect");
  }

  public boolean present() {
    return rule != 0;
  }
}
