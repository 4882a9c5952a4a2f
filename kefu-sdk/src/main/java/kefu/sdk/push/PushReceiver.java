package kefu.sdk.push;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import kefu.protocol.push.EncryptedReply;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushCodec;
import kefu.protocol.push.PushDocument;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.Signatures;
import kefu.protocol.push.TransferReply;

/**
 * The developer's end of message push (spec §6, §7), for any HTTP server: {@link #urlCheck}/{@link #checkUrl} answer
 * WeChat's {@code GET} URL check, {@link #handle} a {@code POST} push. Both take the decoded query parameters and
 * answer a {@link PushReply} value; bad input (a bad signature, a failed decryption, a malformed body) is a
 * {@link PushReply.Rejected}, never an exception.
 *
 * <p>A push is <b>opened</b> (verified, decrypted, parsed), <b>decided</b> (de-duplicated, then the
 * {@link PushHandler}) and <b>rendered</b>:
 * <ul>
 *   <li>{@link PushMode#PLAIN}: {@code signature} = sha1(sort(Token, timestamp, nonce)) must match; the body is the
 *       plaintext.
 *   <li>{@link PushMode#SECURE}: the body must carry {@code Encrypt}; {@code msg_signature} =
 *       sha1(sort(Token, timestamp, nonce, Encrypt)) must match (the doc says to check it rather than
 *       {@code signature}); the plaintext is decrypted with the EncodingAESKey and its trailing appid must be this
 *       receiver's. The envelope's {@code ToUserName} and the query's {@code openid}, when present, must agree with it.
 *   <li>{@link PushMode#COMPAT}: an encrypted push is opened as in secure mode and its plaintext fields, when present,
 *       must describe the same event as the decrypted copy, which is the one used; a push without {@code Encrypt} is
 *       read as in plain mode.
 * </ul>
 * The format is the one configured, or, when none is, told by the body's first non-blank character. A
 * {@link Reaction.TransferToAgents} to a message is rendered as {@code transfer_customer_service} in the push's own
 * format ({@link TransferReply}), encrypted in secure mode ({@link EncryptedReply}: a fresh TimeStamp and Nonce, with
 * {@code MsgSignature} over them); compatible mode replies in plaintext, which it accepts. A transfer asked for an
 * event is not allowed (spec §7): the receiver answers {@code success} and says so in
 * {@link PushReply.Answered#warning()}.
 *
 * <p>Thread-safety: immutable once built. The handler and the {@link Deduplicator} are called from whichever threads
 * call {@link #handle}, and must be thread-safe; so must the {@link RandomGenerator} (the default, a
 * {@link SecureRandom}, is).
 */
public final class PushReceiver {
  /** Larger push bodies are malformed: WeChat's are a few kilobytes. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_DEDUP_TTL = Duration.ofMinutes(10);

  private final String token;
  private final String appid;
  private final PushFormat format;
  private final PushMode mode;
  private final PushCipher cipher;
  private final PushHandler handler;
  private final Deduplicator deduplicator;
  private final Duration dedupTtl;
  private final Clock clock;
  private final RandomGenerator random;

  private PushReceiver(Builder b) {
    this.token = b.token;
    this.appid = b.appid;
    this.format = b.format;
    this.mode = b.mode;
    this.cipher = b.mode.encrypts() ? new PushCipher(b.encodingAesKey, b.appid) : null;
    this.handler = b.handler;
    this.deduplicator = b.deduplicator;
    this.dedupTtl = b.dedupTtl;
    this.clock = b.clock;
    this.random = b.random;
  }

  public static Builder builder() {
    return new Builder();
  }

  // --- the URL check (spec §6.2) -------------------------------------------------------------------------------

  /**
   * WeChat's URL check, {@code GET ?signature&timestamp&nonce&echostr}: {@link PushReply.Echo} when the signature
   * holds (the echostr is plain in every mode), else {@link PushReply.Rejected}.
   */
  public PushReply urlCheck(Map<String, String> query) {
    String signature = query.get("signature");
    String timestamp = query.get("timestamp");
    String nonce = query.get("nonce");
    String echostr = query.get("echostr");
    if (signature == null || timestamp == null || nonce == null || echostr == null) {
      return new PushReply.Rejected(Rejection.MISSING_PARAMETER,
          "a URL check needs signature, timestamp, nonce and echostr");
    }
    if (!matches(Signatures.signature(token, timestamp, nonce), signature)) {
      return new PushReply.Rejected(Rejection.BAD_SIGNATURE, "signature does not match the token, timestamp and "
          + "nonce (sha1 of the three sorted and joined)");
    }
    return new PushReply.Echo(echostr);
  }

