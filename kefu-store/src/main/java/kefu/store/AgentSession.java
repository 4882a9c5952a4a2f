package kefu.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A user handed over to the agents: WAITING in the app's queue since {@code waitingSince} (agent null), or ACTIVE
 * with {@code agent} since {@code acceptedAt}. {@code lastActivityAt} is the last message either way; an ACTIVE
 * session idle for 30 minutes closes by itself.
 */
public record AgentSession(String appid, String openid, AgentSessionState state, String agent, Instant waitingSince,
                           Instant acceptedAt, Instant lastActivityAt) {
  public AgentSession {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(waitingSince, "waitingSince");
    Objects.requireNonNull(lastActivityAt, "lastActivityAt");
  }
}
