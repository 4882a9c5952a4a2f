package kefu.protocol.push;

import java.util.Locale;
import java.util.Optional;

/** The data format of pushes to the developer's server (spec §6.1): XML or JSON. */
public enum PushFormat {
  XML,
  JSON;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PushFormat> fromWireName(String name) {
    for (PushFormat f : values()) {
      if (f.wireName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
