package kefu.server.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.Json;
import kefu.server.user.ConversationEvents;
import kefu.store.AgentSession;
import kefu.store.AgentSessionState;
import kefu.store.App;
import kefu.store.Store;
import kefu.store.Tx;

/**
 * Where a user's message goes (spec §7): to the developer's push URL, or to the agent holding the user's session.
 * A user waiting in the queue is still pushed; with push disabled, a message puts the user in the queue. An accepted
 * session idle for {@link HandOffOptions#idleClose()} closes by itself and pushes resume. Events never go to agents.
 * The methods taking a {@link Tx} run inside the caller's transaction; agents hear of changes through
 * {@link #agentEvents()} once the caller has committed.
 */
public final class HandOff {
  /** Where a user message goes. */
  public enum Route {
    /** Pushed to the developer's server. */
    PUSH,
    /** To the agent holding the session; not pushed. */
    AGENT,
    /** Waiting in the queue, push disabled: not pushed. */
    QUEUE
  }

  /** The routing decision and what the agents should be told after commit (null when nothing). */
  public record Routed(Route route, AgentSession session, String agentEvent) {}

  private final HandOffOptions options;
  private final ConversationEvents agentEvents;

  public HandOff(HandOffOptions options, ConversationEvents agentEvents) {
    this.options = options;
    this.agentEvents = agentEvents;
  }

  public HandOffOptions options() {
    return options;
  }

  /** The app-wide stream of queue and session events, keyed (appid, {@value #AGENTS_TOPIC}). */
  public ConversationEvents agentEvents() {
    return agentEvents;
  }

  public static final String AGENTS_TOPIC = "*agents*";

  /** Routes a user message at {@code now} and records the activity. */
  public Routed onUserMessage(Tx tx, App app, String openid, Instant now) {
    Optional<AgentSession> found = tx.agentSessions().find(app.appid(), openid);
    if (found.isPresent() && isIdle(found.get(), now)) {
      tx.agentSessions().delete(app.appid(), openid);
      found = Optional.empty();
    }
    if (found.isPresent()) {
      AgentSession s = found.get();
      AgentSession touched = new AgentSession(s.appid(), s.openid(), s.state(), s.agent(), s.waitingSince(),
          s.acceptedAt(), now);
      tx.agentSessions().put(touched);
      if (s.state() == AgentSessionState.ACTIVE) {
        return new Routed(Route.AGENT, touched, "message");
      }
      return new Routed(app.push().active() ? Route.PUSH : Route.QUEUE, touched, "message");
    }
    if (!app.push().active()) {
      AgentSession waiting = waiting(app.appid(), openid, now);
      tx.agentSessions().put(waiting);
      return new Routed(Route.QUEUE, waiting, "waiting");
    }
    return new Routed(Route.PUSH, null, null);
  }

  /** The developer answered {@code transfer_customer_service}: the user waits in the queue (if not already handed over). */
  public Optional<AgentSession> transfer(Tx tx, String appid, String openid, Instant now) {
    if (tx.agentSessions().find(appid, openid).isPresent()) {
      return Optional.empty();
    }
    AgentSession waiting = waiting(appid, openid, now);
    tx.agentSessions().put(waiting);
    return Optional.of(waiting);
  }

  /** Closes the sessions idle at {@code now}; returns them. */
  public List<AgentSession> closeIdle(Store store, Instant now) {
    Instant cutoff = now.minus(options.idleClose());
    if (store.read(tx -> tx.agentSessions().idleSince(cutoff)).isEmpty()) {
      return List.of();
    }
    List<AgentSession> closed = store.inTransaction(tx -> {
      List<AgentSession> idle = tx.agentSessions().idleSince(cutoff);
      idle.forEach(s -> tx.agentSessions().delete(s.appid(), s.openid()));
      return idle;
    });
    closed.forEach(s -> publish(s.appid(), "session_closed", view(s, now).put("reason", "idle")));
    return closed;
  }

  public boolean isIdle(AgentSession s, Instant now) {
    return s.state() == AgentSessionState.ACTIVE && !now.isBefore(s.lastActivityAt().plus(options.idleClose()));
  }

  public void publish(String appid, String name, ObjectNode data) {
    agentEvents.publish(appid, AGENTS_TOPIC, name, data);
  }

  public static ObjectNode view(AgentSession s, Instant now) {
    ObjectNode o = Json.newObject();
    o.put("openid", s.openid());
    o.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
    if (s.agent() == null) {
      o.putNull("agent");
    } else {
      o.put("agent", s.agent());
    }
    o.put("waiting_since", s.waitingSince().getEpochSecond());
    o.put("waiting_seconds", Math.max(0, now.getEpochSecond() - s.waitingSince().getEpochSecond()));
    o.put("idle_seconds", Math.max(0, now.getEpochSecond() - s.lastActivityAt().getEpochSecond()));
    return o;
  }

  private static AgentSession waiting(String appid, String openid, Instant now) {
    return new AgentSession(appid, openid, AgentSessionState.WAITING, null, now, null, now);
  }
}
