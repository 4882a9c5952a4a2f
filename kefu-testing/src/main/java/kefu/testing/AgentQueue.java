package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The app's hand-off queue ({@code GET /kefu/v1/apps/{appid}/queue}): the openids of users waiting for an agent,
 * oldest first, and of users an agent holds.
 */
public record AgentQueue(List<String> waiting, List<String> active) {
  public AgentQueue {
    waiting = List.copyOf(waiting);
    active = List.copyOf(active);
  }

  static AgentQueue of(JsonNode q) {
    return new AgentQueue(openids(q.path("waiting")), openids(q.path("active")));
  }

  private static List<String> openids(JsonNode sessions) {
    return StreamSupport.stream(sessions.spliterator(), false).map(s -> s.path("openid").asText()).toList();
  }
}
