package kefu.sdk.push;

import java.util.Objects;

/**
 * What the developer's handler decides about a push (spec §6.5, §7): answer {@code success} (and reply later, if at
 * all, through the send API), or hand the user to the human agents with {@code transfer_customer_service}.
 */
public sealed interface Reaction {
  /** Answer {@code success}. */
  record Success() implements Reaction {}

  /**
   * Answer {@code transfer_customer_service}; {@code kfAccount}, when not null, names the agent
   * ({@code TransInfo/KfAccount}, spec §7 and §12.9: honoured by kefu, undocumented for mini programs).
   */
  record TransferToAgents(String kfAccount) implements Reaction {
    public TransferToAgents {
      if (kfAccount != null && kfAccount.isBlank()) {
        throw new IllegalArgumentException("kfAccount must not be blank; use transferToAgents() for any agent");
      }
    }
  }

  static Reaction success() {
    return new Success();
  }

  /** To whichever agent accepts the user first. */
  static Reaction transferToAgents() {
    return new TransferToAgents(null);
  }

  static Reaction transferToAgents(String kfAccount) {
    return new TransferToAgents(Objects.requireNonNull(kfAccount, "kfAccount"));
  }
}
