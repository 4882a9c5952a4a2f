package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import kefu.protocol.media.ImageFormat;
import kefu.protocol.send.Message;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.TokenKind;
import kefu.protocol.token.TokenRules;
import kefu.protocol.window.Trigger;
import kefu.protocol.window.Window;
import kefu.server.RouteCatalogue.Route;
import kefu.server.config.ConfiguredApp;
import kefu.store.Agent;
import kefu.store.AgentSession;
import kefu.store.AgentSessionState;
import kefu.store.AgentStatus;
import kefu.store.Direction;
import kefu.store.MediaItem;
import kefu.store.User;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing every route over HTTP against a real kefu: a valid-looking request for a route (every route of
 * {@link Routes} and the consoles, see {@link RouteCatalogue}) changed by a few {@link Mutation}s, or bytes that are
 * hardly HTTP at all. Whatever arrives, kefu answers below 500; an error is WeChat-shaped JSON
 * ({@code errcode}, {@code errmsg} ending in a rid) with no stack trace or internal detail; a refused request changes
 * nothing in the store (its journals aside); and kefu answers the next request.
 */
class EndpointFuzzProperties {
  static final ConfiguredApp DEMO = TestKefu.DEMO;
  static final String ALICE = "o-fuzz-alice";
  static final String BOB = "o-fuzz-bob";
  static final String AGENT = "kf001";
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final Pattern RID = Pattern.compile(".* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}", Pattern.DOTALL);
  /** What must never reach a client: stack traces, class and package names, SQL, file paths, parser positions. */
  static final List<String> LEAKS = List.of("Exception", "\tat ", "at kefu.", "at java.", "java.lang", "java.io",
      "io.helidon", "com.fasterxml", "org.sqlite", "org.postgresql", "SQLITE", "Caused by", ".java:", "/tmp/",
      "kefu-fuzz", "[Source:", "line: ", "column: ");
  static final List<Route> ROUTES = RouteCatalogue.all();

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final AccessToken TOKEN = TokenRules.issue(DEMO.appid(), TokenKind.ORDINARY, false, T0,
      new SplittableRandom(7));
  static final MediaItem IMAGE = new MediaItem("fuzz-media-0001", DEMO.appid(), ImageFormat.PNG, MediaHttpTest.PNG,
      T0);

  static Path dir;
  static TestKefu kefu;
  /** Whether the last request changed the store, so that the next one must start from a restored one. */
  static boolean dirty = true;

  @BeforeContainer
  static void start() throws IOException {
    // in memory where there is a tmpfs: each restore commits twice, and commits wait for the disk
    Path memory = Path.of("/dev/shm");
    dir = Files.isWritable(memory) ? Files.createTempDirectory(memory, "kefu-fuzz")
        : Files.createTempDirectory("kefu-fuzz");
    kefu = TestKefu.start(dir);
  }

  @AfterContainer
  static void stop() throws IOException {
    kefu.close();
    TestKefu.deleteTree(dir);
  }

  @Example
  void the_fuzzer_knows_every_route_and_each_is_served() {
    assertThat(ROUTES).hasSizeGreaterThanOrEqualTo(30)
        .contains(new Route("ANY", "/cgi-bin/message/custom/send"), new Route("GET", "/phone"),
            new Route("GET", "/kefu/v1/apps/{appid}/users/{openid}/events"));
    for (Route route : ROUTES) {
      restore();
      RawHttp.Answer a = RawHttp.exchange(kefu.server.port(), valid(route, 0).toBytes(), PATIENCE);
      assertThat(a.status()).as("%s: %s", route, a).isBetween(200, 499).isNotEqualTo(404);
    }
  }

  @Property(tries = 1000)
  void a_mutated_request_to_any_route_is_answered_in_shape_and_changes_nothing_when_refused(
      @ForAll("routes") Route route, @ForAll("variants") int variant, @ForAll("mutations") List<Mutation> mutations) {
    if (dirty) {
      restore();
    }
    FuzzedRequest r = valid(route, variant);
    mutations.stream().sorted(Comparator.comparingInt(Mutation::phase)).forEach(m -> m.apply(r));
    exchangeAndCheck(r.toBytes());
  }

  @Property(tries = 250)
  void bytes_that_are_hardly_http_are_refused_in_shape(@ForAll("garbage") byte[] request) {
    if (dirty) {
      restore();
    }
    exchangeAndCheck(request);
  }

