package kefu.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kefu.protocol.Json;
import kefu.protocol.token.TokenKind;
import kefu.server.crash.Figures.Figure;

/**
 * The concurrent load of one life, on virtual threads: per user, a conversation (now and then a token fetch or a
 * media upload, then a user message and a burst of sends two more than the window allows), and per app an agent who
 * accepts the users the developer's backend transferred, writes to them and closes their sessions. Everything
 * answered goes to the ledger. Each thread draws from its own {@link Random}, seeded from the run's seed.
 */
final class Load {
  /** A 1×1 PNG; each upload appends random bytes so that no two uploads are alike. */
  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  private static final String BOUNDARY = "crash-harness-boundary";
  private static final int MORE_THAN_ALLOWED = 2;

  private final Life life;
  private final List<CrashApp> apps;
  private final Ledger ledger;
  private final TokenFetches tokenFetches;
  private final DeveloperBackend backend;
  private final Figures figures;
  /** Each app's token in use, shared by its conversations: the latest one fetched, null once refused. */
  private final Map<String, AtomicReference<String>> tokens = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();

  Load(Life life, List<CrashApp> apps, Ledger ledger, DeveloperBackend backend, Figures figures) {
    this.life = life;
    this.apps = apps;
    this.ledger = ledger;
    this.tokenFetches = new TokenFetches(ledger, figures);
    this.backend = backend;
    this.figures = figures;
    apps.forEach(a -> tokens.put(a.appid(), new AtomicReference<>()));
  }

  /** Starts every conversation and agent; {@code seed} makes their choices (not their interleaving) repeatable. */
  void start(long seed) {
    Random seeds = new Random(seed);
    for (CrashApp app : apps) {
      for (String openid : app.openids()) {
        Random random = new Random(seeds.nextLong());
        threads.add(Thread.ofVirtual().name("crash-user-" + openid).start(() -> converse(app, openid, random)));
      }
      threads.add(Thread.ofVirtual().name("crash-agent-" + app.appid()).start(() -> serveAsAgent(app)));
    }
  }

