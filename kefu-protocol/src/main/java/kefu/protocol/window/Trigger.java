package kefu.protocol.window;

/** A user action that opens (or refreshes) the send window. Spec §3.2. */
public enum Trigger {
  /** The user entered the customer-service chat (the {@code user_enter_tempsession} event). */
  ENTER("enter"),
  /** The user sent a message (text, image or mini-program card). */
  MESSAGE("message");

  private final String wireName;

  Trigger(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static java.util.Optional<Trigger> fromWireName(String name) {
    for (Trigger t : values()) {
      if (t.wireName.equals(name)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
