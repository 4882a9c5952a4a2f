package kefu.protocol.push;

import java.util.Objects;

/**
 * An app's message-push configuration (spec §6.1). {@code encodingAesKey} is null in plain mode when none was given.
 * {@link #NONE} is the configuration of an app that never set one (push disabled).
 */
public record PushSettings(String url, String token, String encodingAesKey, PushFormat format, PushMode mode,
                           boolean enabled) {
  public static final PushSettings NONE = new PushSettings("", "", null, PushFormat.JSON, PushMode.PLAIN, false);

  public PushSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(mode, "mode");
  }

  /** Whether user messages are pushed to the developer's URL (else they go straight to the agents' queue). */
  public boolean active() {
    return enabled && !url.isEmpty();
  }

  @Override
  public String toString() {
    return "PushSettings[url=" + url + ", token=****, encodingAesKey=" + (encodingAesKey == null ? "none" : "****")
        + ", format=" + format.wireName() + ", mode=" + mode.wireName() + ", enabled=" + enabled + "]";
  }
}
