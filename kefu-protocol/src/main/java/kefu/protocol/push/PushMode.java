package kefu.protocol.push;

import java.util.Locale;
import java.util.Optional;

/** The message-encryption mode (spec §6.1): plaintext 明文, compatible 兼容 (both), secure 安全 (encrypted only). */
public enum PushMode {
  PLAIN,
  COMPAT,
  SECURE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean encrypts() {
    return this != PLAIN;
  }

  public static Optional<PushMode> fromWireName(String name) {
    for (PushMode m : values()) {
      if (m.wireName().equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