  /** The body to answer a URL check with: the echostr when the signature holds, else a refusal text. */
  public String checkUrl(Map<String, String> query) {
    return urlCheck(query).body();
  }

  // --- pushes (spec §6.3 to §6.5, §7) --------------------------------------------------------------------------

  /** One push: opened, decided by the handler (once per push with a de-duplicator), and answered. */
  public PushReply handle(Map<String, String> query, byte[] body) {
    Opened opened = open(query, body);
    if (opened.rejected() != null) {
      return opened.rejected();
    }
    Inbound inbound = opened.inbound();
    String key = inbound.dedupKey();
    if (!deduplicator.firstTime(key, dedupTtl)) {
      return new PushReply.Duplicate(inbound, key);
    }
    Reaction reaction;
    try {
      reaction = Objects.requireNonNull(handler.react(inbound), "the push handler returned null");
    } catch (RuntimeException | Error e) {
      deduplicator.forget(key);
      throw e;
    }
    return render(inbound, reaction, opened.format(), query.get("nonce"));
  }

  /** Either the push's event and the format it came in, or why it was refused. */
  private record Opened(Inbound inbound, PushFormat format, PushReply.Rejected rejected) {
    static Opened refuse(Rejection rejection, String detail) {
      return new Opened(null, null, new PushReply.Rejected(rejection, detail));
    }
  }

