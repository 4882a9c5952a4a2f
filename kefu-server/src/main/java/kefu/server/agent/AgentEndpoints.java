package kefu.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.protocol.send.SendRequest;
import kefu.server.http.Endpoints;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.send.SendEndpoint;
import kefu.server.user.ConversationEvents;
import kefu.server.user.MessageViews;
import kefu.store.Agent;
import kefu.store.AgentSession;
import kefu.store.AgentSessionState;
import kefu.store.AgentStatus;
import kefu.store.App;
import kefu.store.Direction;
import kefu.store.Store;
import kefu.store.StoredMessage;

/**
 * The agents' side of the hand-off, under {@code /kefu/v1/apps/{appid}}: agents, the waiting queue, accepting a
 * user, writing to them, closing the session, and the live stream of queue events.
 */
public final class AgentEndpoints {
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  private static final int BODY_LIMIT = 1024 * 1024;

  private final Store store;
  private final HandOff handOff;
  private final MessageCodec codec;
  private final ConversationEvents conversations;

  public AgentEndpoints(Store store, HandOff handOff, MessageCodec codec, ConversationEvents conversations) {
    this.store = store;
    this.handOff = handOff;
    this.codec = codec;
    this.conversations = conversations;
  }

  /** {@code PUT …/agents/{account}} with {@code {"nickname":…,"status":"online"|"offline"}}. */
  public Reply put(WxCall call) {
    String appid = call.pathParam("appid");
    String account = call.pathParam("account");
    call.identify(appid, "");
    if (!ACCOUNT.matcher(account).matches()) {
      return Reply.error(WxError.INVALID_KF_ACCOUNT, "an account is 1 to 64 characters of [A-Za-z0-9_.@-]");
    }
    Optional<ObjectNode> spec = readObject(call);
    if (spec.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "expected {\"nickname\":\"…\",\"status\":\"online\"|\"offline\"}");
    }
    JsonNode nick = spec.get().get("nickname");
    JsonNode status = spec.get().get("status");
    if ((nick != null && !nick.isTextual()) || (status != null
        && !(status.isTextual() && (status.textValue().equals("online") || status.textValue().equals("offline"))))) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "nickname must be a string, status \"online\" or \"offline\"");
    }
    Object outcome = store.inTransaction(tx -> {
      if (tx.apps().find(appid).isEmpty()) {
        return Reply.error(WxError.INVALID_APPID, "no app " + appid);
      }
      Optional<Agent> existing = tx.agents().find(appid, account);
      if (existing.isEmpty() && tx.agents().list(appid).size() >= HandOffOptions.MAX_AGENTS_PER_APP) {
        return Reply.error(WxError.CONFLICT, "an app has at most " + HandOffOptions.MAX_AGENTS_PER_APP + " agents");
      }
      Agent agent = new Agent(appid, account,
          nick != null ? nick.textValue() : existing.map(Agent::nickname).orElse(account),
          status != null ? AgentStatus.valueOf(status.textValue().toUpperCase(Locale.ROOT))
              : existing.map(Agent::status).orElse(AgentStatus.OFFLINE),
          existing.map(Agent::createdAt).orElse(call.now()));
      tx.agents().put(agent);
      return agent;
    });
    if (outcome instanceof Reply r) {
      return r;
    }
    return Reply.json(view((Agent) outcome));
  }

  public Reply list(WxCall call) {
    String appid = call.pathParam("appid");
    ObjectNode o = Json.newObject();
    ArrayNode agents = o.putArray("agents");
    store.read(tx -> tx.agents().list(appid)).forEach(a -> agents.add(view(a)));
    return Reply.json(o);
  }

  /** {@code GET …/queue}: users waiting (oldest first) and sessions held by agents. */
  public Reply queue(WxCall call) {
    String appid = call.pathParam("appid");
    record Queue(List<AgentSession> waiting, List<AgentSession> active) {}
    Queue q = store.read(tx -> new Queue(tx.agentSessions().list(appid, AgentSessionState.WAITING),
        tx.agentSessions().list(appid, AgentSessionState.ACTIVE)));
    ObjectNode o = Json.newObject();
    ArrayNode waiting = o.putArray("waiting");
    q.waiting().forEach(s -> waiting.add(HandOff.view(s, call.now())));
    ArrayNode active = o.putArray("active");
    q.active().stream().filter(s -> !handOff.isIdle(s, call.now()))
        .forEach(s -> active.add(HandOff.view(s, call.now())));
    return Reply.json(o);
  }

  /** {@code POST …/agents/{account}/accept}, optionally {@code {"openid":…}}: takes the oldest waiting user. */
  public Reply accept(WxCall call) {
    String appid = call.pathParam("appid");
    String account = call.pathParam("account");
    Optional<ObjectNode> body = readObject(call);
    if (body.isEmpty() || (body.get().has("openid") && !body.get().get("openid").isTextual())) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "expected an empty body or {\"openid\":\"…\"}");
    }
    Optional<String> named = Json.text(body.get(), "openid");
    Object outcome = store.inTransaction(tx -> {
      Optional<Agent> agent = tx.agents().find(appid, account);
      if (agent.isEmpty()) {
        return Reply.error(WxError.INVALID_KF_ACCOUNT, "no agent " + account + " in " + appid);
      }
      if (agent.get().status() != AgentStatus.ONLINE) {
        return Reply.error(WxError.CONFLICT, "agent " + account + " is offline");
      }
      Optional<AgentSession> waiting = named.isPresent()
          ? tx.agentSessions().find(appid, named.get()).filter(s -> s.state() == AgentSessionState.WAITING)
          : tx.agentSessions().list(appid, AgentSessionState.WAITING).stream().findFirst();
      if (waiting.isEmpty()) {
        return Reply.error(WxError.CONFLICT, named.map(o -> o + " is not waiting").orElse("nobody is waiting"));
      }
      AgentSession s = waiting.get();
      AgentSession active = new AgentSession(appid, s.openid(), AgentSessionState.ACTIVE, account, s.waitingSince(),
          call.now(), call.now());
      tx.agentSessions().put(active);
      return active;
    });
    if (outcome instanceof Reply r) {
      return r;
    }
    AgentSession active = (AgentSession) outcome;
    call.identify(appid, active.openid());
    ObjectNode view = HandOff.view(active, call.now());
    handOff.publish(appid, "accepted", view);
    return Reply.json(view);
  }

  /** {@code POST …/agents/{account}/messages} with a send body (text or image) to a user the agent holds. */
  public Reply message(WxCall call) {
    String appid = call.pathParam("appid");
    String account = call.pathParam("account");
    Optional<byte[]> bytes = call.body(BODY_LIMIT);
    if (bytes.isEmpty()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR, "body larger than " + BODY_LIMIT + " bytes");
    }
    Decoded<SendRequest> decoded = codec.decodeSend(bytes.get());
    if (decoded instanceof Decoded.Bad<SendRequest> bad) {
      return Reply.error(bad.error(), "expected {\"touser\":…,\"msgtype\":\"text\"|\"image\",…}");
    }
    SendRequest request = ((Decoded.Ok<SendRequest>) decoded).value();
    Message message = request.message();
    if (!(message instanceof Message.Text) && !(message instanceof Message.Image)) {
      return Reply.error(WxError.INVALID_MESSAGE_TYPE, "agents send text or image");
    }
    String openid = request.touser();
    call.identify(appid, openid);
    Instant now = call.now();
    Object outcome = store.inTransaction(tx -> {
      Optional<App> app = tx.apps().find(appid);
      if (app.isEmpty()) {
        return Reply.error(WxError.INVALID_APPID, "no app " + appid);
      }
      Optional<AgentSession> s = tx.agentSessions().find(appid, openid);
      if (s.isEmpty() || s.get().state() != AgentSessionState.ACTIVE || !account.equals(s.get().agent())
          || handOff.isIdle(s.get(), now)) {
        return Reply.error(WxError.CONFLICT, "agent " + account + " holds no session with " + openid);
      }
      WxError refs = SendEndpoint.checkReferences(message, app.get(), call, tx.media()::find);
      if (refs != WxError.OK) {
        return Reply.error(refs);
      }
      boolean inWindow = tx.messages().conversation(appid, openid, 200).stream()
          .filter(m -> m.direction() == Direction.FROM_USER)
          .reduce((a, b) -> b)
          .map(m -> now.isBefore(m.createdAt().plus(handOff.options().agentWindow())))
          .orElse(false);
      if (!inWindow) {
        return Reply.error(WxError.RESPONSE_OUT_OF_TIME_LIMIT, "the user's last message is older than "
            + handOff.options().agentWindow().toHours() + " hours");
      }
      AgentSession held = s.get();
      tx.agentSessions().put(new AgentSession(appid, openid, held.state(), held.agent(), held.waitingSince(),
          held.acceptedAt(), now));
      return tx.messages().append(appid, openid, Direction.FROM_AGENT, message, now);
    });
    if (outcome instanceof Reply r) {
      return r;
    }
    ObjectNode view = MessageViews.of((StoredMessage) outcome).put("agent", account);
    conversations.publish(appid, openid, "message", view);
    return Reply.json(Json.newObject().put("errcode", 0).put("errmsg", "ok")
        .put("msgid", ((StoredMessage) outcome).msgId()));
  }

  /** {@code POST …/sessions/{openid}/close}. */
  public Reply close(WxCall call) {
    String appid = call.pathParam("appid");
    String openid = call.pathParam("openid");
    call.identify(appid, openid);
    Optional<AgentSession> closed = store.inTransaction(tx -> {
      Optional<AgentSession> s = tx.agentSessions().find(appid, openid);
      s.ifPresent(x -> tx.agentSessions().delete(appid, openid));
      return s;
    });
    if (closed.isEmpty()) {
      return Reply.error(WxError.CONFLICT, openid + " has no session with the agents");
    }
    handOff.publish(appid, "session_closed", HandOff.view(closed.get(), call.now()).put("reason", "closed"));
    return Reply.OK;
  }

  /** {@code GET …/agents/events}: the app's queue and session events as Server-Sent Events. */
  public void events(ServerRequest req, ServerResponse res, Endpoints edge) throws InterruptedException {
    WxCall call = edge.begin(req);
    String appid = call.pathParam("appid");
    if (store.read(tx -> tx.apps().find(appid)).isEmpty()) {
      Endpoints.render(call, Reply.error(WxError.INVALID_APPID, "no app " + appid), res);
      return;
    }
    handOff.agentEvents().stream(appid, HandOff.AGENTS_TOPIC, Json.newObject().put("appid", appid), res);
  }

  private static Optional<ObjectNode> readObject(WxCall call) {
    Optional<byte[]> bytes = call.body(64 * 1024);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Json.isBlank(bytes.get()) ? Optional.of(Json.newObject()) : Json.object(bytes.get());
  }

  private static ObjectNode view(Agent a) {
    return Json.newObject().put("account", a.account()).put("nickname", a.nickname())
        .put("status", a.status().name().toLowerCase(Locale.ROOT));
  }
}
