package kefu.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.WindowRules;
import kefu.server.config.ConfiguredApp;
import kefu.server.config.ServerConfig;
import kefu.store.App;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KefuTest @KefuTest}. Registered on a static field it starts kefu once for the
 * class (as {@code WireMockExtension} does), resets it before each test, and stops it and deletes its directory
 * after the last; registered on an instance field, it starts a kefu for each test. Either way it is also the
 * {@link Kefu} of the running server:
 *
 * <pre>{@code
 * @RegisterExtension
 * static KefuExtension kefu = KefuExtension.builder().rules(WindowRules.CURRENT).build();
 * }</pre>
 *
 * Before each test: {@code POST /kefu/v1/reset} (everything but the apps), the app back to its configuration (a
 * push URL set by the test is gone), the clock back to the real time and frozen. Tests of one class share the
 * server, so they run one at a time.
 *
 * <p>Thread-safety: {@code running} is written by JUnit's lifecycle callbacks and read by the test, which JUnit
 * orders; it is volatile for tests that hand it to other threads.
 */
public final class KefuExtension implements Kefu, BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KefuExtension.class);
  /** The push configuration of an app with none: {@code usePushUrl} fills in the URL. */
  static final PushSettings DEFAULT_PUSH = new PushSettings("", "kefutoken", null, PushFormat.JSON, PushMode.PLAIN,
      false);

  /** The settings of one extension; the app as kefu is configured with it. */
  record Options(ConfiguredApp app, String adminToken, UnaryOperator<ServerConfig> configure,
                 boolean fromAnnotation) {}

  private final Options options;
  private volatile RunningKefu running;
  private volatile boolean fresh;

  /** For {@code @ExtendWith}/{@link KefuTest}: the demo app, with the rules {@link KefuTest#rules()} names. */
  public KefuExtension() {
    this(new Builder().options(true));
  }

  private KefuExtension(Options options) {
    this.options = options;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (running == null) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (running == null) {
      start(context);
    } else if (fresh) {
      fresh = false;
    } else {
      running.reset();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Kefu.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (running == null) {
      start(context);
    }
    return running;
  }

  private void start(ExtensionContext context) {
    Options effective = options;
    if (options.fromAnnotation()) {
      String rules = context.getTestClass()
          .flatMap(c -> AnnotationSupport.findAnnotation(c, KefuTest.class, context.getEnclosingTestClasses()))
          .map(KefuTest::rules).orElse("seed");
      WindowRules preset = WindowRules.preset(rules).orElseThrow(() -> new IllegalArgumentException(
          "@KefuTest(rules = \"" + rules + "\"): rules must be \"seed\" or \"current\""));
      ConfiguredApp a = options.app();
      effective = new Options(new ConfiguredApp(a.app().withRules(preset), a.secret()), options.adminToken(),
          options.configure(), true);
    }
    RunningKefu started = RunningKefu.start(effective);
    running = started;
    fresh = true;
    context.getStore(NAMESPACE).put(this, (AutoCloseable) () -> {
      running = null;
      started.close();
    });
  }

  private RunningKefu running() {
    RunningKefu r = running;
    if (r == null) {
      throw new IllegalStateException("kefu is not running: register the KefuExtension with @RegisterExtension on "
          + "a static field (or an instance field), and use it from tests");
    }
    return r;
  }

  @Override
  public String baseUrl() {
    return running().baseUrl();
  }

  @Override
  public String url(String path) {
    return running().url(path);
  }

  @Override
  public String appid() {
    return running().appid();
  }

  @Override
  public String secret() {
    return running().secret();
  }

  @Override
  public String originalId() {
    return running().originalId();
  }

  @Override
  public String pushToken() {
    return running().pushToken();
  }

  @Override
  public TestClock clock() {
    return running().clock();
  }

  @Override
  public SimulatedUser user(String openid) {
    return running().user(openid);
  }

  @Override
  public SimulatedUser newUser() {
    return running().newUser();
  }

  @Override
  public WeChatApi api() {
    return running().api();
  }

  @Override
  public List<RecordedRequest> requests() {
    return running().requests();
  }

  @Override
  public List<RecordedPush> pushes() {
    return running().pushes();
  }

  @Override
  public RecordedPush takePush(Duration timeout) {
    return running().takePush(timeout);
  }

  @Override
  public void usePushUrl(String url) {
    running().usePushUrl(url);
  }

  @Override
  public void usePush(PushSettings push) {
    running().usePush(push);
  }

  @Override
  public AgentQueue queue() {
    return running().queue();
  }

  @Override
  public Faults faults() {
    return running().faults();
  }

  @Override
  public String toString() {
    RunningKefu r = running;
    return r == null ? "KefuExtension[not running]" : r.toString();
  }

  /** Options for a {@link KefuExtension}; every one has a default. */
  public static final class Builder {
    private String appid = ServerConfig.DEMO_APP.appid();
    private String secret = ServerConfig.DEMO_APP.secret();
    private String originalId;
    private WindowRules rules = WindowRules.SEED;
    private PushSettings push = DEFAULT_PUSH;
    private String adminToken;
    private UnaryOperator<ServerConfig> configure = UnaryOperator.identity();

    private Builder() {}

    /** The app's credentials (default: the demo app, {@code wxkefudemo00000001}). */
    public Builder app(String appid, String secret) {
      this.appid = Objects.requireNonNull(appid, "appid");
      this.secret = Objects.requireNonNull(secret, "secret");
      return this;
    }

    /** The app's original id, {@code gh_} and letters or digits (default: derived from the appid). */
    public Builder originalId(String originalId) {
      this.originalId = Objects.requireNonNull(originalId, "originalId");
      return this;
    }

    /** The window rules: {@link WindowRules#SEED} (default), {@link WindowRules#CURRENT} or a custom table. */
    public Builder rules(WindowRules rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /**
     * The push configuration the app has at the start of every test; {@link Kefu#usePushUrl} keeps its token, key,
     * format and mode and sets the URL.
     */
    public Builder push(PushSettings push) {
      this.push = Objects.requireNonNull(push, "push");
      return this;
    }

    /** Protects the platform API with a bearer token (the extension sends it; your code must too). */
    public Builder adminToken(String adminToken) {
      this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
      return this;
    }

    /**
     * Changes anything else in kefu's configuration ({@code withDelivery}, {@code withHandOff}, …); applied last,
     * after the port (0), the temporary directory, the app and the admin token are set.
     */
    public Builder configure(UnaryOperator<ServerConfig> configure) {
      this.configure = Objects.requireNonNull(configure, "configure");
      return this;
    }

    public KefuExtension build() {
      return new KefuExtension(options(false));
    }

    private Options options(boolean fromAnnotation) {
      String gh = originalId != null ? originalId
          : appid.equals(ServerConfig.DEMO_APP.appid()) ? ServerConfig.DEMO_APP.originalId()
          : "gh_" + String.format("%012x", appid.hashCode() & 0xffffffffL);
      App app = new App(appid, SecretHash.of(secret, new SecureRandom()), gh, rules, true, push, ApiLimits.OFF);
      return new Options(new ConfiguredApp(app, secret), adminToken, configure, fromAnnotation);
    }
  }
}
