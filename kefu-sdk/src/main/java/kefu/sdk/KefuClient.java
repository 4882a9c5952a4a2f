package kefu.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import kefu.protocol.media.ImageFormat;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.protocol.typing.TypingCommand;
import kefu.protocol.window.WindowRules;
import kefu.sdk.token.InMemoryTokenStore;
import kefu.sdk.token.StoredToken;
import kefu.sdk.token.TokenPolicy;
import kefu.sdk.token.TokenStore;
import kefu.sdk.window.WindowState;
import kefu.sdk.window.WindowTracker;

/**
 * A client of WeChat's mini-program customer-service API (spec §2–§5), for WeChat itself or for kefu: the same code
 * runs against both, only {@link Builder#baseUrl} differs.
 *
 * <pre>{@code
 * KefuClient client = KefuClient.builder()
 *     .appid("wx0123456789abcdef").secret(secret)
 *     .baseUrl(URI.create("http://127.0.0.1:8080"))   // default https://api.weixin.qq.com
 *     .tokenStore(new RedisTokenStore(redis))          // share the token across processes
 *     .build();
 * client.sendText(openid, "你好");
 * }</pre>
 *
 * <p>Every call fetches and caches the access token itself (see {@link TokenStore}), refreshes it
 * {@link TokenPolicy#refreshMargin() before it expires}, and, when WeChat answers 40001/40014/42001, drops that token,
 * refreshes once and repeats the call once. A {@code -1} answer is retried per {@link Retries}. Any other errcode
 * is thrown as a {@link WxException}, the only exception of the SDK besides {@link UncheckedIOException} from
 * reading a local file.
 *
 * <p>Thread-safety: a client is immutable but for its token cache and window tracker, each of which documents its
 * own guard; share one client per app in a process.
 */
public final class KefuClient {
  /** WeChat's API host. */
  public static final URI WECHAT = URI.create("https://api.weixin.qq.com");

  private static final Set<Integer> TOKEN_ERRORS = Set.of(WxError.INVALID_CREDENTIAL.code(),
      WxError.INVALID_ACCESS_TOKEN.code(), WxError.ACCESS_TOKEN_EXPIRED.code());
  private static final Pattern FILENAME = Pattern.compile("filename\\*?=\"?(?:[A-Za-z0-9-]+'[^']*')?([^\";]*)\"?");

  private enum Introspection { UNKNOWN, PRESENT, ABSENT }

  private final String appid;
  private final String secret;
  private final String base;
  private final URI baseUrl;
  private final boolean stableToken;
  private final Clock clock;
  private final Duration requestTimeout;
  private final Retries retries;
  private final Sleeper sleeper;
  private final String adminToken;
  private final Wire wire;
  private final TokenCache tokens;
  private final WindowTracker tracker;
  /** Whether the server has kefu's window endpoint; learnt on first use, never unlearnt once absent. */
  private volatile Introspection introspection;

