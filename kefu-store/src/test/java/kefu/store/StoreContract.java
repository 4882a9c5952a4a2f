package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import kefu.protocol.WxError;
import kefu.protocol.fault.FaultEffect;
import kefu.protocol.fault.FaultMark;
import kefu.protocol.fault.FaultRule;
import kefu.protocol.limit.ApiLimit;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.media.ImageFormat;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.send.Message;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.SecretHash;
import kefu.protocol.token.TokenKind;
import kefu.protocol.typing.TypingState;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.SendDecision;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.protocol.window.WindowRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} does, run against each implementation by a subclass.
 *
 * <p>A subclass says how to open a store: {@link #open(Path)} called again with the same directory, after the first
 * store was closed, reaches the same data (that is how durability is tested); different directories are
 * independent. The store it opens keeps {@link #JOURNAL_RETENTION} journal entries. After each test no connection
 * may still be borrowed ({@link #connectionsInUse}).
 *
 * <p>The tests of what several nodes share (consume, issue, claim) go through static helpers that take a list of
 * stores, so a subclass whose stores can share a database runs them with two "nodes" too.
 */
public abstract class StoreContract {
  /** The journal retention {@link #open} must configure. */
  protected static final int JOURNAL_RETENTION = 50;
  protected static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  protected static final String APP = "wx-app-a";
  protected static final String OTHER_APP = "wx-app-b";
  protected static final PushSettings SECURE_PUSH = new PushSettings("https://dev.example.com/push?x=1", "tok3n",
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", PushFormat.XML, PushMode.SECURE, true);
  private static final long WAIT_SECONDS = 10;

  @TempDir
  protected Path dir;
  protected Store store;
  /** Listeners a test opened, closed after it. */
  protected final List<AutoCloseable> listening = new ArrayList<>();

  /** Opens a store over {@code dir}, keeping {@link #JOURNAL_RETENTION} journal entries. */
  protected abstract Store open(Path dir);

  /** Connections borrowed and not returned; 0 when the implementation cannot tell. */
  protected int connectionsInUse(Store store) {
    return 0;
  }

  @BeforeEach
  void openStore() {
    store = open(dir);
  }

  @AfterEach
  void closeStore() throws Exception {
    for (AutoCloseable listener : listening) {
      listener.close();
    }
    if (store == null) {
      // open() was skipped (an assumption of the subclass) or failed: nothing to check
      return;
    }
    assertThat(connectionsInUse(store)).as("connections still borrowed").isZero();
    store.close();
  }

  /** Closes the store and opens the same data again. */
  protected Store reopen() {
    store.close();
    store = open(dir);
    return store;
  }

  // ---- apps

  @Test
  void an_app_is_found_by_its_appid_with_its_rules_and_permission() {
    WindowRules custom = new WindowRules("tight", new Allowance(0, Duration.ofSeconds(30)),
        new Allowance(3, Duration.ofHours(2)));
    App app = new App(APP, hash("s3cret"), "gh_0123456789ab", custom, false, PushSettings.NONE, ApiLimits.OFF);
    write(tx -> tx.apps().put(app));

    assertThat(store.read((Tx tx) -> tx.apps().find(APP))).contains(app);
    assertThat(store.read((Tx tx) -> tx.apps().find("wx-unknown"))).isEmpty();
  }

  @Test
  void an_apps_secret_is_kept_as_its_salted_hash_and_still_matches() {
    write(tx -> tx.apps().put(app(APP)));

    SecretHash stored = store.read((Tx tx) -> tx.apps().find(APP)).orElseThrow().secret();
    assertThat(stored.matches("secret-" + APP)).isTrue();
    assertThat(stored.matches("secret-" + OTHER_APP)).isFalse();
    assertThat(stored.encoded()).startsWith("sha256:").doesNotContain("secret-" + APP);
  }

  @Test
  void an_apps_limits_come_back_whole_off_or_on() {
    ApiLimits limits = ApiLimits.wechat().with("/cgi-bin/token", new ApiLimit(3, 1))
        .with("/cgi-bin/media/get", ApiLimit.NONE);
    write(tx -> {
      tx.apps().put(app(APP).withLimits(limits));
      tx.apps().put(app(OTHER_APP));
    });

    assertThat(store.read((Tx tx) -> tx.apps().find(APP)).orElseThrow().limits()).isEqualTo(limits);
    assertThat(store.read((Tx tx) -> tx.apps().find(OTHER_APP)).orElseThrow().limits()).isEqualTo(ApiLimits.OFF);
  }

  @Test
  void putting_an_app_again_replaces_it() {
    write(tx -> tx.apps().put(app(APP)));
    App changed = new App(APP, hash("new-secret"), "gh_changed", WindowRules.CURRENT, false, SECURE_PUSH,
        ApiLimits.wechat());
    write(tx -> tx.apps().put(changed));

    assertThat(store.read((Tx tx) -> tx.apps().all())).containsExactly(changed);
  }

  @Test
  void all_apps_come_back_ordered_by_appid() {
    write(tx -> {
      tx.apps().put(app("wx-c"));
      tx.apps().put(app("wx-a"));
      tx.apps().put(app("wx-b"));
    });

    assertThat(store.read((Tx tx) -> tx.apps().all())).extracting(App::appid).containsExactly("wx-a", "wx-b", "wx-c");
  }

  @Test
  void an_apps_push_settings_come_back_whole_with_or_without_an_aes_key() {
    PushSettings plain = new PushSettings("http://127.0.0.1:8080/kefu", "t", null, PushFormat.JSON, PushMode.PLAIN,
        true);
    PushSettings compatDisabled = new PushSettings("https://dev.example.com/", "", "k".repeat(43), PushFormat.JSON,
        PushMode.COMPAT, false);
    write(tx -> {
      tx.apps().put(app(APP).withPush(SECURE_PUSH));
      tx.apps().put(app(OTHER_APP).withPush(plain));
      tx.apps().put(app("wx-c").withPush(compatDisabled));
    });

    assertThat(store.read((Tx tx) -> tx.apps().all())).extracting(App::push)
        .containsExactly(SECURE_PUSH, plain, compatDisabled);
    assertThat(store.read((Tx tx) -> tx.apps().find(OTHER_APP).orElseThrow().push().encodingAesKey())).isNull();
  }

  @Test
  void an_app_saved_without_push_settings_reads_back_with_none() {
    write(tx -> tx.apps().put(app(APP)));
    assertThat(store.read((Tx tx) -> tx.apps().find(APP).orElseThrow().push())).isEqualTo(PushSettings.NONE);

    write(tx -> tx.apps().put(app(APP).withPush(SECURE_PUSH)));
    write(tx -> tx.apps().put(app(APP).withPush(PushSettings.NONE)));
    assertThat(store.read((Tx tx) -> tx.apps().find(APP))).contains(app(APP));
  }

  // ---- users

  @Test
  void a_user_is_created_once_and_a_duplicate_changes_nothing() {
    User alice = new User(APP, "o-alice", "Alice", T0);

    assertThat(store.inTransaction((Tx tx) -> tx.users().create(alice))).isTrue();
    assertThat(store.inTransaction((Tx tx) -> tx.users().create(new User(APP, "o-alice", "Mallory", T0.plusSeconds(1)))))
        .isFalse();
    assertThat(store.read((Tx tx) -> tx.users().find(APP, "o-alice"))).contains(alice);
    assertThat(store.read((Tx tx) -> tx.users().find(OTHER_APP, "o-alice"))).isEmpty();
  }

  @Test
  void users_are_listed_oldest_first_and_only_for_their_app() {
    User carol = new User(APP, "o-carol", "", T0.plusSeconds(20));
    User alice = new User(APP, "o-alice", "Alice", T0);
    User bob = new User(APP, "o-bob", "Bob", T0.plusSeconds(10));
    User bobElsewhere = new User(OTHER_APP, "o-bob", "Bob", T0.plusSeconds(5));
    write(tx -> List.of(carol, alice, bob, bobElsewhere).forEach(tx.users()::create));

    assertThat(store.read((Tx tx) -> tx.users().list(APP))).containsExactly(alice, bob, carol);
  }

  // ---- tokens

  @Test
  void a_token_is_found_by_its_value_with_every_field() {
    AccessToken token = new AccessToken("tok-1", APP, TokenKind.STABLE, T0, T0.plus(Duration.ofHours(2)),
        T0.plusSeconds(300), true);
    write(tx -> tx.tokens().insert(token));

    assertThat(store.read((Tx tx) -> tx.tokens().find("tok-1"))).contains(token);
    assertThat(store.read((Tx tx) -> tx.tokens().find("tok-unknown"))).isEmpty();
  }

  @Test
  void latest_is_the_most_recently_issued_token_of_that_app_and_kind() {
    AccessToken older = token("tok-old", APP, TokenKind.ORDINARY, T0);
    AccessToken sameInstantFirst = token("tok-same-1", APP, TokenKind.ORDINARY, T0.plusSeconds(60));
    AccessToken sameInstantSecond = token("tok-same-2", APP, TokenKind.ORDINARY, T0.plusSeconds(60));
    AccessToken stable = token("tok-stable", APP, TokenKind.STABLE, T0.plusSeconds(120));
    AccessToken otherApp = token("tok-b", OTHER_APP, TokenKind.ORDINARY, T0.plusSeconds(180));
    write(tx -> List.of(sameInstantFirst, sameInstantSecond, older, stable, otherApp).forEach(tx.tokens()::insert));

    assertThat(store.read((Tx tx) -> tx.tokens().latest(APP, TokenKind.ORDINARY))).contains(sameInstantSecond);
    assertThat(store.read((Tx tx) -> tx.tokens().latest(APP, TokenKind.STABLE))).contains(stable);
    assertThat(store.read((Tx tx) -> tx.tokens().latest("wx-unknown", TokenKind.STABLE))).isEmpty();
  }

  @Test
  void revoking_all_tokens_of_a_kind_leaves_the_other_kind_and_other_apps_alone() {
    write(tx -> {
      tx.tokens().insert(token("ord-1", APP, TokenKind.ORDINARY, T0));
      tx.tokens().insert(token("ord-2", APP, TokenKind.ORDINARY, T0.plusSeconds(1)));
      tx.tokens().insert(token("stable-1", APP, TokenKind.STABLE, T0));
      tx.tokens().insert(token("ord-b", OTHER_APP, TokenKind.ORDINARY, T0));
    });
    Instant cutoff = T0.plusSeconds(300);
    write(tx -> tx.tokens().revokeAll(APP, TokenKind.ORDINARY, cutoff));

    assertThat(store.read((Tx tx) -> tx.tokens().find("ord-1").orElseThrow().revokedAt())).isEqualTo(cutoff);
    assertThat(store.read((Tx tx) -> tx.tokens().find("ord-2").orElseThrow().revokedAt())).isEqualTo(cutoff);
    assertThat(store.read((Tx tx) -> tx.tokens().find("stable-1").orElseThrow().revokedAt())).isNull();
    assertThat(store.read((Tx tx) -> tx.tokens().find("ord-b").orElseThrow().revokedAt())).isNull();
  }

  @Test
  void a_revoked_token_keeps_the_earlier_revocation_time() {
    write(tx -> tx.tokens().insert(token("tok-1", APP, TokenKind.ORDINARY, T0)));
    Instant early = T0.plusSeconds(100);
    write(tx -> tx.tokens().revokeAll(APP, TokenKind.ORDINARY, early));
    write(tx -> tx.tokens().revokeAll(APP, TokenKind.ORDINARY, T0.plusSeconds(500)));

    assertThat(store.read((Tx tx) -> tx.tokens().find("tok-1").orElseThrow().revokedAt())).isEqualTo(early);

    Instant earlier = T0.plusSeconds(50);
    write(tx -> tx.tokens().revokeAll(APP, TokenKind.ORDINARY, earlier));
    assertThat(store.read((Tx tx) -> tx.tokens().find("tok-1").orElseThrow().revokedAt())).isEqualTo(earlier);
  }

  @Test
  void forced_stable_refreshes_are_counted_since_an_instant_and_the_last_one_is_known() {
    write(tx -> {
      tx.tokens().insert(forced("f-1", APP, T0));
      tx.tokens().insert(forced("f-2", APP, T0.plusSeconds(60)));
      tx.tokens().insert(forced("f-3", APP, T0.plusSeconds(120)));
      tx.tokens().insert(token("plain", APP, TokenKind.STABLE, T0.plusSeconds(500)));
      tx.tokens().insert(forced("f-other", OTHER_APP, T0.plusSeconds(900)));
    });

    assertThat(store.read((Tx tx) -> tx.tokens().countForcedSince(APP, T0))).isEqualTo(3);
    assertThat(store.read((Tx tx) -> tx.tokens().countForcedSince(APP, T0.plusSeconds(60)))).isEqualTo(2);
    assertThat(store.read((Tx tx) -> tx.tokens().countForcedSince(APP, T0.plusSeconds(121)))).isZero();
    assertThat(store.read((Tx tx) -> tx.tokens().lastForcedAt(APP))).contains(T0.plusSeconds(120));
  }

  @Test
  void without_a_forced_refresh_there_is_no_last_forced_time() {
    write(tx -> tx.tokens().insert(token("plain", APP, TokenKind.STABLE, T0)));

    assertThat(store.read((Tx tx) -> tx.tokens().lastForcedAt(APP))).isEmpty();
    assertThat(store.read((Tx tx) -> tx.tokens().countForcedSince(APP, Instant.EPOCH))).isZero();
  }

  @Test
  void tokens_are_listed_newest_first_up_to_the_limit() {
    write(tx -> {
      for (int i = 0; i < 5; i++) {
        tx.tokens().insert(token("tok-" + i, APP, i % 2 == 0 ? TokenKind.ORDINARY : TokenKind.STABLE,
            T0.plusSeconds(i)));
      }
      tx.tokens().insert(token("tok-b", OTHER_APP, TokenKind.ORDINARY, T0.plusSeconds(99)));
    });

    assertThat(store.read((Tx tx) -> tx.tokens().list(APP, 3))).extracting(AccessToken::value)
        .containsExactly("tok-4", "tok-3", "tok-2");
    assertThat(store.read((Tx tx) -> tx.tokens().list(APP, 100))).hasSize(5);
  }

  @Test
  void concurrent_issues_leave_exactly_one_unrevoked_token_per_app_and_kind() throws Exception {
    issueConcurrently(List.of(store), 48);

    assertOneUnrevokedTokenPerAppAndKind(store, 48);
  }

  /**
   * {@code issues} token requests at once, spread over the nodes, two apps and both kinds: each revokes every token
   * of its app and kind, then inserts its own, in one transaction (what the token endpoints do).
   */
  protected static void issueConcurrently(List<Store> nodes, int issues) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < issues; i++) {
        Store node = nodes.get(i % nodes.size());
        String appid = i % 2 == 0 ? APP : OTHER_APP;
        TokenKind kind = (i / 2) % 2 == 0 ? TokenKind.ORDINARY : TokenKind.STABLE;
        AccessToken fresh = token("tok-" + i, appid, kind, T0.plusMillis(i));
        done.add(threads.submit(() -> {
          awaitLatch(start);
          return node.inTransaction(tx -> {
            tx.tokens().revokeAll(appid, kind, T0.plusSeconds(300));
            tx.tokens().insert(fresh);
            return null;
          });
        }));
      }
      start.countDown();
    }
    for (Future<?> issue : done) {
      issue.get();
    }
  }

  protected static void assertOneUnrevokedTokenPerAppAndKind(Store store, int issues) {
    store.read(tx -> {
      List<AccessToken> all = new ArrayList<>(tx.tokens().list(APP, issues));
      all.addAll(tx.tokens().list(OTHER_APP, issues));
      assertThat(all).hasSize(issues);
      for (String appid : List.of(APP, OTHER_APP)) {
        for (TokenKind kind : TokenKind.values()) {
          assertThat(all).as("unrevoked %s tokens of %s", kind, appid)
              .filteredOn(t -> t.appid().equals(appid) && t.kind() == kind && t.revokedAt() == null).hasSize(1);
        }
      }
      return null;
    });
  }

  // ---- windows and typing

  @Test
  void a_user_who_never_triggered_a_window_has_none() {
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-nobody"))).isEqualTo(Window.NONE);
  }

  @Test
  void a_window_put_is_found_and_replaced() {
    Window opened = new Window(1, T0.plusSeconds(60), Trigger.ENTER);
    write(tx -> tx.windows().put(APP, "o-alice", opened));
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(opened);
    assertThat(store.read((Tx tx) -> tx.windows().find(OTHER_APP, "o-alice"))).isEqualTo(Window.NONE);

    Window extended = new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE);
    write(tx -> tx.windows().put(APP, "o-alice", extended));
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(extended);

    write(tx -> tx.windows().put(APP, "o-alice", Window.NONE));
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(Window.NONE);
  }

  @Test
  void a_user_with_no_exchange_has_no_typing_state() {
    assertThat(store.read((Tx tx) -> tx.typing().find(APP, "o-nobody"))).isEqualTo(TypingState.NONE);
  }

  @Test
  void a_typing_state_put_is_found_and_replaced() {
    TypingState typing = new TypingState(T0, T0.plusSeconds(30));
    write(tx -> tx.typing().put(APP, "o-alice", typing));
    assertThat(store.read((Tx tx) -> tx.typing().find(APP, "o-alice"))).isEqualTo(typing);

    TypingState exchanged = typing.exchangedAt(T0.plusSeconds(5));
    write(tx -> tx.typing().put(APP, "o-alice", exchanged));
    assertThat(store.read((Tx tx) -> tx.typing().find(APP, "o-alice"))).isEqualTo(exchanged);
    assertThat(store.read((Tx tx) -> tx.typing().find(OTHER_APP, "o-alice"))).isEqualTo(TypingState.NONE);
  }

  // ---- windows: consume

  @Test
  void consuming_an_open_window_uses_one_send_and_stores_what_is_left() {
    write(tx -> tx.windows().put(APP, "o-alice", new Window(2, T0.plusSeconds(60), Trigger.MESSAGE)));

    Window left = new Window(1, T0.plusSeconds(60), Trigger.MESSAGE);
    assertThat(store.inTransaction((Tx tx) -> tx.windows().consume(APP, "o-alice", T0)))
        .isEqualTo(new SendDecision.Allowed(left));
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(left);
    assertThat(store.inTransaction((Tx tx) -> tx.windows().consume(APP, "o-alice", T0.plusSeconds(59))))
        .isEqualTo(new SendDecision.Allowed(new Window(0, T0.plusSeconds(60), Trigger.MESSAGE)));
  }

  @Test
  void consuming_a_used_up_window_gets_45047_and_a_closed_one_45015_and_neither_changes_it() {
    Window usedUp = new Window(0, T0.plusSeconds(60), Trigger.MESSAGE);
    Window closed = new Window(3, T0, Trigger.ENTER);
    write(tx -> {
      tx.windows().put(APP, "o-used-up", usedUp);
      tx.windows().put(APP, "o-closed", closed);
    });

    assertThat(store.inTransaction((Tx tx) -> tx.windows().consume(APP, "o-used-up", T0)))
        .isEqualTo(new SendDecision.Denied(WxError.OUT_OF_RESPONSE_COUNT_LIMIT));
    assertThat(store.inTransaction((Tx tx) -> tx.windows().consume(APP, "o-closed", T0)))
        .isEqualTo(new SendDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
    assertThat(store.inTransaction((Tx tx) -> tx.windows().consume(APP, "o-nobody", T0)))
        .isEqualTo(new SendDecision.Denied(WxError.RESPONSE_OUT_OF_TIME_LIMIT));
    store.read(tx -> {
      assertThat(tx.windows().find(APP, "o-used-up")).isEqualTo(usedUp);
      assertThat(tx.windows().find(APP, "o-closed")).isEqualTo(closed);
      assertThat(tx.windows().find(APP, "o-nobody")).isEqualTo(Window.NONE);
      return null;
    });
  }

  @Test
  void sixty_four_concurrent_consumes_on_a_window_of_five_allow_exactly_five() throws Exception {
    assertThat(consumeConcurrently(List.of(store), 64)).isEqualTo(5);
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice").remaining())).isZero();
  }

  /**
   * Puts a window of five sends for alice, then {@code sends} consumes at once, spread over the nodes, each in its
   * own transaction: how many were allowed. The others must have been denied with 45047.
   */
  protected static int consumeConcurrently(List<Store> nodes, int sends) throws Exception {
    nodes.getFirst().inTransaction(tx -> {
      tx.windows().put(APP, "o-alice", new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE));
      return null;
    });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<SendDecision>> decisions = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < sends; i++) {
        Store node = nodes.get(i % nodes.size());
        Instant now = T0.plusMillis(i);
        decisions.add(threads.submit(() -> {
          awaitLatch(start);
          return node.inTransaction(tx -> tx.windows().consume(APP, "o-alice", now));
        }));
      }
      start.countDown();
    }
    int allowed = 0;
    for (Future<SendDecision> decision : decisions) {
      if (decision.get() instanceof SendDecision.Allowed) {
        allowed++;
      } else {
        assertThat(decision.get()).isEqualTo(new SendDecision.Denied(WxError.OUT_OF_RESPONSE_COUNT_LIMIT));
      }
    }
    return allowed;
  }

  // ---- messages

  @Test
  void every_kind_of_message_survives_a_round_trip() {
    List<Message> sent = List.of(
        new Message.Text("你好, \"kefu\"\n"),
        new Message.Image("media-1"),
        new Message.Link("title", "", "https://example.com/a?b=c", ""),
        new Message.MiniProgramPage("card", "pages/index?x=1", "thumb-1", "wx-other"),
        new Message.MiniProgramPage("card", "pages/index", "thumb-2", null));
    List<StoredMessage> appended = store.inTransaction(tx -> sent.stream()
        .map(m -> tx.messages().append(APP, "o-alice", Direction.TO_USER, m, T0))
        .toList());

    assertThat(appended).extracting(StoredMessage::message).containsExactlyElementsOf(sent);
    assertThat(store.read((Tx tx) -> tx.messages().conversation(APP, "o-alice", 10))).isEqualTo(appended);
  }

  @Test
  void msg_ids_increase_strictly_per_app_under_concurrent_appends() throws Exception {
    List<Future<StoredMessage>> appends = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        String appid = i % 2 == 0 ? APP : OTHER_APP;
        Message text = new Message.Text("m" + i);
        appends.add(threads.submit(() -> store.inTransaction(
            tx -> tx.messages().append(appid, "o-alice", Direction.FROM_USER, text, T0))));
      }
    }
    List<Long> ids = new ArrayList<>();
    for (Future<StoredMessage> append : appends) {
      ids.add(append.get().msgId());
    }
    assertThat(ids).doesNotHaveDuplicates();

    for (String appid : List.of(APP, OTHER_APP)) {
      List<StoredMessage> conversation = store.read(tx -> tx.messages().conversation(appid, "o-alice", 100));
      assertThat(conversation).hasSize(20);
      assertThat(conversation).extracting(StoredMessage::msgId).isSortedAccordingTo(Long::compare)
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void msg_ids_keep_increasing_after_a_reopen_and_a_reset() {
    long first = append(APP, "o-alice", "one").msgId();
    reopen();
    long second = append(APP, "o-alice", "two").msgId();
    store.reset();
    long third = append(APP, "o-alice", "three").msgId();

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
  }

  @Test
  void a_conversation_is_the_last_messages_oldest_first() {
    List<StoredMessage> alice = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      alice.add(append(APP, "o-alice", "a" + i));
      append(APP, "o-bob", "b" + i);
    }
    StoredMessage reply = store.inTransaction(tx -> tx.messages()
        .append(APP, "o-alice", Direction.TO_USER, new Message.Text("reply"), T0.plusSeconds(9)));
    alice.add(reply);

    assertThat(store.read((Tx tx) -> tx.messages().conversation(APP, "o-alice", 3)))
        .containsExactlyElementsOf(alice.subList(3, 6));
    assertThat(store.read((Tx tx) -> tx.messages().conversation(APP, "o-alice", 100))).containsExactlyElementsOf(alice);
    assertThat(store.read((Tx tx) -> tx.messages().conversation(APP, "o-alice", 0))).isEmpty();
    assertThat(store.read((Tx tx) -> tx.messages().conversation(OTHER_APP, "o-alice", 10))).isEmpty();
    assertThat(reply.direction()).isEqualTo(Direction.TO_USER);
    assertThat(reply.createdAt()).isEqualTo(T0.plusSeconds(9));
  }

  @Test
  void messages_from_agents_and_from_the_system_keep_their_direction() {
    List<StoredMessage> appended = store.inTransaction(tx -> List.of(Direction.values()).stream()
        .map(d -> tx.messages().append(APP, "o-alice", d, new Message.Text(d.name()), T0))
        .toList());

    assertThat(store.read((Tx tx) -> tx.messages().conversation(APP, "o-alice", 10))).isEqualTo(appended)
        .extracting(StoredMessage::direction)
        .containsExactly(Direction.FROM_USER, Direction.TO_USER, Direction.FROM_AGENT, Direction.SYSTEM);
  }

  // ---- media

  @Test
  void an_image_is_found_with_its_bytes_and_an_unknown_one_is_absent() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, (byte) 0xff};
    write(tx -> tx.media().put(new MediaItem("media-1", APP, ImageFormat.PNG, png, T0)));

    MediaItem found = store.read(tx -> tx.media().find("media-1")).orElseThrow();
    assertThat(found.bytes()).isEqualTo(png);
    assertThat(found.format()).isEqualTo(ImageFormat.PNG);
    assertThat(found.appid()).isEqualTo(APP);
    assertThat(found.createdAt()).isEqualTo(T0);
    assertThat(store.read((Tx tx) -> tx.media().find("media-unknown"))).isEmpty();
  }

  // ---- journal

  @Test
  void the_journal_is_queried_newest_first_with_optional_filters() {
    write(tx -> {
      tx.journal().append(entry(APP, "/cgi-bin/token", 0, "r1"));
      tx.journal().append(entry(APP, "/cgi-bin/message/custom/send", 45047, "r2"));
      tx.journal().append(entry(OTHER_APP, "/cgi-bin/message/custom/send", 0, "r3"));
      tx.journal().append(entry(APP, "/cgi-bin/message/custom/send", 0, "r4"));
    });

    assertThat(rids(new JournalQuery(null, null, null, 10))).containsExactly("r4", "r3", "r2", "r1");
    assertThat(rids(new JournalQuery(null, null, null, 2))).containsExactly("r4", "r3");
    assertThat(rids(new JournalQuery(APP, null, null, 10))).containsExactly("r4", "r2", "r1");
    assertThat(rids(new JournalQuery(null, "/cgi-bin/message/custom/send", null, 10)))
        .containsExactly("r4", "r3", "r2");
    assertThat(rids(new JournalQuery(APP, "/cgi-bin/message/custom/send", 0, 10))).containsExactly("r4");
    assertThat(rids(new JournalQuery(null, null, 45047, 10))).containsExactly("r2");
  }

  @Test
  void journal_entries_come_back_whole_with_increasing_ids() {
    JournalEntry sent = new JournalEntry(0, T0, "POST", "/cgi-bin/message/custom/send", APP, "o-alice", 45011,
        1234, "6aac005a-01bfdbee-79769285", new FaultMark(7, "errcode 45011"));
    store.submit(tx -> tx.journal().append(sent));
    store.submit(tx -> tx.journal().append(entry(APP, "/cgi-bin/token", 0, "r2")));
    List<JournalEntry> entries = store.inTransaction(tx -> tx.journal().query(new JournalQuery(null, null, null, 10)));

    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).id()).isGreaterThan(entries.get(1).id());
    JournalEntry found = entries.get(1);
    assertThat(found.id()).isPositive();
    assertThat(new JournalEntry(0, found.at(), found.method(), found.path(), found.appid(), found.openid(),
        found.errcode(), found.latencyMicros(), found.rid(), found.fault())).isEqualTo(sent);
    assertThat(entries.get(0).fault()).isEqualTo(FaultMark.NONE);
  }

  @Test
  void the_journal_keeps_only_its_newest_entries() {
    int appended = JOURNAL_RETENTION * 5 + 7;
    for (int i = 0; i < appended; i++) {
      JournalEntry entry = entry(APP, "/cgi-bin/token", 0, "r" + i);
      store.submit(tx -> tx.journal().append(entry));
    }
    List<String> kept = store.inTransaction(tx -> tx.journal().query(new JournalQuery(null, null, null, 10_000)))
        .stream().map(JournalEntry::rid).toList();

    assertThat(kept).hasSize(JOURNAL_RETENTION);
    assertThat(kept).containsExactlyElementsOf(IntStream.range(0, JOURNAL_RETENTION)
        .mapToObj(i -> "r" + (appended - 1 - i)).toList());
  }

  // ---- outbox

  @Test
  void an_enqueued_push_is_due_at_once_and_survives_a_reopen() {
    OutboxItem item = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "{\"MsgType\":\"text\"}",
        24_602_000_000_000_001L, T0));

    assertThat(item.id()).isPositive();
    assertThat(item).isEqualTo(new OutboxItem(item.id(), APP, "o-alice", "{\"MsgType\":\"text\"}",
        24_602_000_000_000_001L, T0, 0, T0, OutboxStatus.PENDING));
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0, 10))).containsExactly(item);
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.minusMillis(1), 10))).isEmpty();

    reopen();

    assertThat(store.read((Tx tx) -> tx.outbox().find(item.id()))).contains(item);
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0, 10))).containsExactly(item);
    assertThat(store.read((Tx tx) -> tx.outbox().find(item.id() + 1))).isEmpty();
  }

  @Test
  void outbox_ids_increase_and_an_event_carries_no_msg_id() {
    List<OutboxItem> items = store.inTransaction(tx -> List.of(
        tx.outbox().enqueue(APP, "o-alice", "{\"Event\":\"user_enter_tempsession\"}", 0, T0),
        tx.outbox().enqueue(OTHER_APP, "o-bob", "{}", 7, T0),
        tx.outbox().enqueue(APP, "o-alice", "{}", 8, T0)));

    assertThat(items).extracting(OutboxItem::id).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    assertThat(store.read((Tx tx) -> tx.outbox().find(items.getFirst().id()).orElseThrow().msgId())).isZero();
  }

  @Test
  void only_a_users_oldest_pending_push_is_due_while_other_users_pushes_are_due_too() {
    List<OutboxItem> items = store.inTransaction(tx -> List.of(
        tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0),
        tx.outbox().enqueue(APP, "o-alice", "a2", 2, T0),
        tx.outbox().enqueue(APP, "o-bob", "b1", 3, T0.plusSeconds(1)),
        tx.outbox().enqueue(OTHER_APP, "o-alice", "other-a1", 4, T0.plusSeconds(2)),
        tx.outbox().enqueue(APP, "o-bob", "b2", 5, T0.plusSeconds(3))));

    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(10), 10))).extracting(OutboxItem::event)
        .containsExactly("a1", "b1", "other-a1");

    write(tx -> tx.outbox().update(items.get(0).attempted(1, T0.plusSeconds(4), OutboxStatus.DELIVERED)));
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(10), 10))).extracting(OutboxItem::event)
        .containsExactly("a2", "b1", "other-a1");
  }

  @Test
  void a_push_retried_later_is_not_due_before_its_next_attempt_and_holds_back_only_its_user() {
    OutboxItem first = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    write(tx -> {
      tx.outbox().enqueue(APP, "o-alice", "a2", 2, T0);
      tx.outbox().enqueue(APP, "o-bob", "b1", 3, T0);
    });
    OutboxItem retried = first.attempted(1, T0.plusSeconds(5), OutboxStatus.PENDING);
    write(tx -> tx.outbox().update(retried));

    assertThat(store.read((Tx tx) -> tx.outbox().find(first.id()))).contains(retried);
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(4), 10))).extracting(OutboxItem::event)
        .containsExactly("b1");
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(5), 10))).extracting(OutboxItem::event)
        .containsExactly("b1", "a1");
  }

  @Test
  void delivered_and_failed_pushes_are_never_due_again_and_let_the_users_next_push_through() {
    OutboxItem delivered = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    OutboxItem failed = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-bob", "b1", 2, T0));
    store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-bob", "b2", 3, T0.plusSeconds(1)));
    write(tx -> {
      tx.outbox().update(delivered.attempted(1, T0, OutboxStatus.DELIVERED));
      tx.outbox().update(failed.attempted(3, T0.plusSeconds(20), OutboxStatus.FAILED));
    });

    Instant muchLater = T0.plus(Duration.ofDays(30));
    assertThat(store.read((Tx tx) -> tx.outbox().due(muchLater, 10))).extracting(OutboxItem::event)
        .containsExactly("b2");
    assertThat(store.read((Tx tx) -> tx.outbox().find(failed.id()).orElseThrow().status()))
        .isEqualTo(OutboxStatus.FAILED);
    assertThat(store.read((Tx tx) -> tx.outbox().pending(APP, 10))).extracting(OutboxItem::event)
        .containsExactly("b2");
  }

  @Test
  void due_pushes_come_longest_due_first_up_to_the_limit() {
    write(tx -> {
      tx.outbox().enqueue(APP, "o-carol", "c1", 1, T0.plusSeconds(2));
      tx.outbox().enqueue(APP, "o-alice", "a1", 2, T0);
      tx.outbox().enqueue(APP, "o-dave", "d1", 3, T0.plusSeconds(1));
      tx.outbox().enqueue(APP, "o-bob", "b1", 4, T0);
    });

    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(9), 3))).extracting(OutboxItem::event)
        .containsExactly("a1", "b1", "d1");
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0.plusSeconds(9), 0))).isEmpty();
  }

  @Test
  void next_due_is_the_earliest_next_attempt_among_the_users_oldest_pushes() {
    assertThat(store.read((Tx tx) -> tx.outbox().nextDue())).isEmpty();

    OutboxItem alice = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    write(tx -> {
      // alice's second push would be due first, but it waits behind her first
      tx.outbox().enqueue(APP, "o-alice", "a2", 2, T0);
      tx.outbox().update(alice.attempted(1, T0.plusSeconds(30), OutboxStatus.PENDING));
      tx.outbox().enqueue(OTHER_APP, "o-bob", "b1", 3, T0.plusSeconds(20));
    });
    assertThat(store.read((Tx tx) -> tx.outbox().nextDue())).contains(T0.plusSeconds(20));

    write(tx -> tx.outbox().update(alice.attempted(2, T0.plusSeconds(90), OutboxStatus.FAILED)));
    assertThat(store.read((Tx tx) -> tx.outbox().nextDue())).contains(T0);
  }

  @Test
  void pending_lists_an_apps_waiting_pushes_oldest_first() {
    List<OutboxItem> items = store.inTransaction(tx -> List.of(
        tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0.plusSeconds(5)),
        tx.outbox().enqueue(APP, "o-bob", "b1", 2, T0),
        tx.outbox().enqueue(OTHER_APP, "o-alice", "other", 3, T0),
        tx.outbox().enqueue(APP, "o-alice", "a2", 4, T0),
        tx.outbox().enqueue(APP, "o-carol", "c1", 5, T0)));
    write(tx -> tx.outbox().update(items.get(1).attempted(1, T0, OutboxStatus.DELIVERED)));

    assertThat(store.read((Tx tx) -> tx.outbox().pending(APP, 10))).extracting(OutboxItem::event)
        .containsExactly("a1", "a2", "c1");
    assertThat(store.read((Tx tx) -> tx.outbox().pending(APP, 2))).extracting(OutboxItem::event)
        .containsExactly("a1", "a2");
    assertThat(store.read((Tx tx) -> tx.outbox().pending("wx-unknown", 10))).isEmpty();
  }

  @Test
  void updating_a_push_that_a_reset_removed_changes_nothing() {
    OutboxItem item = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    store.reset();

    write(tx -> tx.outbox().update(item.attempted(1, T0, OutboxStatus.DELIVERED)));
    OutboxItem next = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a2", 2, T0));

    assertThat(store.read((Tx tx) -> tx.outbox().find(item.id()))).isEmpty();
    assertThat(next.id()).as("ids are not reused after a reset").isGreaterThan(item.id());
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0, 10))).containsExactly(next);
  }

  @Test
  void finished_pushes_are_kept_for_the_retention_only_and_pending_ones_always() {
    OutboxItem waiting = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-slow", "slow", 1, T0));
    int finished = JOURNAL_RETENTION * 5 + 7;
    for (int i = 0; i < finished; i++) {
      int n = i;
      store.inTransaction(tx -> {
        OutboxItem item = tx.outbox().enqueue(APP, "o-" + n, "e" + n, n + 2, T0);
        tx.outbox().update(item.attempted(1, T0, n % 2 == 0 ? OutboxStatus.DELIVERED : OutboxStatus.FAILED));
        return null;
      });
    }
    long stored = store.read((Tx tx) -> java.util.stream.LongStream.rangeClosed(waiting.id(), waiting.id() + finished)
        .filter(id -> tx.outbox().find(id).isPresent()).count());
    assertThat(stored).as("the pending push and a bounded number of finished ones")
        .isBetween((long) JOURNAL_RETENTION, (long) JOURNAL_RETENTION + 100 + 1);
    assertThat(store.read((Tx tx) -> tx.outbox().find(waiting.id()))).contains(waiting);
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0, 10))).containsExactly(waiting);
  }

  // ---- outbox claims

  @Test
  void a_claimed_push_is_not_claimed_again_while_its_lease_runs() {
    List<OutboxItem> items = store.inTransaction(tx -> List.of(
        tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0),
        tx.outbox().enqueue(APP, "o-bob", "b1", 2, T0)));

    assertThat(claim(T0, "node-a", 10)).isEqualTo(items);
    assertThat(claim(T0.plus(LEASE).minusMillis(1), "node-b", 10)).isEmpty();
    assertThat(claim(T0, "node-a", 10)).as("not even by the same node").isEmpty();
    assertThat(store.read((Tx tx) -> tx.outbox().due(T0, 10))).as("due() does not look at leases").isEqualTo(items);
  }

  @Test
  void a_push_whose_lease_ran_out_is_claimable_again() {
    OutboxItem item = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    assertThat(claim(T0, "node-that-dies", 10)).containsExactly(item);

    assertThat(claim(T0.plus(LEASE), "node-b", 10)).containsExactly(item);
    assertThat(claim(T0.plus(LEASE).plusSeconds(1), "node-c", 10)).as("leased again, to node-b").isEmpty();
  }

  @Test
  void updating_a_claimed_push_ends_its_lease() {
    OutboxItem item = store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    assertThat(claim(T0, "node-a", 10)).containsExactly(item);
    OutboxItem retried = item.attempted(1, T0.plusSeconds(5), OutboxStatus.PENDING);
    write(tx -> tx.outbox().update(retried));

    assertThat(claim(T0.plusSeconds(4), "node-b", 10)).as("not due yet").isEmpty();
    assertThat(claim(T0.plusSeconds(5), "node-b", 10)).containsExactly(retried);
  }

  @Test
  void a_users_second_push_is_not_claimable_while_the_first_is_pending() {
    List<OutboxItem> items = store.inTransaction(tx -> List.of(
        tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0),
        tx.outbox().enqueue(APP, "o-alice", "a2", 2, T0),
        tx.outbox().enqueue(APP, "o-bob", "b1", 3, T0)));

    assertThat(claim(T0, "node-a", 10)).extracting(OutboxItem::event).containsExactly("a1", "b1");
    assertThat(claim(T0, "node-b", 10)).as("a2 waits behind a1, leased or not").isEmpty();
    assertThat(claim(T0.plus(LEASE), "node-b", 10)).extracting(OutboxItem::event).containsExactly("a1", "b1");

    write(tx -> tx.outbox().update(items.get(0).attempted(1, T0, OutboxStatus.DELIVERED)));
    assertThat(claim(T0.plus(LEASE), "node-b", 10)).extracting(OutboxItem::event).containsExactly("a2");
  }

  @Test
  void claims_come_longest_due_first_up_to_the_limit() {
    write(tx -> {
      tx.outbox().enqueue(APP, "o-carol", "c1", 1, T0.plusSeconds(2));
      tx.outbox().enqueue(APP, "o-alice", "a1", 2, T0);
      tx.outbox().enqueue(APP, "o-dave", "d1", 3, T0.plusSeconds(1));
      tx.outbox().enqueue(APP, "o-bob", "b1", 4, T0);
      tx.outbox().enqueue(APP, "o-erin", "e1", 5, T0.plusSeconds(60));
    });

    assertThat(claim(T0.plusSeconds(9), "node-a", 3)).extracting(OutboxItem::event)
        .containsExactly("a1", "b1", "d1");
    assertThat(claim(T0.plusSeconds(9), "node-b", 3)).extracting(OutboxItem::event).containsExactly("c1");
    assertThat(claim(T0.plusSeconds(9), "node-b", 0)).isEmpty();
  }

  @Test
  void next_due_of_a_leased_push_is_when_its_lease_runs_out() {
    store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-alice", "a1", 1, T0));
    claim(T0, "node-a", 10);
    assertThat(store.read((Tx tx) -> tx.outbox().nextDue())).contains(T0.plus(LEASE));

    store.inTransaction(tx -> tx.outbox().enqueue(APP, "o-bob", "b1", 2, T0.plusSeconds(1)));
    assertThat(store.read((Tx tx) -> tx.outbox().nextDue())).contains(T0.plusSeconds(1));
  }

  @Test
  void concurrent_claimers_never_get_the_same_push() throws Exception {
    List<Long> claimed = claimConcurrently(List.of(store), 40, 8, 4);

    assertThat(claimed).doesNotHaveDuplicates();
  }

  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected List<OutboxItem> claim(Instant now, String node, int limit) {
    return store.inTransaction(tx -> tx.outbox().claim(now, LEASE, node, limit));
  }

  /**
   * Enqueues one push for each of {@code users} users, then lets {@code claimers} claim at once, spread over the
   * nodes, {@code limit} each: the ids claimed, all of them (duplicates included). Checks that what is left is
   * claimable afterwards, that nothing is claimed twice between the two, and that together they are every push.
   */
  protected static List<Long> claimConcurrently(List<Store> nodes, int users, int claimers, int limit)
      throws Exception {
    Set<Long> enqueued = new HashSet<>(nodes.getFirst().inTransaction(tx -> IntStream.range(0, users)
        .mapToObj(i -> tx.outbox().enqueue(APP, "o-" + i, "e" + i, i + 1, T0).id()).toList()));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<OutboxItem>>> claims = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < claimers; i++) {
        Store node = nodes.get(i % nodes.size());
        String name = "node-" + i;
        claims.add(threads.submit(() -> {
          awaitLatch(start);
          return node.inTransaction(tx -> tx.outbox().claim(T0, LEASE, name, limit));
        }));
      }
      start.countDown();
    }
    List<Long> claimed = new ArrayList<>();
    for (Future<List<OutboxItem>> claim : claims) {
      assertThat(claim.get()).hasSizeLessThanOrEqualTo(limit);
      claim.get().forEach(item -> claimed.add(item.id()));
    }
    List<Long> rest = nodes.getLast().inTransaction(tx -> tx.outbox().claim(T0.plusSeconds(1), LEASE, "node-last",
        users)).stream().map(OutboxItem::id).toList();
    List<Long> all = new ArrayList<>(claimed);
    all.addAll(rest);
    assertThat(all).doesNotHaveDuplicates();
    assertThat(new HashSet<>(all)).isEqualTo(enqueued);
    return claimed;
  }

  // ---- fault rules

  @Test
  void a_fault_rule_comes_back_whole_with_an_increasing_id() {
    FaultRule limited = new FaultRule(0, "/cgi-bin/message/custom/*", APP, "o-alice",
        new FaultEffect.Errcode(89503, "此次调用需要管理员确认"), 3, T0.plusSeconds(60), 0, T0);
    FaultRule open = new FaultRule(0, "", "", "", new FaultEffect.DelayPush(Duration.ofSeconds(10)), null,
        T0.plusSeconds(5), 0, T0);
    List<FaultRule> added = store.inTransaction(tx -> List.of(tx.faultRules().add(limited), tx.faultRules().add(open)));

    assertThat(added.get(0).id()).isPositive();
    assertThat(added.get(1).id()).isGreaterThan(added.get(0).id());
    assertThat(store.read((Tx tx) -> tx.faultRules().all()))
        .containsExactly(limited.withId(added.get(0).id()), open.withId(added.get(1).id()));
  }

  @Test
  void fault_rules_are_removed_one_by_id_or_all_at_once() {
    List<FaultRule> added = store.inTransaction(tx -> List.of(tx.faultRules().add(faultRule("", 1, null)),
        tx.faultRules().add(faultRule("", 2, null)), tx.faultRules().add(faultRule("", 3, null))));

    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().remove(added.get(1).id()))).isTrue();
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().remove(added.get(1).id()))).isFalse();
    assertThat(store.read((Tx tx) -> tx.faultRules().all())).extracting(FaultRule::count).containsExactly(1, 3);
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().removeAll())).isEqualTo(2);
    assertThat(store.read((Tx tx) -> tx.faultRules().all())).isEmpty();
  }

  @Test
  void a_counted_rule_is_used_until_its_count_runs_out_and_then_changes_no_more() {
    long id = store.inTransaction(tx -> tx.faultRules().add(faultRule("", 2, null))).id();

    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id, T0))).map(FaultRule::used).contains(1);
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id, T0))).map(FaultRule::remaining).contains(0);
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id, T0))).isEmpty();
    assertThat(store.read((Tx tx) -> tx.faultRules().all())).extracting(FaultRule::used).containsExactly(2);
  }

  @Test
  void a_timed_rule_is_used_before_its_end_only_and_an_unknown_rule_never() {
    long id = store.inTransaction(tx -> tx.faultRules().add(faultRule("", null, T0.plusSeconds(60)))).id();

    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id, T0.plusSeconds(59)))).isPresent();
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id, T0.plusSeconds(60)))).isEmpty();
    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().use(id + 1, T0))).isEmpty();
  }

  @Test
  void fault_rule_ids_keep_increasing_after_a_reset_and_a_reopen() {
    long first = store.inTransaction(tx -> tx.faultRules().add(faultRule("", 1, null))).id();
    store.reset();
    reopen();

    assertThat(store.inTransaction((Tx tx) -> tx.faultRules().add(faultRule("", 1, null))).id()).isGreaterThan(first);
  }

  @Test
  void sixty_four_concurrent_uses_of_a_rule_for_five_calls_succeed_exactly_five_times() throws Exception {
    assertThat(useConcurrently(List.of(store), 64)).isEqualTo(5);
  }

  /**
   * Adds a rule for five calls, then {@code uses} uses of it at once, spread over the nodes, each in its own
   * transaction: how many succeeded. The rule must then show five uses.
   */
  protected static int useConcurrently(List<Store> nodes, int uses) throws Exception {
    long id = nodes.getFirst().inTransaction(tx -> tx.faultRules().add(faultRule("", 5, null))).id();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> used = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < uses; i++) {
        Store node = nodes.get(i % nodes.size());
        used.add(threads.submit(() -> {
          awaitLatch(start);
          return node.inTransaction(tx -> tx.faultRules().use(id, T0)).isPresent();
        }));
      }
      start.countDown();
    }
    int succeeded = 0;
    for (Future<Boolean> u : used) {
      succeeded += u.get() ? 1 : 0;
    }
    assertThat(nodes.getFirst().read((Tx tx) -> tx.faultRules().all())).extracting(FaultRule::used)
        .containsExactly(5);
    return succeeded;
  }

  @Test
  void flush_returns_once_work_submitted_by_any_thread_is_committed() throws Exception {
    Thread other = Thread.ofVirtual().start(() -> store.submit(tx -> tx.journal().append(
        new JournalEntry(0, T0, "POST", "/from/another/thread", APP, "", 0, 1, "r", FaultMark.NONE))));
    other.join();
    store.flush();
    assertThat(store.read((Tx tx) -> tx.journal().query(new JournalQuery(null, "/from/another/thread", null, 10))))
        .hasSize(1);
  }

  // ---- push journal

  @Test
  void push_attempts_come_back_whole_with_increasing_ids() {
    PushAttempt sent = new PushAttempt(0, 7, APP, "o-alice", 24_602_000_000_000_001L, 2, T0,
        "https://dev.example.com/push", "signature=abc&timestamp=1&nonce=n&encrypt_type=aes&msg_signature=def",
        "Content-Type: application/json", "{\"Encrypt\":\"...\"}", "1n tok3n", "abc", "1n tok3n ...", "def",
        "{\"MsgType\":\"text\",\"Content\":\"你好\"}", 200, "success", 1234, "delivered",
        "a duplicate delivery", new FaultMark(3, "duplicate push"));
    write(tx -> {
      tx.pushJournal().append(sent);
      tx.pushJournal().append(attempt(APP, "o-alice", "timeout", 3));
    });
    List<PushAttempt> attempts = store.read(tx -> tx.pushJournal().query(APP, null, null, 10));

    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).id()).isGreaterThan(attempts.get(1).id());
    PushAttempt found = attempts.get(1);
    assertThat(found.id()).isPositive();
    assertThat(withId(found, 0)).isEqualTo(sent);
  }

  @Test
  void the_push_journal_is_an_apps_attempts_newest_first_with_optional_filters() {
    write(tx -> {
      tx.pushJournal().append(attempt(APP, "o-alice", "timeout", 1));
      tx.pushJournal().append(attempt(APP, "o-bob", "delivered", 2));
      tx.pushJournal().append(attempt(OTHER_APP, "o-alice", "delivered", 3));
      tx.pushJournal().append(attempt(APP, "o-alice", "delivered", 4));
    });

    assertThat(attemptNumbers(APP, null, null, 10)).containsExactly(4, 2, 1);
    assertThat(attemptNumbers(APP, null, null, 2)).containsExactly(4, 2);
    assertThat(attemptNumbers(APP, "o-alice", null, 10)).containsExactly(4, 1);
    assertThat(attemptNumbers(APP, null, "delivered", 10)).containsExactly(4, 2);
    assertThat(attemptNumbers(APP, "o-alice", "timeout", 10)).containsExactly(1);
    assertThat(attemptNumbers(OTHER_APP, null, null, 10)).containsExactly(3);
    assertThat(attemptNumbers("wx-unknown", null, null, 10)).isEmpty();
  }

  @Test
  void the_push_journal_keeps_only_its_newest_attempts() {
    int appended = JOURNAL_RETENTION * 5 + 7;
    for (int i = 0; i < appended; i++) {
      PushAttempt attempt = attempt(APP, "o-alice", "delivered", i);
      store.submit(tx -> tx.pushJournal().append(attempt));
    }

    assertThat(store.inTransaction((Tx tx) -> tx.pushJournal().query(APP, null, null, 10_000)))
        .extracting(PushAttempt::attempt)
        .containsExactlyElementsOf(IntStream.range(0, JOURNAL_RETENTION).map(i -> appended - 1 - i).boxed().toList());
  }

  // ---- agents

  @Test
  void an_agent_is_found_by_app_and_account_and_put_again_is_replaced() {
    Agent kf = new Agent(APP, "kf001@gh_app", "小王", AgentStatus.OFFLINE, T0);
    write(tx -> tx.agents().put(kf));
    assertThat(store.read((Tx tx) -> tx.agents().find(APP, "kf001@gh_app"))).contains(kf);
    assertThat(store.read((Tx tx) -> tx.agents().find(OTHER_APP, "kf001@gh_app"))).isEmpty();

    Agent online = new Agent(APP, "kf001@gh_app", "王", AgentStatus.ONLINE, T0.plusSeconds(1));
    write(tx -> tx.agents().put(online));
    assertThat(store.read((Tx tx) -> tx.agents().list(APP))).containsExactly(online);
  }

  @Test
  void an_apps_agents_are_listed_by_account() {
    write(tx -> {
      tx.agents().put(new Agent(APP, "kf003", "c", AgentStatus.ONLINE, T0));
      tx.agents().put(new Agent(APP, "kf001", "a", AgentStatus.OFFLINE, T0.plusSeconds(1)));
      tx.agents().put(new Agent(OTHER_APP, "kf000", "z", AgentStatus.ONLINE, T0));
      tx.agents().put(new Agent(APP, "kf002", "b", AgentStatus.ONLINE, T0.minusSeconds(1)));
    });

    assertThat(store.read((Tx tx) -> tx.agents().list(APP))).extracting(Agent::account)
        .containsExactly("kf001", "kf002", "kf003");
    assertThat(store.read((Tx tx) -> tx.agents().list("wx-unknown"))).isEmpty();
  }

  // ---- agent sessions

  @Test
  void an_agent_session_is_put_found_replaced_and_deleted() {
    AgentSession waiting = waiting(APP, "o-alice", T0);
    write(tx -> tx.agentSessions().put(waiting));
    assertThat(store.read((Tx tx) -> tx.agentSessions().find(APP, "o-alice"))).contains(waiting);
    assertThat(store.read((Tx tx) -> tx.agentSessions().find(OTHER_APP, "o-alice"))).isEmpty();

    AgentSession active = new AgentSession(APP, "o-alice", AgentSessionState.ACTIVE, "kf001", T0, T0.plusSeconds(5),
        T0.plusSeconds(6));
    write(tx -> tx.agentSessions().put(active));
    assertThat(store.read((Tx tx) -> tx.agentSessions().find(APP, "o-alice"))).contains(active);

    write(tx -> {
      tx.agentSessions().delete(APP, "o-alice");
      tx.agentSessions().delete(APP, "o-nobody");
    });
    assertThat(store.read((Tx tx) -> tx.agentSessions().find(APP, "o-alice"))).isEmpty();
  }

  @Test
  void sessions_are_listed_by_state_oldest_waiting_first() {
    write(tx -> {
      tx.agentSessions().put(waiting(APP, "o-carol", T0.plusSeconds(2)));
      tx.agentSessions().put(waiting(APP, "o-bob", T0));
      tx.agentSessions().put(waiting(APP, "o-alice", T0));
      tx.agentSessions().put(waiting(OTHER_APP, "o-dave", T0.minusSeconds(1)));
      tx.agentSessions().put(active(APP, "o-erin", T0.minusSeconds(5), T0.plusSeconds(3)));
      tx.agentSessions().put(active(APP, "o-frank", T0.minusSeconds(9), T0.plusSeconds(1)));
    });

    assertThat(store.read((Tx tx) -> tx.agentSessions().list(APP, AgentSessionState.WAITING)))
        .extracting(AgentSession::openid).containsExactly("o-bob", "o-alice", "o-carol");
    assertThat(store.read((Tx tx) -> tx.agentSessions().list(APP, AgentSessionState.ACTIVE)))
        .extracting(AgentSession::openid).containsExactly("o-frank", "o-erin");
    assertThat(store.read((Tx tx) -> tx.agentSessions().list(OTHER_APP, AgentSessionState.ACTIVE))).isEmpty();
  }

  @Test
  void idle_since_finds_active_sessions_of_every_app_last_active_at_or_before_the_cutoff() {
    Instant cutoff = T0.plus(Duration.ofMinutes(30));
    write(tx -> {
      tx.agentSessions().put(active(APP, "o-idle", T0, T0.plusSeconds(60)));
      tx.agentSessions().put(active(OTHER_APP, "o-idle-elsewhere", T0, T0));
      tx.agentSessions().put(active(APP, "o-at-cutoff", T0, cutoff));
      tx.agentSessions().put(active(APP, "o-busy", T0, cutoff.plusMillis(1)));
      tx.agentSessions().put(waiting(APP, "o-waiting", T0));
    });

    assertThat(store.read((Tx tx) -> tx.agentSessions().idleSince(cutoff))).extracting(AgentSession::openid)
        .containsExactlyInAnyOrder("o-idle", "o-idle-elsewhere", "o-at-cutoff");
    assertThat(store.read((Tx tx) -> tx.agentSessions().idleSince(T0.minusMillis(1)))).isEmpty();
  }

  // ---- API calls

  private static final String TOKEN_PATH = "/cgi-bin/token";
  private static final ApiLimit THREE_A_DAY = new ApiLimit(3, ApiLimit.UNLIMITED);

  @Test
  void calls_are_counted_up_to_the_daily_limit_then_get_45009_and_are_not_counted() {
    for (int i = 0; i < 3; i++) {
      assertThat(count(APP, TOKEN_PATH, THREE_A_DAY, T0.plusSeconds(60L * i))).isSameAs(WxError.OK);
    }
    assertThat(count(APP, TOKEN_PATH, THREE_A_DAY, T0.plusSeconds(200)))
        .isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
    assertThat(count(APP, TOKEN_PATH, THREE_A_DAY, T0.plusSeconds(300)))
        .isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);

    assertThat(usage(APP, T0.plusSeconds(300))).containsExactly(Map.entry(TOKEN_PATH, new ApiCalls.Usage(3, 0)));
  }

  @Test
  void the_minute_limit_gets_45011_without_counting_the_call_for_the_day_and_the_next_minute_counts_again() {
    ApiLimit twoAMinute = new ApiLimit(10, 2);
    assertThat(count(APP, TOKEN_PATH, twoAMinute, T0)).isSameAs(WxError.OK);
    assertThat(count(APP, TOKEN_PATH, twoAMinute, T0.plusSeconds(30))).isSameAs(WxError.OK);
    assertThat(count(APP, TOKEN_PATH, twoAMinute, T0.plusSeconds(59)))
        .isSameAs(WxError.API_MINUTE_QUOTA_REACH_LIMIT);
    assertThat(usage(APP, T0.plusSeconds(59))).containsEntry(TOKEN_PATH, new ApiCalls.Usage(2, 2));

    assertThat(count(APP, TOKEN_PATH, twoAMinute, T0.plusSeconds(60))).isSameAs(WxError.OK);
    assertThat(usage(APP, T0.plusSeconds(60))).containsEntry(TOKEN_PATH, new ApiCalls.Usage(3, 1));
  }

  @Test
  void a_new_beijing_day_counts_from_zero_again() {
    Instant beforeMidnight = Instant.parse("2026-05-01T15:59:30Z"); // 23:59:30 in Beijing
    for (int i = 0; i < 3; i++) {
      count(APP, TOKEN_PATH, THREE_A_DAY, beforeMidnight);
    }
    assertThat(count(APP, TOKEN_PATH, THREE_A_DAY, beforeMidnight.plusSeconds(29)))
        .isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);

    Instant afterMidnight = beforeMidnight.plusSeconds(30);
    assertThat(usage(APP, afterMidnight)).containsEntry(TOKEN_PATH, new ApiCalls.Usage(0, 0));
    assertThat(count(APP, TOKEN_PATH, THREE_A_DAY, afterMidnight)).isSameAs(WxError.OK);
    assertThat(usage(APP, afterMidnight)).containsEntry(TOKEN_PATH, new ApiCalls.Usage(1, 1));
  }

  @Test
  void apps_and_paths_are_counted_apart() {
    count(APP, TOKEN_PATH, THREE_A_DAY, T0);
    count(APP, "/cgi-bin/media/get", ApiLimit.NONE, T0);
    count(APP, "/cgi-bin/media/get", ApiLimit.NONE, T0);
    count(OTHER_APP, TOKEN_PATH, THREE_A_DAY, T0);

    assertThat(usage(APP, T0)).containsExactly(Map.entry("/cgi-bin/media/get", new ApiCalls.Usage(2, 2)),
        Map.entry(TOKEN_PATH, new ApiCalls.Usage(1, 1)));
    assertThat(usage(OTHER_APP, T0)).containsExactly(Map.entry(TOKEN_PATH, new ApiCalls.Usage(1, 1)));
    assertThat(usage("wx-nobody", T0)).isEmpty();
  }

  @Test
  void a_limit_of_zero_refuses_the_first_call() {
    assertThat(count(APP, TOKEN_PATH, new ApiLimit(0, 5), T0)).isSameAs(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT);
    assertThat(count(APP, TOKEN_PATH, new ApiLimit(5, 0), T0)).isSameAs(WxError.API_MINUTE_QUOTA_REACH_LIMIT);
    assertThat(usage(APP, T0)).isEmpty();
  }

  @Test
  void counted_calls_survive_a_reopen() {
    count(APP, TOKEN_PATH, THREE_A_DAY, T0);
    count(APP, TOKEN_PATH, THREE_A_DAY, T0);
    reopen();

    assertThat(usage(APP, T0)).containsEntry(TOKEN_PATH, new ApiCalls.Usage(2, 2));
  }

  @Test
  void calls_counted_at_once_get_exactly_the_daily_limit() throws Exception {
    assertThat(countConcurrently(List.of(store), 40, new ApiLimit(7, ApiLimit.UNLIMITED))).isEqualTo(7);
    assertThat(usage(APP, T0)).containsEntry(TOKEN_PATH, new ApiCalls.Usage(7, 7));
  }

  @Test
  void calls_counted_at_once_get_exactly_the_minute_limit_and_the_day_counts_only_those() throws Exception {
    assertThat(countConcurrently(List.of(store), 40, new ApiLimit(100, 6))).isEqualTo(6);
    assertThat(usage(APP, T0)).containsEntry(TOKEN_PATH, new ApiCalls.Usage(6, 6));
  }

  /**
   * {@code calls} calls of {@link #APP} on {@code /cgi-bin/token} in one minute, spread over {@code nodes}, all at
   * once; how many were allowed. The others must be refused with 45009 or 45011.
   */
  protected static int countConcurrently(List<Store> nodes, int calls, ApiLimit limit) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<WxError>> verdicts = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < calls; i++) {
        Store node = nodes.get(i % nodes.size());
        Instant now = T0.plusMillis(i);
        verdicts.add(threads.submit(() -> {
          awaitLatch(start);
          return node.inTransaction(tx -> tx.apiCalls().count(APP, TOKEN_PATH, limit, now));
        }));
      }
      start.countDown();
    }
    int allowed = 0;
    for (Future<WxError> verdict : verdicts) {
      if (verdict.get() == WxError.OK) {
        allowed++;
      } else {
        assertThat(verdict.get()).isIn(WxError.REACH_MAX_API_DAILY_QUOTA_LIMIT, WxError.API_MINUTE_QUOTA_REACH_LIMIT);
      }
    }
    return allowed;
  }

  private WxError count(String appid, String path, ApiLimit limit, Instant now) {
    return store.inTransaction(tx -> tx.apiCalls().count(appid, path, limit, now));
  }

  private Map<String, ApiCalls.Usage> usage(String appid, Instant now) {
    return store.read(tx -> tx.apiCalls().usage(appid, now));
  }

  // ---- clock

  @Test
  void the_clock_state_is_absent_until_put_then_replaced_and_it_survives_a_reopen_and_a_reset() {
    assertThat(store.read((Tx tx) -> tx.clock().get())).isEmpty();

    ClockState ahead = new ClockState(Duration.ofHours(48).toMillis(), null);
    write(tx -> tx.clock().put(ahead));
    assertThat(store.read((Tx tx) -> tx.clock().get())).contains(ahead);

    ClockState frozen = new ClockState(-5, T0.toEpochMilli());
    write(tx -> tx.clock().put(frozen));
    assertThat(store.read((Tx tx) -> tx.clock().get())).contains(frozen);

    reopen();
    assertThat(store.read((Tx tx) -> tx.clock().get())).contains(frozen);
    store.reset();
    assertThat(store.read((Tx tx) -> tx.clock().get())).as("the clock belongs to the deployment").contains(frozen);
  }

  // ---- notifications

  @Test
  void a_notification_reaches_every_listener_of_its_channel_and_no_other() throws Exception {
    BlockingQueue<String> first = listen(store, "conversations");
    BlockingQueue<String> second = listen(store, "conversations");
    BlockingQueue<String> other = listen(store, "agents");
    store.notify("conversations", "{\"openid\":\"o-alice\",\"text\":\"你好\"}");
    store.notify("agents", "queue");

    assertThat(first.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("{\"openid\":\"o-alice\",\"text\":\"你好\"}");
    assertThat(second.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("{\"openid\":\"o-alice\",\"text\":\"你好\"}");
    assertThat(other.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("queue");
    assertThat(first).isEmpty();
    assertThat(other).isEmpty();
  }

  @Test
  void a_closed_listener_hears_nothing_more() throws Exception {
    BlockingQueue<String> open = listen(store, "conversations");
    BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    AutoCloseable leaving = store.listen("conversations", closed::add);
    store.notify("conversations", "1");
    assertThat(closed.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("1");
    leaving.close();
    leaving.close();

    store.notify("conversations", "2");
    // listeners hear notifications in order: once the open one heard "2", the closed one would have too
    assertThat(open.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("1");
    assertThat(open.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("2");
    assertThat(closed).isEmpty();
  }

  @Test
  void a_listener_that_throws_keeps_listening_and_does_not_stop_the_others() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    listening.add(store.listen("conversations", p -> {
      heard.add("failing " + p);
      throw new IllegalStateException("listener bug");
    }));
    listening.add(store.listen("conversations", p -> heard.add("fine " + p)));
    store.notify("conversations", "1");
    store.notify("conversations", "2");

    List<String> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add(heard.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    assertThat(got).containsExactly("failing 1", "fine 1", "failing 2", "fine 2");
  }

  @Test
  void a_payload_over_seven_kilobytes_and_a_bad_channel_name_are_refused() throws Exception {
    BlockingQueue<String> heard = listen(store, "big");
    String largest = "x".repeat(Store.MAX_PAYLOAD_BYTES);
    store.notify("big", largest);
    assertThat(heard.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(largest);

    assertThatThrownBy(() -> store.notify("big", "x".repeat(Store.MAX_PAYLOAD_BYTES + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7168");
    assertThatThrownBy(() -> store.notify("big", "é".repeat(Store.MAX_PAYLOAD_BYTES / 2 + 1)))
        .as("counted in UTF-8 bytes").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.notify("with space", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listen("", p -> {})).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listen("x".repeat(33), p -> {})).isInstanceOf(IllegalArgumentException.class);
  }

  /** Listens to {@code channel} of {@code node} until the test ends; the payloads heard arrive in the queue. */
  protected BlockingQueue<String> listen(Store node, String channel) {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    listening.add(node.listen(channel, heard::add));
    return heard;
  }

  // ---- transactions

  @Test
  void in_transaction_returns_what_the_work_returned_once_committed() {
    String result = store.inTransaction(tx -> {
      tx.windows().put(APP, "o-alice", new Window(5, T0.plusSeconds(60), Trigger.MESSAGE));
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice").remaining())).isEqualTo(5);
  }

  @Test
  void state_survives_close_and_reopen() {
    App app = app(APP);
    User alice = new User(APP, "o-alice", "Alice", T0);
    AccessToken token = token("tok-1", APP, TokenKind.ORDINARY, T0);
    Window window = new Window(4, T0.plusSeconds(60), Trigger.ENTER);
    TypingState typing = new TypingState(T0, T0.plusSeconds(30));
    MediaItem media = new MediaItem("media-1", APP, ImageFormat.GIF, "GIF89a...".getBytes(StandardCharsets.UTF_8),
        T0);
    Agent agent = new Agent(APP, "kf001", "小王", AgentStatus.ONLINE, T0);
    AgentSession session = active(APP, "o-alice", T0, T0.plusSeconds(9));
    PushAttempt attempt = attempt(APP, "o-alice", "delivered", 1);
    StoredMessage message = store.inTransaction(tx -> {
      tx.apps().put(app);
      tx.agents().put(agent);
      tx.agentSessions().put(session);
      tx.pushJournal().append(attempt);
      tx.users().create(alice);
      tx.tokens().insert(token);
      tx.windows().put(APP, "o-alice", window);
      tx.typing().put(APP, "o-alice", typing);
      tx.media().put(media);
      tx.journal().append(entry(APP, "/cgi-bin/token", 0, "r1"));
      tx.apiCalls().count(APP, "/cgi-bin/token", ApiLimit.NONE, T0);
      return tx.messages().append(APP, "o-alice", Direction.FROM_USER, new Message.Text("hi"), T0);
    });

    reopen();

    store.read(tx -> {
      assertThat(tx.apps().find(APP)).contains(app);
      assertThat(tx.users().find(APP, "o-alice")).contains(alice);
      assertThat(tx.tokens().find("tok-1")).contains(token);
      assertThat(tx.windows().find(APP, "o-alice")).isEqualTo(window);
      assertThat(tx.typing().find(APP, "o-alice")).isEqualTo(typing);
      assertThat(tx.media().find("media-1").orElseThrow().bytes()).isEqualTo(media.bytes());
      assertThat(tx.messages().conversation(APP, "o-alice", 10)).containsExactly(message);
      assertThat(tx.journal().query(new JournalQuery(null, null, null, 10))).extracting(JournalEntry::rid)
          .containsExactly("r1");
      assertThat(tx.agents().list(APP)).containsExactly(agent);
      assertThat(tx.agentSessions().find(APP, "o-alice")).contains(session);
      assertThat(tx.pushJournal().query(APP, null, null, 10)).extracting(a -> withId(a, 0)).containsExactly(attempt);
      return null;
    });
  }

  @Test
  void sixty_four_concurrent_sends_on_a_window_of_five_use_exactly_five() throws Exception {
    write(tx -> tx.windows().put(APP, "o-alice", new Window(5, T0.plus(Duration.ofHours(48)), Trigger.MESSAGE)));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> sends = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 64; i++) {
        sends.add(threads.submit(() -> {
          awaitLatch(start);
          return store.inTransaction(tx -> {
            Window window = tx.windows().find(APP, "o-alice");
            if (window.remaining() <= 0) {
              return false;
            }
            tx.windows().put(APP, "o-alice",
                new Window(window.remaining() - 1, window.closesAt(), window.grantedBy()));
            return true;
          });
        }));
      }
      start.countDown();
    }
    int allowed = 0;
    for (Future<Boolean> send : sends) {
      allowed += send.get() ? 1 : 0;
    }

    assertThat(allowed).isEqualTo(5);
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice").remaining())).isZero();
  }

  @Test
  void an_exception_in_work_undoes_that_work_and_reaches_its_caller_unchanged() {
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      tx.windows().put(APP, "o-alice", new Window(5, T0.plusSeconds(60), Trigger.MESSAGE));
      tx.apps().put(app(APP));
      throw boom;
    })).isSameAs(boom);
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(Window.NONE);
    assertThat(store.read((Tx tx) -> tx.apps().all())).isEmpty();
  }

  @Test
  void an_exception_in_one_work_item_does_not_undo_the_others() throws Exception {
    List<Future<?>> works = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        String openid = "o-" + i;
        boolean fails = i % 2 == 1;
        works.add(threads.submit(() -> {
          awaitLatch(start);
          return store.inTransaction(tx -> {
            tx.windows().put(APP, openid, new Window(5, T0.plusSeconds(60), Trigger.MESSAGE));
            if (fails) {
              throw new IllegalArgumentException(openid);
            }
            return openid;
          });
        }));
      }
      start.countDown();
    }
    for (int i = 0; i < works.size(); i++) {
      String openid = "o-" + i;
      if (i % 2 == 1) {
        assertThatThrownBy(works.get(i)::get).isInstanceOf(ExecutionException.class).cause()
            .isInstanceOf(IllegalArgumentException.class).hasMessage(openid);
        assertThat(store.read((Tx tx) -> tx.windows().find(APP, openid))).isEqualTo(Window.NONE);
      } else {
        assertThat(works.get(i).get()).isEqualTo(openid);
        assertThat(store.read((Tx tx) -> tx.windows().find(APP, openid).remaining())).isEqualTo(5);
      }
    }
  }

  @Test
  void submitted_work_is_committed_by_close() {
    for (int i = 0; i < 200; i++) {
      String openid = "o-" + i;
      store.submit(tx -> tx.windows().put(APP, openid, new Window(3, T0.plusSeconds(60), Trigger.ENTER)));
    }
    reopen();

    store.read(tx -> {
      for (int i = 0; i < 200; i++) {
        assertThat(tx.windows().find(APP, "o-" + i).remaining()).as("o-" + i).isEqualTo(3);
      }
      return null;
    });
  }

  @Test
  void a_read_sees_committed_state_only() throws Exception {
    Window committed = new Window(1, T0.plusSeconds(60), Trigger.ENTER);
    write(tx -> tx.windows().put(APP, "o-alice", committed));
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> writing = threads.submit(() -> store.inTransaction(tx -> {
        tx.windows().put(APP, "o-alice", new Window(5, T0.plusSeconds(600), Trigger.MESSAGE));
        written.countDown();
        awaitLatch(release);
        return null;
      }));
      awaitLatch(written);

      assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice"))).isEqualTo(committed);

      release.countDown();
      writing.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertThat(store.read((Tx tx) -> tx.windows().find(APP, "o-alice").remaining())).isEqualTo(5);
  }

  @Test
  void an_exception_in_a_read_reaches_the_caller() {
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> store.read(tx -> {
      tx.apps().all();
      throw boom;
    })).isSameAs(boom);
  }

  @Test
  void reset_keeps_the_apps_with_their_push_settings_and_limits_and_durably_empties_the_rest() {
    App app = app(APP).withPush(SECURE_PUSH).withLimits(ApiLimits.wechat());
    store.inTransaction(tx -> {
      tx.apps().put(app);
      tx.outbox().enqueue(APP, "o-alice", "{}", 1, T0);
      tx.pushJournal().append(attempt(APP, "o-alice", "delivered", 1));
      tx.agents().put(new Agent(APP, "kf001", "小王", AgentStatus.ONLINE, T0));
      tx.agentSessions().put(waiting(APP, "o-alice", T0));
      tx.users().create(new User(APP, "o-alice", "Alice", T0));
      tx.tokens().insert(forced("tok-1", APP, T0));
      tx.windows().put(APP, "o-alice", new Window(4, T0.plusSeconds(60), Trigger.ENTER));
      tx.typing().put(APP, "o-alice", new TypingState(T0, T0.plusSeconds(30)));
      tx.media().put(new MediaItem("media-1", APP, ImageFormat.JPEG, new byte[] {1, 2, 3}, T0));
      tx.journal().append(entry(APP, "/cgi-bin/token", 0, "r1"));
      tx.faultRules().add(faultRule("", 3, null));
      tx.apiCalls().count(APP, "/cgi-bin/token", ApiLimit.NONE, T0);
      return tx.messages().append(APP, "o-alice", Direction.FROM_USER, new Message.Text("hi"), T0);
    });

    store.reset();
    assertEmptiedButApps(app);
    reopen();
    assertEmptiedButApps(app);
  }

  private void assertEmptiedButApps(App app) {
    store.read(tx -> {
      assertThat(tx.apps().all()).containsExactly(app);
      assertThat(tx.users().list(APP)).isEmpty();
      assertThat(tx.tokens().list(APP, 10)).isEmpty();
      assertThat(tx.tokens().lastForcedAt(APP)).isEmpty();
      assertThat(tx.windows().find(APP, "o-alice")).isEqualTo(Window.NONE);
      assertThat(tx.typing().find(APP, "o-alice")).isEqualTo(TypingState.NONE);
      assertThat(tx.media().find("media-1")).isEmpty();
      assertThat(tx.messages().conversation(APP, "o-alice", 10)).isEmpty();
      assertThat(tx.journal().query(new JournalQuery(null, null, null, 10))).isEmpty();
      assertThat(tx.apiCalls().usage(APP, T0)).isEmpty();
      assertThat(tx.outbox().pending(APP, 10)).isEmpty();
      assertThat(tx.outbox().due(T0.plus(Duration.ofDays(1)), 10)).isEmpty();
      assertThat(tx.outbox().nextDue()).isEmpty();
      assertThat(tx.pushJournal().query(APP, null, null, 10)).isEmpty();
      assertThat(tx.agents().list(APP)).isEmpty();
      assertThat(tx.agentSessions().list(APP, AgentSessionState.WAITING)).isEmpty();
      assertThat(tx.faultRules().all()).isEmpty();
      return null;
    });
  }

  @Test
  void a_closed_store_refuses_every_call() {
    store.close();

    assertThatThrownBy(() -> store.inTransaction(tx -> null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.read(tx -> null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.submit(tx -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.reset()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.notify("events", "")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.listen("events", p -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closing_twice_is_harmless() {
    write(tx -> tx.apps().put(app(APP)));
    store.close();
    store.close();

    store = open(dir);
    assertThat(store.read((Tx tx) -> tx.apps().all())).hasSize(1);
  }

  // ---- helpers

  protected void write(Consumer<Tx> work) {
    store.inTransaction(tx -> {
      work.accept(tx);
      return null;
    });
  }

  protected StoredMessage append(String appid, String openid, String text) {
    return store.inTransaction(tx -> tx.messages()
        .append(appid, openid, Direction.FROM_USER, new Message.Text(text), T0));
  }

  private List<Integer> attemptNumbers(String appid, String openid, String outcome, int limit) {
    return store.read(tx -> tx.pushJournal().query(appid, openid, outcome, limit)).stream()
        .map(PushAttempt::attempt).toList();
  }

  private List<String> rids(JournalQuery query) {
    return store.read(tx -> tx.journal().query(query)).stream().map(JournalEntry::rid).toList();
  }

  protected static App app(String appid) {
    return new App(appid, hash("secret-" + appid), "gh_" + appid, WindowRules.SEED, true, PushSettings.NONE,
        ApiLimits.OFF);
  }

  protected static SecretHash hash(String secret) {
    return SecretHash.of(secret, new SplittableRandom(secret.hashCode()));
  }

  protected static AccessToken token(String value, String appid, TokenKind kind, Instant issuedAt) {
    return new AccessToken(value, appid, kind, issuedAt, issuedAt.plus(Duration.ofHours(2)), null, false);
  }

  protected static AccessToken forced(String value, String appid, Instant issuedAt) {
    return new AccessToken(value, appid, TokenKind.STABLE, issuedAt, issuedAt.plus(Duration.ofHours(2)), null,
        true);
  }

  /** A rule answering -1 to every call, for {@code count} calls and until {@code end}. */
  protected static FaultRule faultRule(String path, Integer count, Instant end) {
    return new FaultRule(0, path, "", "", new FaultEffect.Errcode(-1, null), count, end, 0, T0);
  }

  protected static JournalEntry entry(String appid, String path, int errcode, String rid) {
    return new JournalEntry(0, T0, "POST", path, appid, "", errcode, 100, rid, FaultMark.NONE);
  }

  /** A push attempt told apart by its number; the text fields are empty or short. */
  protected static PushAttempt attempt(String appid, String openid, String outcome, int attempt) {
    return new PushAttempt(0, 1, appid, openid, 0, attempt, T0, "https://dev.example.com/push", "", "", "{}", "", "",
        "", "", "", outcome.equals("timeout") ? 0 : 200, "success", 100, outcome, "", FaultMark.NONE);
  }

  protected static PushAttempt withId(PushAttempt a, long id) {
    return new PushAttempt(id, a.outboxId(), a.appid(), a.openid(), a.msgId(), a.attempt(), a.at(), a.url(),
        a.query(), a.requestHeaders(), a.requestBody(), a.canonical(), a.signature(), a.msgCanonical(),
        a.msgSignature(), a.plaintext(), a.status(), a.responseBody(), a.latencyMicros(), a.outcome(), a.reason(),
        a.fault());
  }

  protected static AgentSession waiting(String appid, String openid, Instant since) {
    return new AgentSession(appid, openid, AgentSessionState.WAITING, null, since, null, since);
  }

  protected static AgentSession active(String appid, String openid, Instant acceptedAt, Instant lastActivityAt) {
    return new AgentSession(appid, openid, AgentSessionState.ACTIVE, "kf001", acceptedAt.minusSeconds(60),
        acceptedAt, lastActivityAt);
  }

  /** Waits for a latch inside work or a task; a latch that never opens fails the test instead of hanging it. */
  protected static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("latch did not open within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a latch", e);
    }
  }
}
