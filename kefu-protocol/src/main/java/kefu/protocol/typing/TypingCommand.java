package kefu.protocol.typing;

import java.util.Optional;

/** The {@code command} of {@code custom/typing}, spec §4. Case-sensitive on the wire. */
public enum TypingCommand {
  TYPING("Typing"),
  CANCEL_TYPING("CancelTyping");

  private final String wireName;

  TypingCommand(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<TypingCommand> fromWireName(String name) {
    for (TypingCommand c : values()) {
      if (c.wireName.equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