  // --- the checks ----------------------------------------------------------------------------------------------

  static void exchangeAndCheck(byte[] request) {
    TreeMap<String, List<String>> before = StoreSnapshot.of(dir);
    RawHttp.Answer a = RawHttp.exchange(kefu.server.port(), request, PATIENCE);
    String what = RawHttp.preview(request) + "\n→ " + a;
    assertThat(a.status()).as(what).isLessThan(500);
    boolean refused = a.status() == -1 || a.status() >= 400 || errcode(a) != 0;
    Statistics.label("answers").collect(a.status() == -1 ? "no answer" : a.status() >= 400 ? a.status() / 100 + "xx"
        : errcode(a) != 0 ? "errcode" : "accepted");
    assertThat(errcode(a)).as("an exception escaped an endpoint: " + what).isNotEqualTo(-1);
    if (a.status() >= 400 && !RawHttp.isHead(request)) {
      assertThat(a.isJson()).as(what).isTrue();
    }
    if (a.isJson() && a.body().length > 0) {
      JsonNode body = a.json().orElseThrow(() -> new AssertionError("not a JSON object: " + what));
      if (body.has("errcode") && body.path("errcode").asInt() != 0) {
        assertThat(body.path("errcode").isInt()).as(what).isTrue();
        assertThat(body.path("errmsg").asText()).as(what).matches(RID);
      }
      for (String leak : LEAKS) {
        assertThat(a.text()).as(what).doesNotContain(leak);
      }
    }
    TreeMap<String, List<String>> after = StoreSnapshot.of(dir);
    if (refused) {
      assertThat(after).as(what).isEqualTo(before);
    }
    dirty = !after.equals(before);
    RawHttp.Answer health = RawHttp.exchange(kefu.server.port(),
        RawHttp.request("GET", "/kefu/v1/health", List.of(), new byte[0]), PATIENCE);
    assertThat(health.status()).as("health after " + what).isEqualTo(200);
  }

  static int errcode(RawHttp.Answer a) {
    return a.isJson() ? a.json().map(j -> j.path("errcode").asInt(0)).orElse(0) : 0;
  }

  // --- the state every request starts from ---------------------------------------------------------------------

  /**
   * Empties the store and puts back the demo app, two users (alice with an open window, a message and a session
   * held by an agent; bob waiting for one), the agent, a token and an image.
   */
  static void restore() {
    kefu.server.store().reset();
    kefu.clock.freeze(true);
    Instant now = kefu.clock.set(T0);
    kefu.server.store().inTransaction(tx -> {
      tx.apps().put(DEMO.app());
      tx.users().create(new User(DEMO.appid(), ALICE, "alice", now));
      tx.users().create(new User(DEMO.appid(), BOB, "bob", now));
      tx.windows().put(DEMO.appid(), ALICE, new Window(5, now.plus(Duration.ofHours(48)), Trigger.MESSAGE));
      tx.messages().append(DEMO.appid(), ALICE, Direction.FROM_USER, new Message.Text("hi"), now);
      tx.tokens().insert(TOKEN);
      tx.media().put(IMAGE);
      tx.agents().put(new Agent(DEMO.appid(), AGENT, "小王", AgentStatus.ONLINE, now));
      tx.agentSessions().put(new AgentSession(DEMO.appid(), ALICE, AgentSessionState.ACTIVE, AGENT, now, now, now));
      tx.agentSessions().put(new AgentSession(DEMO.appid(), BOB, AgentSessionState.WAITING, null, now, null, now));
      return null;
    });
    dirty = false;
  }

  // --- valid-looking requests ----------------------------------------------------------------------------------

