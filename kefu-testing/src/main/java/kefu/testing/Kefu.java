package kefu.testing;

import java.time.Duration;
import java.util.List;
import kefu.protocol.push.PushSettings;

/**
 * What a test does with kefu: one in-process kefu per test class, on a free port, with its own store in a
 * temporary directory and a frozen clock, reset before each test. Get it as a test-method parameter under
 * {@link KefuTest @KefuTest}, or call it on a {@code @RegisterExtension static KefuExtension}.
 *
 * <pre>{@code
 * var alice = kefu.user("o-alice");
 * alice.says("hi");
 * assertThat(kefu.api().sendText(alice, "ok")).isOk();
 * }</pre>
 *
 * Methods that wait ({@link #takePush}, {@link SimulatedUser#takeReceived}) block on the real clock up to the
 * given timeout and fail the test when nothing comes; nothing else waits.
 */
public interface Kefu {
  /** Where kefu serves the WeChat API and the platform API, e.g. {@code http://127.0.0.1:53124} (no slash). */
  String baseUrl();

  /** {@link #baseUrl()} followed by {@code path}. */
  String url(String path);

  /** The app the test talks as (by default kefu's demo app {@code wxkefudemo00000001}). */
  String appid();

  String secret();

  /** The app's original id ({@code gh_…}), the {@code ToUserName} of its pushes. */
  String originalId();

  /** The token pushes are signed with ({@code kefutoken} unless configured). */
  String pushToken();

  /** kefu's clock: frozen at the start of each test, moved by the test. */
  TestClock clock();

  /** The app's user with this openid, created in kefu when it does not exist yet. */
  SimulatedUser user(String openid);

  /** A new user with a WeChat-like random openid. */
  SimulatedUser newUser();

  /** A WeChat-API client for the app, to act as the mini program's backend. */
  WeChatApi api();

  /** kefu's request journal: the WeChat-API calls it received since the test began (the newest 1000), oldest first. */
  List<RecordedRequest> requests();

  /** The push attempts kefu made to the app's push URL since the test began (the newest 1000), oldest first. */
  List<RecordedPush> pushes();

  /**
   * The oldest push attempt this method has not returned yet, waiting up to {@code timeout} for kefu to make it
   * and hear your server's answer; fails the test when none comes.
   */
  RecordedPush takePush(Duration timeout);

  /**
   * Pushes the app's users' messages and events to {@code url} (JSON, plain mode, signed with
   * {@link #pushToken()}, or as configured with {@link KefuExtension.Builder#push}). kefu does not check the URL
   * first, so your server may start afterwards. Undone before the next test.
   */
  void usePushUrl(String url);

  /** Sets the app's whole push configuration (no URL check). Undone before the next test. */
  void usePush(PushSettings push);

  /** The app's hand-off queue: users waiting for an agent and users an agent holds. */
  AgentQueue queue();

  /**
   * Fault injection: make kefu answer WeChat errors, hold or drop answers, and duplicate or delay pushes, to test your
   * backend's error handling. Faults are removed before each test.
   */
  Faults faults();
}
