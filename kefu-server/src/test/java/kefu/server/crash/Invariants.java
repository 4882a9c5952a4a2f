package kefu.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.token.TokenKind;
import kefu.protocol.token.TokenRules;
import kefu.server.crash.Figures.Figure;
import kefu.server.crash.Ledger.TokenFetch;
import org.sqlite.SQLiteConfig;

/**
 * What must hold after every kill, checked against the ledger (what the clients were answered), the developer's
 * backend (what was pushed) and the restarted child's platform API:
 * <ul>
 *   <li>the killed child's database passes {@code PRAGMA integrity_check}, opened read-only before the restart (and
 *       the child starts on it as it is);</li>
 *   <li>every user message answered 0 and routed to push is pushed at least once, with the MsgId it was answered
 *       with; no MsgId names two messages (and a push repeated is repeated exactly: {@link DeveloperBackend}); a
 *       message routed to an agent is not pushed;</li>
 *   <li>every message answered 0 (user, developer send, agent) is in the user's conversation;</li>
 *   <li>no user got more sends than the allowance in any window: the sends answered 0 after a user message never
 *       outnumber the allowance that message was answered with, and in each conversation at most
 *       {@link CrashApp#ALLOWANCE} developer sends follow a user message, all within
 *       {@link CrashApp#WINDOW_SECONDS};</li>
 *   <li>a token answered stays valid until superseded (past the grace, or at once by a forced stable refresh) or
 *       expired, counting every fetch that may have committed after it, even one cut off by a kill; an ordinary token
 *       certainly superseded past its grace, or expired, is refused;</li>
 *   <li>every upload answered with a media_id is served with the same bytes, and no app had more uploads answered
 *       in a day than its API limits allow.</li>
 * </ul>
 * Anomalies are reported to {@link Figures}. Used by the test's thread only.
 */
final class Invariants {
  private static final Duration PUSH_WAIT = Duration.ofSeconds(30);
  private static final long GRACE_MS = TokenRules.GRACE.toMillis();
  private static final int CONVERSATION_LIMIT = 1000;

  private final List<CrashApp> apps;
  private final Ledger ledger;
  private final DeveloperBackend backend;
  private final Figures figures;
  private final TokenFetches tokenFetches;
  private final Set<String> checkedDead = new HashSet<>();
  /** How many of the ledger's uploads were checked (uploads are recorded during the load only, in order). */
  private int uploadsChecked;

  Invariants(List<CrashApp> apps, Ledger ledger, DeveloperBackend backend, Figures figures) {
    this.apps = apps;
    this.ledger = ledger;
    this.backend = backend;
    this.figures = figures;
    this.tokenFetches = new TokenFetches(ledger, figures);
  }