  private KefuClient(Builder b, Clock clock, TokenStore tokenStore) {
    this.appid = b.appid;
    this.secret = b.secret;
    this.baseUrl = b.baseUrl;
    String s = b.baseUrl.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.stableToken = b.stableToken;
    this.clock = clock;
    this.requestTimeout = b.requestTimeout;
    this.retries = b.retries;
    this.sleeper = b.sleeper;
    this.adminToken = b.adminToken;
    this.wire = new Wire(b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build());
    this.tokens = new TokenCache(appid, tokenStore, clock, b.tokenPolicy, sleeper, this::fetchToken);
    this.tracker = b.windowTracker != null ? b.windowTracker : new WindowTracker(b.windowRules, clock);
    this.introspection = WECHAT.getHost().equalsIgnoreCase(b.baseUrl.getHost())
        ? Introspection.ABSENT : Introspection.UNKNOWN;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String appid() {
    return appid;
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /** The client-side window estimate that {@link #window} falls back to; feed it from your push handler. */
  public WindowTracker windowTracker() {
    return tracker;
  }

  // ---- token (spec §2) ----

  /** A valid access token: the cached or shared one, or a new one. */
  public String accessToken() {
    return tokens.current().orThrow().value();
  }

  /**
   * As {@link #accessToken()}; with {@code forceRefresh}, a new token whatever the cached one (a stable token is
   * asked for with {@code force_refresh=true}: at most 20 a day, 30 s apart, and it kills the previous one at once).
   */
  public String accessToken(boolean forceRefresh) {
    return (forceRefresh ? tokens.forceRefresh() : tokens.current()).orThrow().value();
  }

  private Outcome<StoredToken> fetchToken(boolean force) {
    return withBackoff(() -> {
      HttpRequest request;
      if (stableToken) {
        ObjectNode body = Json.newObject().put("grant_type", "client_credential").put("appid", appid)
            .put("secret", secret).put("force_refresh", force);
        request = post(base + "/cgi-bin/stable_token", body);
      } else {
        request = get(base + "/cgi-bin/token?grant_type=client_credential&appid=" + enc(appid)
            + "&secret=" + enc(secret));
      }
      Outcome<ObjectNode> answer = json(request, true);
      if (!(answer instanceof Outcome.Ok<ObjectNode> ok)) {
        return answer.asFailure();
      }
      JsonNode value = ok.value().get("access_token");
      JsonNode expiresIn = ok.value().get("expires_in");
      if (value == null || !value.isTextual() || expiresIn == null || !expiresIn.canConvertToLong()) {
        return Outcome.failed(Failure.transport("token answer without access_token/expires_in", null, true));
      }
      Instant now = clock.instant();
      return Outcome.ok(new StoredToken(value.textValue(), now, now.plusSeconds(expiresIn.asLong())));
    });
  }

  // ---- send (spec §3) ----

  /** Sends {@code message} to the user {@code openid} ({@code custom/send}). */
  public void send(String openid, Message message) {
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(message, "message");
    ObjectNode body = Json.newObject().put("touser", openid);
    body.setAll(MessageCodec.encode(message));
    Outcome<ObjectNode> outcome = authorized(
        token -> post(base + "/cgi-bin/message/custom/send?access_token=" + enc(token), body), false,
        response -> Wire.json(response, false));
    if (outcome instanceof Outcome.Ok) {
      tracker.sent(openid);
    } else if (outcome instanceof Outcome.Failed<ObjectNode> f) {
      tracker.sendRefused(openid, f.failure().error());
    }
    outcome.orThrow();
  }

  public void sendText(String openid, String content) {
    send(openid, new Message.Text(content));
  }

  /** An image uploaded with {@link #uploadImage(byte[])}. */
  public void sendImage(String openid, String mediaId) {
    send(openid, new Message.Image(mediaId));
  }

  /** A link card; {@code thumbUrl} is a JPG or PNG. */
  public void sendLink(String openid, String title, String description, String url, String thumbUrl) {
    send(openid, new Message.Link(title, description, url, thumbUrl));
  }

  /** A card opening {@code pagePath} of this mini program; the thumbnail is an uploaded image. */
  public void sendMiniProgramPage(String openid, String title, String pagePath, String thumbMediaId) {
    send(openid, new Message.MiniProgramPage(title, pagePath, thumbMediaId, null));
  }

  // ---- typing (spec §4) ----

  /** Shows "typing…" to the user for up to 15 s; needs an open window and an exchange in the last 30 s. */
  public void typing(String openid) {
    typing(openid, TypingCommand.TYPING);
  }

  public void cancelTyping(String openid) {
    typing(openid, TypingCommand.CANCEL_TYPING);
  }

  private void typing(String openid, TypingCommand command) {
    Objects.requireNonNull(openid, "openid");
    ObjectNode body = Json.newObject().put("touser", openid).put("command", command.wireName());
    authorized(token -> post(base + "/cgi-bin/message/custom/business/typing?access_token=" + enc(token), body),
        false, response -> Wire.json(response, false)).orThrow();
  }

  // ---- media (spec §5) ----

  /** Uploads a temporary image (JPEG, PNG, GIF or BMP; 3 days) as the multipart part {@code media}. */
  public UploadedMedia uploadImage(byte[] image) {
    Objects.requireNonNull(image, "image");
    String ext = ImageFormat.sniff(image).map(ImageFormat::extension).orElse("bin");
    return upload(image, "media." + ext);
  }

  /**
   * Uploads the image in {@code file}.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public UploadedMedia uploadImage(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Path name = file.getFileName();
    return upload(bytes, name == null ? "media" : name.toString());
  }

  private UploadedMedia upload(byte[] image, String filename) {
    String boundary = "----kefu-sdk-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    byte[] body = multipart(boundary, filename, ImageFormat.sniff(image).map(ImageFormat::contentType)
        .orElse("application/octet-stream"), image);
    return authorized(token -> HttpRequest.newBuilder(URI.create(base + "/cgi-bin/media/upload?access_token="
                + enc(token) + "&type=image"))
            .timeout(requestTimeout)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        false, response -> {
          Outcome<ObjectNode> answer = Wire.json(response, false);
          if (!(answer instanceof Outcome.Ok<ObjectNode> ok)) {
            return answer.<UploadedMedia>asFailure();
          }
          ObjectNode o = ok.value();
          JsonNode createdAt = o.get("created_at");
          if (!o.path("media_id").isTextual() || createdAt == null
              || !(createdAt.canConvertToLong() || createdAt.asText("").matches("\\d+"))) {
            return Outcome.<UploadedMedia>failed(Failure.transport("upload answer without media_id/created_at",
                null, false));
          }
          return Outcome.ok(new UploadedMedia(o.path("type").asText("image"), o.get("media_id").textValue(),
              Instant.ofEpochSecond(createdAt.isNumber() ? createdAt.asLong() : Long.parseLong(createdAt.asText()))));
        }).orThrow();
  }

  private static byte[] multipart(String boundary, String filename, String contentType, byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 256);
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"media\"; filename=\"" + filename.replace("\"", "") + "\"\r\n"
        + "Content-Type: " + contentType + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Downloads a temporary media file ({@code media/get}): an upload, or an image a user sent. */
  public Media downloadMedia(String mediaId) {
    Objects.requireNonNull(mediaId, "mediaId");
    return authorized(token -> get(base + "/cgi-bin/media/get?access_token=" + enc(token)
            + "&media_id=" + enc(mediaId)), true,
        response -> {
          if (Wire.isJson(response) || response.statusCode() != 200) {
            Outcome<ObjectNode> answer = Wire.json(response, true);
            return answer instanceof Outcome.Failed ? answer.<Media>asFailure()
                : Outcome.<Media>failed(Failure.transport("media/get answered JSON without an errcode", null, false));
          }
          String disposition = response.headers().firstValue("Content-Disposition").orElse("");
          Matcher m = FILENAME.matcher(disposition);
          return Outcome.ok(new Media(response.body(), Wire.contentType(response), m.find() ? m.group(1) : ""));
        }).orThrow();
  }

  // ---- window ----

  /**
   * The user's send window. From kefu's introspection endpoint when the server has it (exact); otherwise, as on
   * WeChat, the {@link #windowTracker() tracker's} estimate.
   */
  public WindowState window(String openid) {
    Objects.requireNonNull(openid, "openid");
    if (introspection == Introspection.ABSENT) {
      return tracker.state(openid);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/kefu/v1/apps/" + enc(appid)
        + "/users/" + enc(openid) + "/window")).timeout(requestTimeout).GET();
    if (adminToken != null) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    HttpRequest built = request.build();
    Outcome<HttpResponse<byte[]>> exchanged = withBackoff(() -> wire.exchange(built, true));
    HttpResponse<byte[]> response = exchanged.orThrow();
    boolean json = Json.object(response.body()).isPresent();
    if (response.statusCode() == 404 || !json) {
      introspection = Introspection.ABSENT;
      return tracker.state(openid);
    }
    ObjectNode o = Wire.json(response, true).orThrow();
    if (!o.path("open").isBoolean()) {
      introspection = Introspection.ABSENT;
      return tracker.state(openid);
    }
    introspection = Introspection.PRESENT;
    boolean open = o.get("open").booleanValue();
    Instant closesAt = null;
    if (open && o.path("expires_at_ms").canConvertToLong()) {
      closesAt = Instant.ofEpochMilli(o.get("expires_at_ms").asLong());
    } else if (open && o.path("expires_at").canConvertToLong()) {
      closesAt = Instant.ofEpochSecond(o.get("expires_at").asLong());
    }
    return new WindowState(open, Math.max(0, o.path("remaining").asInt(0)), closesAt, o.path("rule").asText(""),
        WindowState.Source.KEFU);
  }

  // ---- the call discipline ----

  /**
   * A call carrying the access token: with the current token; on a token error once more with a replacement.
   * {@code -1} answers are retried within each of the two.
   */
  private <T> Outcome<T> authorized(Function<String, HttpRequest> request, boolean idempotent,
                                    Function<HttpResponse<byte[]>, Outcome<T>> read) {
    Outcome<StoredToken> token = tokens.current();
    if (!(token instanceof Outcome.Ok<StoredToken> ok)) {
      return token.asFailure();
    }
    String used = ok.value().value();
    Outcome<T> outcome = withToken(used, request, idempotent, read);
    if (outcome instanceof Outcome.Failed<T> f && TOKEN_ERRORS.contains(f.failure().errcode())) {
      Outcome<StoredToken> replacement = tokens.replacing(used);
      if (!(replacement instanceof Outcome.Ok<StoredToken> next)) {
        return replacement.asFailure();
      }
      outcome = withToken(next.value().value(), request, idempotent, read);
    }
    return outcome;
  }

  private <T> Outcome<T> withToken(String token, Function<String, HttpRequest> request, boolean idempotent,
                                   Function<HttpResponse<byte[]>, Outcome<T>> read) {
    HttpRequest built = request.apply(token);
    return withBackoff(() -> {
      Outcome<HttpResponse<byte[]>> exchanged = wire.exchange(built, idempotent);
      return exchanged instanceof Outcome.Ok<HttpResponse<byte[]>> ok ? read.apply(ok.value())
          : exchanged.asFailure();
    });
  }

  /** Tries {@code attempt} until it succeeds, fails for good, or {@link Retries#attempts()} are used. */
  private <T> Outcome<T> withBackoff(Supplier<Outcome<T>> attempt) {
    for (int n = 1; ; n++) {
      Outcome<T> outcome = attempt.get();
      if (!(outcome instanceof Outcome.Failed<T> f) || !f.failure().retryable() || n >= retries.attempts()) {
        return outcome;
      }
      try {
        sleeper.sleep(retries.backoffAfter(n));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome;
      }
    }
  }

  private Outcome<ObjectNode> json(HttpRequest request, boolean idempotent) {
    Outcome<HttpResponse<byte[]>> exchanged = wire.exchange(request, idempotent);
    return exchanged instanceof Outcome.Ok<HttpResponse<byte[]>> ok ? Wire.json(ok.value(), idempotent)
        : exchanged.asFailure();
  }

  private HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout).GET().build();
  }

  private HttpRequest post(String uri, ObjectNode body) {
    return HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
        .build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Masks the secret and the admin token. */
  @Override
  public String toString() {
    return "KefuClient[appid=" + appid + ", baseUrl=" + baseUrl + ", secret=****, stableToken=" + stableToken
        + ", adminToken=" + (adminToken == null ? "none" : "****") + "]";
  }

  /**
   * Configures a {@link KefuClient}. {@code appid} and {@code secret} are required; everything else has a default:
   * WeChat's host, an {@link InMemoryTokenStore}, ordinary tokens ({@code /cgi-bin/token}), the system clock,
   * {@link Retries#DEFAULT}, {@link TokenPolicy#DEFAULT}, a 10 s request timeout and
   * {@link WindowRules#CURRENT} for the window tracker.
   */
  public static final class Builder {
    private String appid;
    private String secret;
    private URI baseUrl = WECHAT;
    private TokenStore tokenStore;
    private boolean stableToken;
    private Clock clock;
    private HttpClient httpClient;
    private Retries retries = Retries.DEFAULT;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private TokenPolicy tokenPolicy = TokenPolicy.DEFAULT;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private String adminToken;
    private WindowRules windowRules = WindowRules.CURRENT;
    private WindowTracker windowTracker;

    private Builder() {}

    public Builder appid(String appid) {
      this.appid = appid;
      return this;
    }

    public Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    /** {@code https://api.weixin.qq.com} (the default), or kefu's address. */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      return baseUrl(URI.create(baseUrl));
    }

    /** Where the token is kept; share one store between the processes of an app. */
    public Builder tokenStore(TokenStore tokenStore) {
      this.tokenStore = Objects.requireNonNull(tokenStore, "tokenStore");
      return this;
    }

    /** Use {@code /cgi-bin/stable_token}, which does not supersede tokens held by others, instead of the ordinary. */
    public Builder stableToken(boolean stableToken) {
      this.stableToken = stableToken;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public Builder retries(Retries retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return this;
    }

    /** {@code attempts} tries in all after {@code -1}, waiting {@code firstBackoff} and doubling. */
    public Builder retries(int attempts, Duration firstBackoff) {
      return retries(Retries.of(attempts, firstBackoff));
    }

    /** How the client waits between tries and while polling for another process's refresh. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder tokenPolicy(TokenPolicy tokenPolicy) {
      this.tokenPolicy = Objects.requireNonNull(tokenPolicy, "tokenPolicy");
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    /** kefu's admin token, sent as {@code Authorization: Bearer …} to kefu's platform API (the window endpoint). */
    public Builder adminToken(String adminToken) {
      this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken;
      return this;
    }

    /** The rules of the default window tracker (ignored when a {@link #windowTracker} is given). */
    public Builder windowRules(WindowRules windowRules) {
      this.windowRules = Objects.requireNonNull(windowRules, "windowRules");
      return this;
    }

    public Builder windowTracker(WindowTracker windowTracker) {
      this.windowTracker = Objects.requireNonNull(windowTracker, "windowTracker");
      return this;
    }

    /** Checks the configuration (messages name the option) and builds the client. */
    public KefuClient build() {
      if (appid == null || appid.isBlank()) {
        throw new IllegalArgumentException("appid is required: KefuClient.builder().appid(\"wx…\")");
      }
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("secret is required: KefuClient.builder().secret(…)");
      }
      String scheme = baseUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, was " + baseUrl);
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUrl must not have a query or fragment, was " + baseUrl);
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
      }
      return new KefuClient(this, clock != null ? clock : Clock.systemUTC(),
          tokenStore != null ? tokenStore : new InMemoryTokenStore());
    }
  }
}