  private Opened open(Map<String, String> query, byte[] body) {
    String timestamp = query.get("timestamp");
    String nonce = query.get("nonce");
    if (timestamp == null || nonce == null) {
      return Opened.refuse(Rejection.MISSING_PARAMETER, "a push needs timestamp and nonce in the query");
    }
    if (body != null && body.length > MAX_BODY_BYTES) {
      return Opened.refuse(Rejection.MALFORMED, "the body is " + body.length + " bytes, more than "
          + MAX_BODY_BYTES);
    }
    Optional<String> text = utf8(body == null ? new byte[0] : body);
    if (text.isEmpty()) {
      return Opened.refuse(Rejection.MALFORMED, "the body is not UTF-8");
    }
    PushDocument.Read read = PushDocument.read(text.get());
    if (read instanceof PushDocument.Read.Bad) {
      return Opened.refuse(Rejection.MALFORMED, ((PushDocument.Read.Bad) read).reason());
    }
    PushDocument.Read.Fields outer = (PushDocument.Read.Fields) read;
    if (format != null && outer.format() != format) {
      return Opened.refuse(Rejection.WRONG_FORMAT, "expected " + format.wireName() + ", the body is "
          + outer.format().wireName());
    }
    boolean encrypted = outer.has("Encrypt");
    if (mode == PushMode.SECURE && !encrypted) {
      return Opened.refuse(Rejection.NOT_ENCRYPTED, "secure mode: the body has no Encrypt");
    }
    if (mode == PushMode.PLAIN || !encrypted) {
      String signature = query.get("signature");
      if (signature == null) {
        return Opened.refuse(Rejection.MISSING_PARAMETER, "a push needs signature in the query");
      }
      if (!matches(Signatures.signature(token, timestamp, nonce), signature)) {
        return Opened.refuse(Rejection.BAD_SIGNATURE, "signature does not match the token, timestamp and nonce");
      }
      Opened plain = typed(PushDocument.event(outer.values()), outer.format());
      if (encrypted && plain.rejected() != null && plain.rejected().rejection() == Rejection.MALFORMED) {
        return Opened.refuse(Rejection.MALFORMED, plain.rejected().detail()
            + " (the body has Encrypt: is the receiver in plain mode while WeChat encrypts?)");
      }
      return plain;
    }
    String msgSignature = query.get("msg_signature");
    if (msgSignature == null) {
      return Opened.refuse(Rejection.MISSING_PARAMETER, "an encrypted push needs msg_signature in the query");
    }
    String encrypt = outer.get("Encrypt").orElseThrow();
    if (!matches(Signatures.msgSignature(token, timestamp, nonce, encrypt), msgSignature)) {
      return Opened.refuse(Rejection.BAD_MSG_SIGNATURE,
          "msg_signature does not match the token, timestamp, nonce and Encrypt");
    }
    PushCipher.Opened decrypted = cipher.decrypt(encrypt);
    if (decrypted instanceof PushCipher.Opened.Failed) {
      String reason = ((PushCipher.Opened.Failed) decrypted).reason();
      return Opened.refuse(reason.startsWith("appid mismatch") ? Rejection.WRONG_APPID : Rejection.DECRYPTION_FAILED,
          reason + (reason.startsWith("appid mismatch") ? ", expected " + appid : ""));
    }
    PushDocument.Read innerRead = PushDocument.read(((PushCipher.Opened.Ok) decrypted).message());
    if (innerRead instanceof PushDocument.Read.Bad) {
      return Opened.refuse(Rejection.MALFORMED, "in the decrypted push: " + ((PushDocument.Read.Bad) innerRead)
          .reason());
    }
    PushDocument.Read.Fields inner = (PushDocument.Read.Fields) innerRead;
    PushDocument.Typed typed = PushDocument.event(inner.values());
    Optional<String> outerTo = outer.get("ToUserName");
    Optional<String> innerTo = inner.get("ToUserName");
    if (outerTo.isPresent() && innerTo.isPresent() && !outerTo.equals(innerTo)) {
      return Opened.refuse(Rejection.COPIES_DIFFER, "ToUserName differs outside and inside Encrypt");
    }
    String openid = query.get("openid");
    Optional<String> innerFrom = inner.get("FromUserName");
    if (openid != null && innerFrom.isPresent() && !openid.equals(innerFrom.get())) {
      return Opened.refuse(Rejection.COPIES_DIFFER, "the query's openid is not the push's FromUserName");
    }
    if (mode == PushMode.COMPAT && outer.has("MsgType")
        && !PushDocument.event(withoutEncrypt(outer.values())).equals(typed)) {
      return Opened.refuse(Rejection.COPIES_DIFFER,
          "compatible mode: the plaintext fields and the decrypted copy describe different pushes");
    }
    return typed(typed, outer.format());
  }

  private static Opened typed(PushDocument.Typed typed, PushFormat format) {
    if (typed instanceof PushDocument.Typed.Known) {
      return new Opened(Inbound.of(((PushDocument.Typed.Known) typed).event()), format, null);
    }
    if (typed instanceof PushDocument.Typed.Unknown) {
      PushDocument.Typed.Unknown u = (PushDocument.Typed.Unknown) typed;
      return Opened.refuse(Rejection.UNKNOWN_TYPE, "MsgType " + u.msgType()
          + (u.event() == null ? "" : ", Event " + u.event()) + " is not a type the SDK models; answered success");
    }
    return Opened.refuse(Rejection.MALFORMED, ((PushDocument.Typed.Bad) typed).reason());
  }

  private PushReply render(Inbound inbound, Reaction reaction, PushFormat replyFormat, String pushNonce) {
    if (!(reaction instanceof Reaction.TransferToAgents)) {
      return new PushReply.Answered(inbound, reaction, PushReply.TEXT_PLAIN, PushReply.SUCCESS, Optional.empty());
    }
    if (!(inbound instanceof Inbound.Message)) {
      return new PushReply.Answered(inbound, Reaction.success(), PushReply.TEXT_PLAIN, PushReply.SUCCESS,
          Optional.of("transfer_customer_service is not allowed in reply to an event (spec §7): answered success"));
    }
    long now = clock.instant().getEpochSecond();
    String kfAccount = ((Reaction.TransferToAgents) reaction).kfAccount();
    String body = new TransferReply(inbound.openid(), inbound.originalId(), now, kfAccount).render(replyFormat);
    if (mode == PushMode.SECURE) {
      String nonce = String.valueOf(random.nextLong(100_000_000L, 10_000_000_000L));
      body = EncryptedReply.seal(body, cipher, token, now, nonce, PushCipher.randomPrefix(random))
          .render(replyFormat);
    }
    String contentType = replyFormat == PushFormat.XML ? PushCodec.XML_CONTENT_TYPE : PushCodec.JSON_CONTENT_TYPE;
    return new PushReply.Answered(inbound, reaction, contentType, body, Optional.empty());
  }