  /** A request the route accepts (or refuses for a reason of state, not of form); {@code variant} picks among kinds. */
  static FuzzedRequest valid(Route route, int variant) {
    String t = route.template();
    String openid = t.contains("/sessions/") ? ALICE : variant % 2 == 0 ? ALICE : BOB;
    Map<String, String> params = Map.of("appid", DEMO.appid(), "openid", openid, "account", AGENT,
        "mediaId", IMAGE.mediaId(), "id", String.valueOf(variant + 1));
    String verb = route.verb().equals("ANY") ? wechatMethod(t) : route.verb();
    FuzzedRequest r = new FuzzedRequest(verb, t, params);
    switch (t) {
      case "/cgi-bin/token" -> r.query("grant_type", "client_credential").query("appid", DEMO.appid())
          .query("secret", DEMO.secret());
      case "/cgi-bin/stable_token" -> r.json(obj().put("grant_type", "client_credential").put("appid", DEMO.appid())
          .put("secret", DEMO.secret()).put("force_refresh", variant == 3));
      case "/cgi-bin/message/custom/send" -> r.query("access_token", TOKEN.value()).json(sendBody(ALICE, variant));
      case "/cgi-bin/message/custom/typing", "/cgi-bin/message/custom/business/typing" ->
          r.query("access_token", TOKEN.value()).json(obj().put("touser", ALICE)
              .put("command", variant % 2 == 0 ? "Typing" : "CancelTyping"));
      case "/cgi-bin/media/upload" -> r.query("access_token", TOKEN.value()).query("type", "image")
          .bytes(MediaHttpTest.multipart("media", MediaHttpTest.PNG, "image/png"),
              "multipart/form-data; boundary=" + MediaHttpTest.BOUNDARY);
      case "/cgi-bin/media/get" -> r.query("access_token", TOKEN.value()).query("media_id", IMAGE.mediaId());
      case "/kefu/v1/clock" -> {
        if (verb.equals("POST")) {
          r.json(obj().put("advance_seconds", variant));
        }
      }
      case "/kefu/v1/journal" -> r.query("limit", "5").query("errcode", "0").query("path", "/cgi-bin/token");
      case "/kefu/v1/apps/{appid}" -> {
        if (verb.equals("PUT")) {
          r.json(obj().put("secret", DEMO.secret()).put("rules", variant % 2 == 0 ? "seed" : "current")
              .put("customer_service", true));
        }
      }
      case "/kefu/v1/apps/{appid}/users" -> {
        if (verb.equals("POST")) {
          r.json(obj().put("openid", "o-fuzz-carol").put("nickname", "carol"));
        }
      }
      case "/kefu/v1/apps/{appid}/users/{openid}/enter" -> r.json(obj().put("session_from", "fuzz"));
      case "/kefu/v1/apps/{appid}/users/{openid}/messages" -> r.json(userMessage(variant));
      case "/kefu/v1/apps/{appid}/users/{openid}/conversation", "/kefu/v1/apps/{appid}/tokens" ->
          r.query("limit", "5");
      case "/kefu/v1/apps/{appid}/pushes" -> r.query("limit", "5").query("openid", ALICE)
          .query("status", "delivered");
      case "/kefu/v1/apps/{appid}/agents/{account}" -> r.json(obj().put("nickname", "小王").put("status", "online"));
      case "/kefu/v1/apps/{appid}/agents/{account}/accept" -> r.json(obj().put("openid", BOB));
      case "/kefu/v1/apps/{appid}/agents/{account}/messages" -> r.json(sendBody(ALICE, variant % 2));
      case "/kefu/v1/faults" -> {
        if (verb.equals("POST")) {
          ObjectNode rule = obj().put("path", "/cgi-bin/media/get").put("count", variant + 1);
          rule.putObject("effect").put("type", "errcode").put("errcode", 45009);
          r.json(rule);
        }
      }
      default -> {
        if (verb.equals("POST") || verb.equals("PUT")) {
          r.json(obj());
        }
      }
    }
    return r;
  }

  private static String wechatMethod(String template) {
    return template.equals("/cgi-bin/token") || template.equals("/cgi-bin/media/get") ? "GET" : "POST";
  }

  private static ObjectNode sendBody(String touser, int variant) {
    ObjectNode o = obj().put("touser", touser);
    switch (variant) {
      case 1 -> o.put("msgtype", "image").putObject("image").put("media_id", IMAGE.mediaId());
      case 2 -> o.put("msgtype", "link").putObject("link").put("title", "t").put("description", "d")
          .put("url", "https://example.com/").put("thumb_url", "https://example.com/t.png");
      case 3 -> o.put("msgtype", "miniprogrampage").putObject("miniprogrampage").put("title", "t")
          .put("pagepath", "pages/index").put("thumb_media_id", IMAGE.mediaId());
      default -> o.put("msgtype", "text").putObject("text").put("content", "您好");
    }
    return o;
  }