  /** Opens the killed child's database read-only (before anything else touches it): integrity_check says ok. */
  void storeOpensWithoutRepair(Path database, int kill) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite:" + database);
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(r.getString(1));
      }
      if (!rows.equals(List.of("ok"))) {
        figures.anomaly("integrity_check after kill " + kill + ": " + rows);
      }
    } catch (SQLException e) {
      figures.anomaly("the database after kill " + kill + " does not open read-only: " + e);
    }
  }

  /** Everything else, on the restarted child before its load starts. */
  void holdAfterRestart(Life life) throws InterruptedException {
    phasesStayedWithinTheirAllowance();
    userMessagesArePushed(life);
    conversationsHoldWhatWasAnswered(life);
    tokensStayValidUntilSupersededOrExpired(life);
    uploadsAreServed(life);
    uploadsStayWithinTheDailyQuota();
  }

  private void phasesStayedWithinTheirAllowance() {
    for (Ledger.Phase p : Ledger.take(ledger.phasesToCheck)) {
      if (p.allowance() > CrashApp.ALLOWANCE || p.acknowledged() > p.allowance()) {
        figures.anomaly(p.openid() + " in life " + p.life() + ": a message answered with " + p.allowance()
            + " sends left, then " + p.acknowledged() + " sends answered 0");
      }
    }
  }

  private void userMessagesArePushed(Life life) throws InterruptedException {
    List<Ledger.UserMessage> messages = List.copyOf(ledger.userMessages);
    List<Long> toPush = messages.stream().filter(m -> m.routedTo().equals("push"))
        .map(Ledger.UserMessage::msgId).toList();
    Set<Long> missing = backend.awaitPushed(toPush, PUSH_WAIT);
    if (!missing.isEmpty()) {
      figures.anomaly(missing.size() + " user messages answered 0 not pushed within " + PUSH_WAIT
          + " of restart " + life.number + ", e.g. MsgId " + missing.iterator().next());
    }
    for (Ledger.UserMessage m : messages) {
      Optional<DeveloperBackend.Pushed> pushed = backend.pushed(m.msgId());
      if (pushed.isEmpty()) {
        continue;
      }
      DeveloperBackend.Pushed p = pushed.get();
      if (!m.routedTo().equals("push")) {
        figures.anomaly("MsgId " + m.msgId() + " was answered as routed to " + m.routedTo() + " but was pushed");
      }
      if (!p.appid().equals(m.appid()) || !p.openid().equals(m.openid()) || !p.content().equals(m.content())) {
        figures.anomaly("MsgId " + m.msgId() + " was answered for " + m + " but pushed as " + p);
      }
    }
  }

  private void conversationsHoldWhatWasAnswered(Life life) {
    Map<String, List<Ledger.UserMessage>> userMessages = new HashMap<>();
    ledger.userMessages.forEach(m -> userMessages.computeIfAbsent(m.openid(), k -> new ArrayList<>()).add(m));
    Map<String, List<Ledger.Send>> sends = new HashMap<>();
    ledger.sends.forEach(s -> sends.computeIfAbsent(s.openid(), k -> new ArrayList<>()).add(s));
    Map<String, List<Ledger.AgentMessage>> agentMessages = new HashMap<>();
    ledger.agentMessages.forEach(m -> agentMessages.computeIfAbsent(m.openid(), k -> new ArrayList<>()).add(m));
    Map<String, List<DeveloperBackend.Pushed>> pushed = new HashMap<>();
    backend.allPushed().forEach(p -> pushed.computeIfAbsent(p.openid(), k -> new ArrayList<>()).add(p));
    Map<String, Optional<Client.Answer>> conversations = new HashMap<>();
    for (CrashApp app : apps) {
      conversations.putAll(concurrently(app.openids(), openid -> life.client.get(app.path() + "/users/" + openid
          + "/conversation?limit=" + CONVERSATION_LIMIT)));
    }
    Map<Long, String> owners = new HashMap<>();
    for (CrashApp app : apps) {
      for (String openid : app.openids()) {
        Optional<Client.Answer> answer = conversations.get(openid);
        if (answer.isEmpty() || answer.get().status() != 200 || answer.get().errcode() != 0) {
          figures.anomaly("the conversation of " + openid + " after restart " + life.number + ": " + answer);
          continue;
        }
        JsonNode messages = answer.get().json().path("messages");
        if (messages.size() >= CONVERSATION_LIMIT) {
          throw new AssertionError("the conversation of " + openid + " outgrew what the API returns ("
              + CONVERSATION_LIMIT + "): give the harness more users");
        }
        Map<Long, JsonNode> byMsgId = new HashMap<>();
        Map<String, Integer> sent = new HashMap<>();
        for (JsonNode m : messages) {
          long msgId = m.path("msgid").asLong();
          String previous = owners.putIfAbsent(msgId, openid);
          if (previous != null || byMsgId.put(msgId, m) != null) {
            figures.anomaly("MsgId " + msgId + " appears twice: in the conversations of " + previous + " and "
                + openid);
          }
          if (m.path("direction").asText().equals("to_user")) {
            sent.merge(Ledger.Send.keyOf(m), 1, Integer::sum);
          }
        }
        sendsStayWithinTheWindow(openid, messages);
        for (Ledger.UserMessage m : userMessages.getOrDefault(openid, List.of())) {
          matches(openid, byMsgId.get(m.msgId()), "from_user", m.content(), "user message " + m.msgId());
        }
        for (Ledger.AgentMessage m : agentMessages.getOrDefault(openid, List.of())) {
          matches(openid, byMsgId.get(m.msgId()), "from_agent", m.content(), "agent message " + m.msgId());
        }
        for (DeveloperBackend.Pushed p : pushed.getOrDefault(openid, List.of())) {
          matches(openid, byMsgId.get(p.msgId()), "from_user", p.content(), "pushed MsgId " + p.msgId());
        }
        for (Ledger.Send s : sends.getOrDefault(openid, List.of())) {
          if (sent.merge(s.key(), -1, Integer::sum) < 0) {
            figures.anomaly("a send to " + openid + " answered 0 is not in the conversation: " + s.key());
          } else {
            figures.count(Figure.MESSAGES_MATCHED);
          }
        }
      }
    }
  }

  private void matches(String openid, JsonNode stored, String direction, String content, String what) {
    if (stored == null || !stored.path("direction").asText().equals(direction)
        || !stored.path("text").path("content").asText().equals(content)) {
      figures.anomaly(what + " of " + openid + " (" + direction + " \"" + content + "\") is not in the conversation"
          + (stored == null ? "" : " as such: " + stored));
    } else {
      figures.count(Figure.MESSAGES_MATCHED);
    }
  }

  /** Walks the conversation in order: each developer send follows a user message, in its window and allowance. */
  private void sendsStayWithinTheWindow(String openid, JsonNode messages) {
    Long triggeredAt = null;
    int sentSince = 0;
    for (JsonNode m : messages) {
      long at = m.path("created_at_ms").asLong();
      switch (m.path("direction").asText()) {
        case "from_user" -> {
          triggeredAt = at;
          sentSince = 0;
        }
        case "to_user" -> {
          sentSince++;
          if (triggeredAt == null || at >= triggeredAt + CrashApp.WINDOW_SECONDS * 1000
              || sentSince > CrashApp.ALLOWANCE) {
            figures.anomaly("send " + m.path("msgid").asLong() + " to " + openid + " is send " + sentSince
                + " after the user message of " + triggeredAt + " (at " + at + ")");
          }
        }
        default -> {
          // agents' messages and system notices use no allowance
        }
      }
    }
  }

  private void tokensStayValidUntilSupersededOrExpired(Life life) {
    List<TokenFetch> fetches = List.copyOf(ledger.tokens);
    long now = life.kefuNowMs;
    Set<String> mustBeValid = new LinkedHashSet<>();
    Set<String> mustBeDead = new LinkedHashSet<>();
    for (TokenFetch t : fetches) {
      if (!t.acknowledged()) {
        continue;
      }
      if (mustBeValid(t, fetches, now)) {
        mustBeValid.add(t.value());
      } else if (t.kind() == TokenKind.ORDINARY && !checkedDead.contains(t.value()) && mustBeDead(t, fetches, now)) {
        mustBeDead.add(t.value());
      }
    }
    Map<String, Integer> verdicts = concurrently(mustBeValid, token -> authenticate(life, token));
    verdicts.putAll(concurrently(mustBeDead, token -> authenticate(life, token)));
    for (String token : mustBeValid) {
      int errcode = verdicts.get(token);
      if (errcode != 44002 || ledger.refusedTokens.contains(token)) {
        figures.anomaly("a token that had to stay valid " + (errcode != 44002 ? "is refused (" + errcode
            + ") after restart " + life.number : "was refused during the load") + ": " + token.substring(0, 12));
      } else {
        figures.count(Figure.TOKENS_STILL_VALID);
      }
    }
    for (String token : mustBeDead) {
      checkedDead.add(token);
      int errcode = verdicts.get(token);
      if (errcode != 40001 && errcode != 42001) {
        figures.anomaly("a token superseded past its grace or expired is answered " + errcode + " after restart "
            + life.number + ": " + token.substring(0, 12));
      } else {
        figures.count(Figure.TOKENS_DEAD);
      }
    }
  }

  /**
   * Not expired at {@code now}, and no fetch that may have committed after it may have revoked it by then: an
   * ordinary fetch revokes the earlier ordinary tokens after the grace, a forced stable refresh the earlier stable
   * tokens at once.
   */
  private static boolean mustBeValid(TokenFetch t, List<TokenFetch> fetches, long now) {
    return now < t.expiresAtMs() && fetches.stream()
        .filter(s -> s.appid().equals(t.appid()) && s.kind() == t.kind() && s.mayHaveIssued() && s.mayFollow(t))
        .noneMatch(s -> t.kind() == TokenKind.ORDINARY ? now >= s.kefuNowMs() + GRACE_MS : s.forced());
  }

  /** Expired, or an ordinary token answered after it was sent (so committed after it) more than the grace ago. */
  private static boolean mustBeDead(TokenFetch t, List<TokenFetch> fetches, long now) {
    return now >= t.expiresAtMs() || fetches.stream().anyMatch(s -> s.appid().equals(t.appid())
        && s.kind() == TokenKind.ORDINARY && s.acknowledged() && s.sentSeq() > t.answeredSeq()
        && now >= s.kefuNowMs() + GRACE_MS);
  }

  /** A send with an empty body: 44002 once the token is accepted, 40001/42001 when it is refused. */
  private int authenticate(Life life, String token) {
    Optional<Client.Answer> answer = life.client.post("/cgi-bin/message/custom/send?access_token=" + token, "");
    return answer.map(Client.Answer::errcode).orElse(-2);
  }

  private void uploadsAreServed(Life life) {
    List<Ledger.Upload> all = List.copyOf(ledger.uploads);
    List<Ledger.Upload> uploads = all.subList(uploadsChecked, all.size());
    uploadsChecked = all.size();
    for (CrashApp app : apps) {
      List<Ledger.Upload> own = uploads.stream().filter(u -> u.appid().equals(app.appid())).toList();
      if (own.isEmpty()) {
        continue;
      }
      Optional<String> token = tokenFetches.fetch(life, app, TokenKind.STABLE, false);
      if (token.isEmpty()) {
        figures.anomaly("no stable token to check the uploads of " + app.appid() + " after restart " + life.number);
        continue;
      }
      Map<Ledger.Upload, Optional<Client.Answer>> answers = concurrently(own, u -> life.client.get(
          "/cgi-bin/media/get?access_token=" + token.get() + "&media_id=" + u.mediaId()));
      for (Ledger.Upload u : own) {
        Optional<Client.Answer> served = answers.get(u);
        if (served.isEmpty() || served.get().status() != 200 || !Arrays.equals(served.get().body(), u.bytes())) {
          figures.anomaly("upload " + u.mediaId() + " answered before the kill is not served after restart "
              + life.number + ": " + served);
        } else {
          figures.count(Figure.MEDIA_SERVED);
        }
      }
    }
  }

  /** No app had more uploads answered in a (Beijing) day than its limits allow. */
  private void uploadsStayWithinTheDailyQuota() {
    record Day(String appid, Instant start) {}
    Map<Day, Integer> perDay = new HashMap<>();
    ledger.uploads.forEach(u -> perDay.merge(
        new Day(u.appid(), ApiLimits.dayStart(Instant.ofEpochMilli(u.kefuNowMs()))), 1, Integer::sum));
    for (CrashApp app : apps) {
      perDay.forEach((day, answered) -> {
        if (day.appid().equals(app.appid()) && app.dailyUploads() > 0 && answered > app.dailyUploads()) {
          figures.anomaly(answered + " uploads of " + app.appid() + " answered on the day from " + day.start()
              + ", over its quota of " + app.dailyUploads());
        }
      });
    }
  }

  /** {@code call} for each of {@code keys}, all at once (on virtual threads); the results by key. */
  private static <K, V> Map<K, V> concurrently(Collection<K> keys, Function<K, V> call) {
    Map<K, Future<V>> futures = new HashMap<>();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      keys.forEach(k -> futures.put(k, calls.submit(() -> call.apply(k))));
    }
    Map<K, V> results = new HashMap<>();
    futures.forEach((k, f) -> results.put(k, f.resultNow()));
    return results;
  }
}
