package kefu.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import kefu.protocol.token.TokenKind;

/**
 * What the clients were answered, across every life of the child: the facts the invariants are checked against.
 * Only answers count; a request cut off by a kill is recorded only where it may still have taken effect (token
 * fetches, which can supersede others). Thread-safe: concurrent collections, and one sequence ({@link #tick}) that
 * orders the sending and answering of token fetches across all threads.
 */
final class Ledger {
  /** The answer sequence number of a request that was never answered. */
  static final long UNANSWERED = Long.MAX_VALUE;

  /**
   * A token fetch: sent at {@code sentSeq}, answered at {@code answeredSeq} ({@link #UNANSWERED} when cut off) with
   * {@code value} (null when refused or cut off), valid until {@code expiresAtMs} by its {@code expires_in}.
   */
  record TokenFetch(String appid, TokenKind kind, boolean forced, int life, long kefuNowMs, long sentSeq,
                    long answeredSeq, String value, long expiresAtMs) {
    boolean acknowledged() {
      return value != null;
    }

    /** Answered with a token, or cut off: either way it may have issued one (and superseded others). */
    boolean mayHaveIssued() {
      return value != null || answeredSeq == UNANSWERED;
    }

    /** Whether this fetch may have been committed after {@code other}'s: not answered before the other was sent. */
    boolean mayFollow(TokenFetch other) {
      return this != other && answeredSeq > other.sentSeq && life >= other.life;
    }
  }

  /** A user message answered 0: its MsgId and where kefu said it went ({@code push}, {@code agent}). */
  record UserMessage(String appid, String openid, long msgId, String content, String routedTo) {}

  /** A developer send answered 0; {@code key} is {@code text:content} or {@code image:media_id}. */
  record Send(String appid, String openid, String key) {
    static String key(String msgtype, String value) {
      return msgtype + ":" + value;
    }

    /** The key of a message as the conversation shows it. */
    static String keyOf(JsonNode message) {
      String msgtype = message.path("msgtype").asText();
      return key(msgtype, msgtype.equals("image") ? message.path("image").path("media_id").asText()
          : message.path("text").path("content").asText());
    }
  }

  record AgentMessage(String appid, String openid, long msgId, String content) {}

  /** An upload answered with a media_id, at {@code kefuNowMs}. */
  record Upload(String appid, String mediaId, byte[] bytes, long kefuNowMs) {}

  /**
   * One trigger and the burst of sends after it: the user's message was answered with {@code allowance} sends left,
   * and {@code acknowledged} of the sends that followed (before the user's next message) were answered 0.
   */
  record Phase(String appid, String openid, int life, int allowance, int acknowledged) {}

  /** Everything recorded, in the order recorded; read by copying ({@code List.copyOf}). */
  final Queue<TokenFetch> tokens = new ConcurrentLinkedQueue<>();
  final Queue<UserMessage> userMessages = new ConcurrentLinkedQueue<>();
  final Queue<Send> sends = new ConcurrentLinkedQueue<>();
  final Queue<AgentMessage> agentMessages = new ConcurrentLinkedQueue<>();
  final Queue<Upload> uploads = new ConcurrentLinkedQueue<>();
  /** Checked once each: taken by {@link #take}. */
  final Queue<Phase> phasesToCheck = new ConcurrentLinkedQueue<>();
  /** Tokens a call was refused for (40001, 42001). */
  final Set<String> refusedTokens = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();

  long tick() {
    return sequence.incrementAndGet();
  }

  /** What {@code queue} holds now, removed from it. */
  static <T> List<T> take(Queue<T> queue) {
    List<T> taken = new ArrayList<>();
    for (T t; (t = queue.poll()) != null; ) {
      taken.add(t);
    }
    return taken;
  }
}