  private static Map<String, String> withoutEncrypt(Map<String, String> fields) {
    Map<String, String> copy = new java.util.LinkedHashMap<>(fields);
    copy.remove("Encrypt");
    return copy;
  }

  /** Constant-time comparison of a computed signature with a received one (hex case ignored). */
  private static boolean matches(String expected, String received) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        received.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  private static Optional<String> utf8(byte[] body) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  public PushMode mode() {
    return mode;
  }

  /** The configured format, or empty when it is told from each body. */
  public Optional<PushFormat> format() {
    return Optional.ofNullable(format);
  }

  @Override
  public String toString() {
    return "PushReceiver[appid=" + appid + ", token=****, encodingAesKey=" + (cipher == null ? "none" : "****")
        + ", format=" + (format == null ? "auto" : format.wireName()) + ", mode=" + mode.wireName()
        + ", deduplicator=" + deduplicator + "]";
  }

  /**
   * The receiver's configuration. {@code token} and the handler are required; {@code encodingAesKey} and
   * {@code appid} too in compatible and secure mode. {@link #build()} checks it once and names the property at fault.
   */
  public static final class Builder {
    private String token;
    private String encodingAesKey;
    private String appid;
    private PushFormat format;
    private PushMode mode = PushMode.PLAIN;
    private PushHandler handler;
    private Deduplicator deduplicator = Deduplicator.NONE;
    private Duration dedupTtl = DEFAULT_DEDUP_TTL;
    private Clock clock;
    private RandomGenerator random;

    private Builder() {}

    /** The push Token (signatures). */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The 43-character EncodingAESKey; required in compatible and secure mode. */
    public Builder encodingAesKey(String encodingAesKey) {
      this.encodingAesKey = encodingAesKey;
      return this;
    }

    /** The mini program's appid: the trailer every decrypted push must carry, and the one replies carry. */
    public Builder appid(String appid) {
      this.appid = appid;
      return this;
    }

    /** The data format configured in WeChat; null (the default) tells it from each body's first character. */
    public Builder format(PushFormat format) {
      this.format = format;
      return this;
    }

    /** The message-encryption mode configured in WeChat; {@link PushMode#PLAIN} by default. */
    public Builder mode(PushMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder handler(PushHandler handler) {
      this.handler = handler;
      return this;
    }

    /** Answer repeats of a push handled less than {@code ttl} ago with {@code success}, without the handler. */
    public Builder deduplicator(Deduplicator deduplicator, Duration ttl) {
      this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
      this.dedupTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** The clock for the replies' CreateTime and TimeStamp; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Randomness for the replies' Nonce and the encryption's random prefix; a {@link SecureRandom} by default. */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /** @throws IllegalArgumentException naming the property that is missing or unusable */
    public PushReceiver build() {
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException("token is required");
      }
      if (handler == null) {
        throw new IllegalArgumentException("handler is required");
      }
      if (dedupTtl.isNegative() || dedupTtl.isZero()) {
        throw new IllegalArgumentException("the de-duplication ttl must be positive, was " + dedupTtl);
      }
      if (mode.encrypts()) {
        if (appid == null || appid.isEmpty()) {
          throw new IllegalArgumentException("appid is required in " + mode.wireName() + " mode");
        }
        Optional<String> keyProblem = PushCipher.checkKey(encodingAesKey);
        if (keyProblem.isPresent()) {
          throw new IllegalArgumentException("encodingAesKey: " + keyProblem.get() + " (required in "
              + mode.wireName() + " mode)");
        }
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new PushReceiver(this);
    }
  }
}
