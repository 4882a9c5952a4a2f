package kefu.server.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Hand-off to human agents (spec §7): an accepted session idle for {@code idleClose} closes by itself and pushes
 * resume (30 minutes, as WeChat does today); an agent may write to a user whose last message is at most
 * {@code agentWindow} old (48 hours, kefu's choice: the user's window, without the send count limit).
 */
public record HandOffOptions(Duration idleClose, Duration agentWindow) {
  public static final HandOffOptions DEFAULTS = new HandOffOptions(Duration.ofMinutes(30), Duration.ofHours(48));
  public static final int MAX_AGENTS_PER_APP = 100;

  public HandOffOptions {
    Objects.requireNonNull(idleClose, "idleClose");
    Objects.requireNonNull(agentWindow, "agentWindow");
    if (idleClose.isNegative() || idleClose.isZero() || agentWindow.isNegative() || agentWindow.isZero()) {
      throw new IllegalArgumentException("agent_idle_seconds and agent_window_seconds must be positive");
    }
  }
}