  private static ObjectNode userMessage(int variant) {
    ObjectNode o = obj();
    switch (variant) {
      case 1 -> o.put("msgtype", "image").putObject("image")
          .put("data_base64", Base64.getEncoder().encodeToString(MediaHttpTest.PNG));
      case 2 -> o.put("msgtype", "image").putObject("image").put("media_id", IMAGE.mediaId());
      case 3 -> o.put("msgtype", "miniprogrampage").putObject("miniprogrampage").put("title", "t")
          .put("pagepath", "pages/index").put("thumb_media_id", IMAGE.mediaId());
      default -> o.put("msgtype", "text").putObject("text").put("content", "你好");
    }
    return o;
  }

  private static ObjectNode obj() {
    return FuzzedRequest.object();
  }

  // --- generators ----------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<Route> routes() {
    return Arbitraries.of(ROUTES);
  }

  @Provide
  Arbitrary<Integer> variants() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 20);
    Arbitrary<Mutation> one = Arbitraries.frequencyOf(
        Tuple.of(2, methods().map(Mutation.Method::new)),
        Tuple.of(1, Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/1.1 x",
            "http/1.1", "HTTP/11").map(Mutation.Version::new)),
        Tuple.of(3, Combinators.combine(n, pathValues()).as(Mutation.PathParam::new)),
        Tuple.of(2, n.map(Mutation.QueryDrop::new)),
        Tuple.of(3, Combinators.combine(n, queryValues()).as(Mutation.QuerySet::new)),
        Tuple.of(2, Combinators.combine(n, queryValues()).as(Mutation.QueryRepeat::new)),
        Tuple.of(1, Arbitraries.of("&&", "=", "==x", "%zz=%zz", "a=1&a=2&a", "limit=-1",
            "limit=99999999999", "errcode=abc", "skip_url_check=true", "%00=%00", "x".repeat(3000))
            .map(Mutation.QueryRaw::new)),
        Tuple.of(4, headers().map(Mutation.HeaderAdd::new)),
        Tuple.of(2, n.map(Mutation.HeaderDrop::new)),
        Tuple.of(4, Combinators.combine(n, n).as(Mutation.JsonRemove::new)),
        Tuple.of(6, Combinators.combine(n, n, jsonValues()).as(Mutation.JsonReplace::new)),
        Tuple.of(3, Combinators.combine(n, weirdStrings(), jsonValues()).as(Mutation.JsonAdd::new)),
        Tuple.of(1, jsonValues().map(Mutation.JsonRoot::new)),
        Tuple.of(1, weirdStrings().map(Mutation.DuplicateMember::new)),
        Tuple.of(2, Arbitraries.integers().between(0, 99).map(Mutation.Truncate::new)),
        Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 100), insertions())
            .as(Mutation.Insert::new)),
        Tuple.of(1, bodies().map(Mutation.Replace::new)),
        Tuple.of(2, Arbitraries.of(FuzzedRequest.Framing.class).map(Mutation.Frame::new)));
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  static Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO",
        "get", "P0ST", "GET\tX", "");
  }

  static Arbitrary<String> pathValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "..", "%2e%2e", "%2F", "a%2Fb", "%00", "%zz", "%", "%E4%BD%A0%E5%A5%BD", "你好",
            "%F0%9F%92%A9", "{appid}", ";x=1", "a.b", "-", "_", "@", "%20", "+", "wxkefudemo00000001", "o-fuzz-bob",
            "kf001", "x".repeat(70), "x".repeat(5000), "%C3%28", "/", "//", "..%2F..%2Fetc%2Fpasswd", "a?b", "a#b"),
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20)
            .map(s -> s.replace("?", "%3F").replace("#", "%23")));
  }

  static Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "%zz", "%", "%00", "%E4%BD%A0", "%C3%28", "null", "0", "-1", "9223372036854775808",
            "1e3", "true", "client_credential", "image", "video", "x".repeat(5000), "a%26b%3Dc", "+", "%2B",
            "wxkefudemo00000001", "fuzz-media-0001"),
        weirdStrings().map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)));
  }

  static Arbitrary<String> headers() {
    return Arbitraries.oneOf(
        Arbitraries.of("Content-Type: text/plain", "Content-Type: application/xml", "Content-Type: multipart/form-data",
            "Content-Type: multipart/form-data; boundary=", "Content-Type: multipart/form-data; boundary=zz",
            "Content-Type: multipart/mixed; boundary=\"" + MediaHttpTest.BOUNDARY + "\"", "Content-Type: ;;;",
            "Content-Type: application/json; charset=utf-16", "Content-Type: application/x-www-form-urlencoded",
            "Content-Encoding: gzip", "Content-Encoding: deflate", "Content-Encoding: br", "Content-Encoding: x",
            "Expect: 100-continue", "Expect: 200-ok", "Authorization: Bearer x", "Authorization: Basic Og==",
            "Host: evil.example", "Content-Length: 3", "Content-Length: -1", "Content-Length: abc",
            "Content-Length: 99999999999999999999", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip",
            "Transfer-Encoding: identity", "Connection: upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__",
            "Upgrade: websocket", "Accept: text/event-stream", "Accept-Encoding: gzip", "If-None-Match: *",
            "If-None-Match: \"x\"", "Range: bytes=0-1", "Cookie: a=b; ;;", "X-Forwarded-For: ::1, x",
            "Bad Header: x", "X-Empty:", ": no-name", "X-Unicode: 你好", "X-Nul: a\u0000b",
            "X-Long: " + "a".repeat(20_000), "X-Folded: a\r\n b"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(v -> "X-Fuzz: " + v));
  }

  static Arbitrary<String> weirdStrings() {
    return Arbitraries.oneOf(
        Arbitraries.of("", " ", "null", "0", "-1", "true", "[]", "{}", "\u0000", "\uFEFF", "💩", "𠜎𠜎",
            "\u202Etxet", "e\u0301", "\\", "\"", "\r\n", "%00", "../../etc/passwd", "<xml><a>&amp;</a></xml>",
            "' OR '1'='1", "${jndi:ldap://127.0.0.1:1/a}", "touser", "msgtype", "text", "image", "Typing",
            "o-fuzz-alice", "o-fuzz-bob", "fuzz-media-0001", "wxkefudemo00000001", "x".repeat(3000),
            "字".repeat(2000), "💩".repeat(700)),
        Arbitraries.strings().all().ofMaxLength(30));
  }

  static Arbitrary<JsonNode> jsonValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return Arbitraries.oneOf(
        Arbitraries.of(f.nullNode(), f.booleanNode(true), f.booleanNode(false), f.numberNode(0), f.numberNode(-1),
            f.numberNode(Integer.MAX_VALUE), f.numberNode(Long.MIN_VALUE),
            f.numberNode(new BigInteger("123456789012345678901234567890")), f.numberNode(1.5), f.numberNode(-0.0),
            f.numberNode(1e300), f.arrayNode(), f.objectNode(), deep(40)),
        weirdStrings().map(f::textNode),
        Arbitraries.integers().map(f::numberNode),
        weirdStrings().list().ofMaxSize(3).map(l -> {
          ArrayNode a = f.arrayNode();
          l.forEach(a::add);
          return a;
        }));
  }

  private static JsonNode deep(int depth) {
    JsonNode node = JsonNodeFactory.instance.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      node = JsonNodeFactory.instance.arrayNode().add(node);
    }
    return node;
  }

  static Arbitrary<byte[]> insertions() {
    return Arbitraries.oneOf(
        Arbitraries.of(new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xed,
            (byte) 0xa0, (byte) 0x80}, new byte[] {0}, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
            "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "--".getBytes(StandardCharsets.US_ASCII),
            ("\r\n--" + MediaHttpTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(16));
  }

  static Arbitrary<byte[]> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.of(new byte[0], " ".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII),
            "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
            ("{\"a\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.US_ASCII),
            "<xml><ToUserName>x</ToUserName></xml>".getBytes(StandardCharsets.US_ASCII),
            "touser=x&msgtype=text".getBytes(StandardCharsets.US_ASCII), MediaHttpTest.PNG),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> cut = Combinators.combine(Arbitraries.of(ROUTES), Arbitraries.integers().between(0, 99))
        .as((route, percent) -> {
          byte[] whole = valid(route, 0).toBytes();
          return java.util.Arrays.copyOf(whole, whole.length * percent / 100);
        });
    Arbitrary<byte[]> lines = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80)
        .map(line -> (line + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    Arbitrary<byte[]> classics = Arbitraries.of(
        "\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/1.1\r\n\r\n", "GET /kefu/v1/health\r\n\r\n",
        "GET " + "/x".repeat(3000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000",
        "GET /kefu/v1/health HTTP/1.1\r\nHost: a\r\n" + "X-A: b\r\n".repeat(3000) + "\r\n",
        "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}{}{}",
        "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
            + "0\r\n\r\n",
        "GET /kefu/v1/health HTTP/1.1\nHost: a\n\n")
        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
    return Arbitraries.oneOf(cut, lines, noise, classics);
  }
}
