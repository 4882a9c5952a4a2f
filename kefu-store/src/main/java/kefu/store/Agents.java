package kefu.store;

import java.util.List;
import java.util.Optional;

public interface Agents {
  Optional<Agent> find(String appid, String account);

  /** The app's agents, by account. */
  List<Agent> list(String appid);

  /** Creates or replaces the agent (keyed by appid and account). */
  void put(Agent agent);
}