  /** Waits for every thread, once the life has ended (the child is dead: what is in flight fails at once). */
  void awaitEnd() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }

  private void converse(CrashApp app, String openid, Random random) {
    // first, sends on what the window kept from before the kill: only what it had left may succeed (checked on the
    // conversation, as no message of this life opened the window)
    token(app, random).ifPresent(token -> burst(app, openid, token, Map.of(
        "text0", "r" + life.number + ".0 " + openid, "text1", "r" + life.number + ".1 " + openid)));
    for (int phase = 1; life.running(); phase++) {
      Optional<String> token = token(app, random);
      if (token.isEmpty()) {
        continue;
      }
      Optional<String> mediaId = random.nextInt(4) == 0 ? upload(app, token.get(), random) : Optional.empty();
      String content = "m" + life.number + "." + phase + " " + openid
          + (random.nextInt(6) == 0 ? " " + DeveloperBackend.ASK_FOR_A_HUMAN : "");
      OptionalInt allowance = says(app, openid, content);
      if (allowance.isEmpty()) {
        continue;
      }
      Map<String, String> burst = new LinkedHashMap<>();
      mediaId.ifPresent(id -> burst.put("image", id));
      for (int k = burst.size(); k < allowance.getAsInt() + MORE_THAN_ALLOWED; k++) {
        burst.put("text" + k, "s" + life.number + "." + phase + "." + k + " " + openid);
      }
      int answered0 = burst(app, openid, token.get(), burst);
      ledger.phasesToCheck.add(new Ledger.Phase(app.appid(), openid, life.number, allowance.getAsInt(), answered0));
    }
  }

  /** Sends all of {@code sends} (name → text, or {@code image} → media_id) at once; how many were answered 0. */
  private int burst(CrashApp app, String openid, String token, Map<String, String> sends) {
    AtomicInteger answered0 = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      sends.forEach((name, value) -> pool.execute(() -> {
        if (send(app, openid, token, name.equals("image") ? "image" : "text", value)) {
          answered0.incrementAndGet();
        }
      }));
    }
    return answered0.get();
  }

  /** The app's token in use; now and then (and when there is none) a fresh one, of either kind. */
  private Optional<String> token(CrashApp app, Random random) {
    AtomicReference<String> current = tokens.get(app.appid());
    String token = current.get();
    if (token != null && random.nextInt(6) != 0) {
      return Optional.of(token);
    }
    int pick = random.nextInt(10);
    Optional<String> fresh = tokenFetches.fetch(life, app, pick < 6 ? TokenKind.ORDINARY : TokenKind.STABLE,
        pick == 9);
    fresh.ifPresent(current::set);
    return fresh;
  }

  /** The user writes; the allowance the answer reports, or empty when not answered 0. */
  private OptionalInt says(CrashApp app, String openid, String content) {
    ObjectNode body = Json.newObject().put("msgtype", "text");
    body.putObject("text").put("content", content);
    Optional<Client.Answer> answer = life.client.post(app.path() + "/users/" + openid + "/messages",
        Json.write(body));
    if (!answered0(answer, "a user message")) {
      return OptionalInt.empty();
    }
    JsonNode json = answer.get().json();
    String routedTo = json.path("routed_to").asText();
    long msgId = json.path("msgid").asLong();
    ledger.userMessages.add(new Ledger.UserMessage(app.appid(), openid, msgId, content, routedTo));
    figures.count(Figure.USER_MESSAGES);
    if (routedTo.equals("agent")) {
      figures.count(Figure.ROUTED_TO_AGENT);
    }
    life.acknowledged();
    return OptionalInt.of(json.path("window").path("remaining").asInt());
  }

  /** A developer send; true when answered 0. */
  private boolean send(CrashApp app, String openid, String token, String msgtype, String value) {
    ObjectNode body = Json.newObject().put("touser", openid).put("msgtype", msgtype);
    body.putObject(msgtype).put(msgtype.equals("image") ? "media_id" : "content", value);
    Optional<Client.Answer> answer = life.client.post("/cgi-bin/message/custom/send?access_token=" + token,
        Json.write(body));
    if (answer.isEmpty()) {
      figures.count(Figure.CUT_OFF);
      return false;
    }
    switch (answer.get().errcode()) {
      case 0 -> {
        ledger.sends.add(new Ledger.Send(app.appid(), openid, Ledger.Send.key(msgtype, value)));
        figures.count(Figure.SENDS);
        if (msgtype.equals("image")) {
          figures.count(Figure.IMAGE_SENDS);
        }
        life.acknowledged();
        return true;
      }
      case 45047 -> figures.count(Figure.COUNT_LIMITED);
      case 45015 -> figures.count(Figure.OUT_OF_TIME);
      case 40001, 42001 -> refused(app, token);
      default -> {
        if (!TokenFetches.QUOTA_ERRCODES.contains(answer.get().errcode())) {
          unexpected("a send", answer.get());
        }
      }
    }
    return false;
  }

  private Optional<String> upload(CrashApp app, String token, Random random) {
    byte[] image = new byte[PNG.length + 16];
    System.arraycopy(PNG, 0, image, 0, PNG.length);
    byte[] tail = new byte[16];
    random.nextBytes(tail);
    System.arraycopy(tail, 0, image, PNG.length, tail.length);
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"crash.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    form.writeBytes(image);
    form.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Optional<Client.Answer> answer = life.client.post("/cgi-bin/media/upload?type=image&access_token=" + token,
        form.toByteArray(), "multipart/form-data; boundary=" + BOUNDARY);
    if (answer.isEmpty()) {
      figures.count(Figure.CUT_OFF);
      return Optional.empty();
    }
    String mediaId = answer.get().json().path("media_id").asText("");
    if (!mediaId.isEmpty()) {
      ledger.uploads.add(new Ledger.Upload(app.appid(), mediaId, image, life.kefuNowMs));
      figures.count(Figure.UPLOADS);
      life.acknowledged();
      return Optional.of(mediaId);
    }
    int errcode = answer.get().errcode();
    if (errcode == 40001 || errcode == 42001) {
      refused(app, token);
    } else if (errcode == 45009) {
      figures.count(Figure.UPLOAD_QUOTA_REACHED);
    } else if (!TokenFetches.QUOTA_ERRCODES.contains(errcode)) {
      unexpected("a media upload", answer.get());
    }
    return Optional.empty();
  }

  private void refused(CrashApp app, String token) {
    figures.count(Figure.TOKEN_REFUSED);
    ledger.refusedTokens.add(token);
    tokens.get(app.appid()).compareAndSet(token, null);
  }

  /**
   * The app's agent: woken by each transfer the backend answers (or every 100 ms), takes the oldest waiting user,
   * writes to everyone held, and closes a session after its second message.
   */
  private void serveAsAgent(CrashApp app) {
    String agent = app.path() + "/agents/" + CrashApp.AGENT;
    Map<String, Integer> held = new LinkedHashMap<>();
    Optional<Client.Answer> queue = life.client.get(app.path() + "/queue");
    queue.ifPresent(q -> q.json().path("active").forEach(s -> {
      if (s.path("agent").asText().equals(CrashApp.AGENT)) {
        held.put(s.path("openid").asText(), 0);
      }
    }));
    int written = 0;
    while (life.running()) {
      try {
        backend.awaitTransfer(app.appid(), Duration.ofMillis(100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue = life.client.get(app.path() + "/queue");
      if (queue.isPresent() && !queue.get().json().path("waiting").isEmpty()) {
        Optional<Client.Answer> accepted = life.client.post(agent + "/accept", "");
        if (accepted.isPresent() && accepted.get().json().has("openid")) {
          held.put(accepted.get().json().path("openid").asText(), 0);
          figures.count(Figure.ACCEPTS);
          life.acknowledged();
        } else if (accepted.isPresent() && accepted.get().status() != 409) {
          unexpected("an accept", accepted.get());
        }
      }
      for (String openid : List.copyOf(held.keySet())) {
        String content = "a" + life.number + "." + ++written + " " + openid;
        ObjectNode body = Json.newObject().put("touser", openid).put("msgtype", "text");
        body.putObject("text").put("content", content);
        Optional<Client.Answer> answer = life.client.post(agent + "/messages", Json.write(body));
        if (!answered0(answer, "an agent message")) {
          held.remove(openid);
          continue;
        }
        long msgId = answer.get().json().path("msgid").asLong();
        ledger.agentMessages.add(new Ledger.AgentMessage(app.appid(), openid, msgId, content));
        figures.count(Figure.AGENT_MESSAGES);
        life.acknowledged();
        if (held.merge(openid, 1, Integer::sum) >= 2) {
          held.remove(openid);
          if (answered0(life.client.post(app.path() + "/sessions/" + openid + "/close", ""), "a session close")) {
            figures.count(Figure.CLOSES);
            life.acknowledged();
          }
        }
      }
    }
  }

  /** True when answered 0; counts a request cut off, and reports any other answer as unexpected. */
  private boolean answered0(Optional<Client.Answer> answer, String what) {
    if (answer.isEmpty()) {
      figures.count(Figure.CUT_OFF);
      return false;
    }
    if (answer.get().status() == 200 && answer.get().errcode() == 0) {
      return true;
    }
    unexpected(what, answer.get());
    return false;
  }

  private void unexpected(String what, Client.Answer answer) {
    figures.anomaly("unexpected answer to " + what + " in life " + life.number + ": " + answer);
  }
}
