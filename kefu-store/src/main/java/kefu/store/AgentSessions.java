package kefu.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users handed over to agents; a closed session is deleted. */
public interface AgentSessions {
  Optional<AgentSession> find(String appid, String openid);

  /** Creates or replaces the user's session. */
  void put(AgentSession session);

  void delete(String appid, String openid);

  /** The app's sessions in that state, oldest {@code waitingSince} first. */
  List<AgentSession> list(String appid, AgentSessionState state);

  /** ACTIVE sessions (all apps) whose {@code lastActivityAt} is at or before {@code cutoff}. */
  List<AgentSession> idleSince(Instant cutoff);
}
