package kefu.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import kefu.server.config.ServerConfig;
import kefu.server.push.DeliveryOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web consoles in a real browser (headless Chromium) against an in-process kefu: the phone, the agents'
 * workbench and the developer's dashboard, live through Server-Sent Events. Each test leaves one full-page screenshot
 * per page in {@code target/screenshots/}, whether it passed or not.
 */
class ConsoleBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final Duration PUSH_WAIT = Duration.ofSeconds(10);
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final String XSS_FLAG = "<img src=x onerror=window.__xss=1>";
  static final String TRANSFER = "<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[gh]]>"
      + "</FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>";
  static final UnaryOperator<ServerConfig> ONE_ATTEMPT = c -> c.withDelivery(
      new DeliveryOptions(Duration.ofSeconds(2), 1, Duration.ZERO));

  static ConsoleBrowser browser;
  ConsoleKefu kefu;
  DeveloperReceiver developer;

  @BeforeAll
  static void startBrowser() throws IOException {
    browser = ConsoleBrowser.start();
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void start() throws IOException {
    kefu = ConsoleKefu.start(ONE_ATTEMPT);
    developer = new DeveloperReceiver();
  }

  @AfterEach
  void stop(TestInfo test) throws IOException {
    try {
      browser.screenshots(SCREENSHOTS, test.getTestMethod().orElseThrow().getName());
    } finally {
      browser.driver.manage().window().setSize(new Dimension(1280, 900));
      browser.reset();
      developer.close();
      kefu.close();
    }
  }

  /** The phone's live stream is connected (its first event, ready, has been handled). */
  void phoneIsLive() {
    browser.until(ExpectedConditions.attributeToBe(By.id("messages"), "data-live", "true"));
  }

  void assertNoConsoleErrors() {
    assertThat(browser.takeConsoleErrors()).as("browser console errors").isEmpty();
  }

  @Test
  void a_user_on_the_phone_says_hello_and_sees_the_developers_reply_within_two_seconds() throws Exception {
    kefu.pushTo(developer.url());
    String alice = kefu.newUser("o-alice", "Alice");
    browser.open("phone", kefu.page("phone", "user=" + alice));
    phoneIsLive();
    browser.script("window.__sameDocument = true");

    WebElement text = browser.find("#text");
    text.sendKeys("你好", Keys.ENTER);
    DeveloperReceiver.Push push = developer.takePush(PUSH_WAIT);
    assertThat(push.body()).contains("<Content><![CDATA[你好]]></Content>");
    browser.waitForText("#messages .msg.from_user", "你好");

    assertThat(kefu.sendText(alice, "您好，这里是开发者的回复").path("errcode").asInt()).isZero();
    browser.until(Duration.ofSeconds(2), d -> browser.findAll("#messages .msg.to_user").stream()
        .anyMatch(e -> e.getText().contains("您好，这里是开发者的回复")));
    assertThat(browser.script("return window.__sameDocument")).as("no reload").isEqualTo(true);
    assertThat(browser.find("#window-state").getText()).contains("4").contains("48:00:00");

    String amy = kefu.newUser("o-amy", "Amy");
    browser.open("second-phone", kefu.page("phone", "user=" + amy));
    phoneIsLive();
    browser.find("#text").sendKeys("我是另一部手机", Keys.ENTER);
    browser.waitForText("#messages .msg.from_user", "我是另一部手机");
    assertThat(browser.findAll("#messages .msg")).as("each tab is its own phone").hasSize(1);
    browser.show("phone");
    assertThat(browser.findAll("#messages .msg")).extracting(WebElement::getText)
        .noneMatch(shown -> shown.contains("我是另一部手机"));
    assertNoConsoleErrors();
  }

  @Test
  void a_transferred_user_is_accepted_and_answered_by_an_agent_until_the_window_closes() throws Exception {
    kefu.pushTo(developer.url());
    developer.answer(TRANSFER);
    String bob = kefu.newUser("o-bob", "Bob");
    browser.open("phone", kefu.page("phone", "user=" + bob));
    phoneIsLive();
    browser.find("#text").sendKeys("转人工", Keys.ENTER);
    developer.takePush(PUSH_WAIT);

    browser.open("agent", kefu.page("agent", "agent=kf001"));
    browser.find("#nickname").sendKeys("小王", Keys.ENTER);
    browser.until(ExpectedConditions.textToBe(By.id("agent-status"), "在线"));
    browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#queue li[data-openid=o-bob]")));
    kefu.says(bob, "还在吗");
    browser.until(ExpectedConditions.textToBe(By.cssSelector("#queue li[data-openid=o-bob] .badge.count"), "1"));
    browser.find("#queue li[data-openid=o-bob] .accept").click();
    browser.until(ExpectedConditions.textToBe(By.id("conv-title"), bob));
    browser.waitForText("#history .msg.from_user", "转人工");
    assertThat(browser.findAll("#sessions li[data-openid=o-bob] .badge.count")).as("read once opened").isEmpty();
    browser.until(ExpectedConditions.textToBe(By.id("sends-left"), "5"));
    browser.until(ExpectedConditions.textToBe(By.id("time-left"), "48:00:00"));
    assertThat(browser.find("#reply").isEnabled()).isTrue();
    browser.find("#reply").sendKeys("您好，我是客服小王", Keys.ENTER);
    browser.waitForText("#history .msg.from_agent", "您好，我是客服小王");

    browser.show("phone");
    browser.waitForText("#messages .msg.from_agent", "您好，我是客服小王");

    browser.open("dev", kefu.page("dev", ""));
    browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#users tr[data-openid=o-bob]"), "48:00:00"));
    browser.find("#advance-172800").sendKeys(Keys.ENTER);
    browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("clock-line"), "48:00:00"));

    browser.show("agent");
    browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer-reason")));
    browser.waitForText("#composer-reason", "45015");
    assertThat(browser.find("#reply").isEnabled()).isFalse();
    assertThat(browser.find("#send").isEnabled()).isFalse();
    assertThat(browser.find("#time-left").getText()).isEqualTo("已关闭");
    JsonNode refused = kefu.post(ConsoleKefu.APP + "/agents/kf001/messages",
        "{\"touser\":\"o-bob\",\"msgtype\":\"text\",\"text\":{\"content\":\"late\"}}");
    assertThat(refused.path("errcode").asInt()).as("the server agrees").isIn(45015, 409);
    assertNoConsoleErrors();
  }

  @Test
  void the_push_debugger_shows_the_strings_kefu_signed_when_the_developer_rejects_the_signature() throws Exception {
    kefu.pushTo(developer.url());
    developer.answer("invalid signature");
    String carol = kefu.newUser("o-carol", "Carol");
    kefu.says(carol, "签名对吗");
    developer.takePush(PUSH_WAIT);
    JsonNode attempt = Awaitility.await().atMost(PUSH_WAIT).until(
        () -> kefu.get(ConsoleKefu.APP + "/pushes?status=abnormal").path("pushes").path(0),
        p -> !p.isMissingNode());

    browser.open("dev", kefu.page("dev", ""));
    browser.find("#lang-toggle").click();
    browser.until(ExpectedConditions.textToBe(By.id("pushes-title"), "Push journal · signature debugger"));
    String canonical = attempt.path("signature").path("canonical").asText();
    assertThat(canonical).as("kefu shows the Token as {token}").contains("{token}").doesNotContain("kefutoken");
    // the developer's server signed with another token: the same string around it, another signature
    browser.find("#p-compare").sendKeys(canonical.replace("{token}", "wrongtoken"));
    browser.until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("#pushes details[data-outcome=abnormal] > summary"))).click();
    String details = "#pushes details[data-outcome=abnormal] ";
    browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(details + "pre[data-field='signature.canonical']")));
    assertThat(browser.find(details + "pre[data-field='signature.canonical']").getText())
        .isEqualTo(attempt.path("signature").path("canonical").asText()).isNotEmpty();
    assertThat(browser.find(details + "pre[data-field='signature.signature']").getText())
        .isEqualTo(attempt.path("signature").path("signature").asText()).hasSize(40);
    assertThat(browser.find(details + "pre[data-field='reason']").getText())
        .isEqualTo(attempt.path("reason").asText()).isNotEmpty();
    assertThat(browser.find(details + "pre[data-field='response.body']").getText()).isEqualTo("invalid signature");
    assertThat(browser.find(details + "pre[data-field='request.plaintext']").getText()).contains("签名对吗");
    browser.waitForText(details + ".compare.diff", "identical apart from the Token, which signs differently");
    WebElement compare = browser.find("#p-compare");
    compare.clear();
    compare.sendKeys(canonical.replace("{token}", "kefutoken").replaceFirst("[0-9]", "x"));
    browser.waitForText(details + ".compare.diff", "✗ differs from character 1");
    compare.clear();
    compare.sendKeys(canonical.replace("{token}", "kefutoken"));
    browser.waitForText(details + ".compare.same", "✓ identical (your Token gives kefu's signature)");
    compare.clear();
    compare.sendKeys(canonical.replace("{token}", "wrongtoken"));
    browser.waitForText(details + ".compare.diff", "identical apart from the Token, which signs differently");

    WebElement url = browser.find("#push-url");
    url.clear();
    url.sendKeys("http://127.0.0.1:9/wx");
    browser.find("#check-url").click();
    browser.waitForText("#app-line", "push.url refused");
    assertThat(kefu.get(ConsoleKefu.APP).path("push").path("url").asText()).as("nothing saved")
        .isEqualTo(developer.url());

    browser.open("phone", kefu.page("phone", "user=" + carol));
    browser.waitForText("#messages .msg.system", "该小程序客服暂时无法提供服务，请稍后再试");

    assertNoConsoleErrors();
  }

  @Test
  void the_dashboard_marks_the_calls_and_pushes_a_fault_rule_changed() throws Exception {
    kefu.pushTo(developer.url());
    String dave = kefu.newUser("o-dave", "Dave");
    long quota = kefu.post("/kefu/v1/faults", "{\"path\":\"/cgi-bin/message/custom/send\","
        + "\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"count\":1}").path("id").asLong();
    long twice = kefu.post("/kefu/v1/faults", "{\"effect\":{\"type\":\"duplicate_push\"},\"count\":1}")
        .path("id").asLong();
    kefu.says(dave, "twice");
    developer.takePush(PUSH_WAIT);
    developer.takePush(PUSH_WAIT);
    assertThat(kefu.sendText(dave, "quota").path("errcode").asInt()).isEqualTo(45009);

    browser.open("dev", kefu.page("dev", ""));
    browser.waitForText("#journal .badge.fault[data-fault='" + quota + "']", "#" + quota);
    assertThat(browser.find("#journal .badge.fault").getText()).contains("errcode 45009");
    browser.waitForText("#pushes .badge.fault[data-fault='" + twice + "']", "duplicate push");
    assertThat(browser.findAll("#pushes details")).hasSize(2);
    assertNoConsoleErrors();
  }

  @Test
  void the_dashboard_switches_api_limits_on_and_shows_todays_and_this_minutes_calls() throws Exception {
    browser.open("dev", kefu.page("dev", ""));
    browser.find("#lang-toggle").click();
    browser.until(ExpectedConditions.textToBe(By.id("limits-title"), "API limits"));
    browser.waitForText("#limits", "Off: calls are neither counted nor limited");

    browser.find("#limits-on").click();
    String token = "#limits tr[data-path='/cgi-bin/token'] ";
    browser.waitForText(token + "td[data-quota=daily]", "0 / 2000");
    assertThat(kefu.get(ConsoleKefu.APP).path("limits").path("/cgi-bin/token").path("daily").asInt())
        .as("switched on with WeChat's figures").isEqualTo(2000);
    kefu.token();
    kefu.token();
    browser.find("#refresh-limits").click();
    browser.waitForText(token + "td[data-quota=daily]", "2 / 2000");
    browser.waitForText(token + "td[data-quota=per_minute]", "2 / no limit");

    kefu.put(ConsoleKefu.APP, "{\"limits\":{\"/cgi-bin/token\":{\"daily\":2}}}");
    browser.find("#refresh-limits").click();
    browser.waitForText(token + "td[data-quota=daily] .badge.bad", "2 / 2");
    browser.find("#advance-60").click();
    browser.waitForText(token + "td[data-quota=per_minute]", "0 / no limit");
    assertThat(browser.find(token + "td[data-quota=daily]").getText()).isEqualTo("2 / 2");

    browser.find("#limits-on").click();
    browser.waitForText("#limits", "Off: calls are neither counted nor limited");
    assertThat(kefu.get(ConsoleKefu.APP).path("limits").asBoolean(true)).isFalse();
    assertNoConsoleErrors();
  }

  @Test
  void markup_from_the_user_and_from_the_api_shows_as_text_on_every_page() throws Exception {
    kefu.pushTo(developer.url());
    developer.answer(TRANSFER);
    String mallory = kefu.newUser("o-mallory", XSS);
    kefu.put(ConsoleKefu.APP + "/agents/kf001", "{\"nickname\":\"" + XSS + "\",\"status\":\"online\"}");

    browser.open("phone", kefu.page("phone", "user=" + mallory));
    phoneIsLive();
    browser.find("#text").sendKeys(XSS, Keys.ENTER);
    developer.takePush(PUSH_WAIT);
    browser.waitForText("#messages .msg.from_user", XSS);
    assertThat(kefu.sendText(mallory, XSS_FLAG).path("errcode").asInt()).isZero();
    browser.waitForText("#messages .msg.to_user", XSS_FLAG);
    assertThat(browser.find("#user option[value=o-mallory]").getText()).contains(XSS);
    browser.assertNoScriptRan();

    browser.open("agent", kefu.page("agent", "agent=kf001"));
    browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#queue li[data-openid=o-mallory] .accept"))).click();
    browser.waitForText("#history .msg.from_user", XSS);
    browser.waitForText("#history .msg.to_user", XSS_FLAG);
    browser.find("#reply").sendKeys(XSS_FLAG, Keys.ENTER);
    browser.waitForText("#history .msg.from_agent", XSS_FLAG);
    browser.assertNoScriptRan();
    browser.find("#close-session").click();
    browser.waitForText("#composer-reason", "会话已结束");
    assertThat(browser.findAll("#sessions li[data-openid]")).isEmpty();

    browser.open("dev", kefu.page("dev", ""));
    browser.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#pushes details > summary"))).click();
    browser.waitForText("#pushes pre[data-field='request.plaintext']", XSS);
    browser.assertNoScriptRan();
    browser.waitForText("#tokens tr[data-state=valid]", "有效");
    browser.waitForText("#journal", "/cgi-bin/message/custom/send");
    browser.find("#j-path").sendKeys("/cgi-bin/token", Keys.ENTER);
    browser.until(d -> browser.findAll("#journal tr").size() == 1
        && browser.find("#journal tr").getText().contains("/cgi-bin/token"));

    browser.show("phone");
    browser.waitForText("#messages .msg.from_agent", XSS_FLAG);
    browser.assertNoScriptRan();
    assertNoConsoleErrors();
  }

  @Test
  void the_phone_enters_with_a_session_from_sends_an_image_and_a_card_and_shows_the_typing_indicator()
      throws Exception {
    String erin = kefu.newUser("o-erin", "Erin");
    browser.open("phone", kefu.page("phone", "user=" + erin));
    phoneIsLive();
    WebElement sessionFrom = browser.find("#session-from");
    sessionFrom.clear();
    sessionFrom.sendKeys("goods-page", Keys.ENTER);
    browser.waitForText("#messages .msg.event", "session_from: goods-page");
    browser.waitForText("#window-state", "0:01:00");

    Path png = Files.createTempFile("kefu-console", ".png");
    BufferedImage square = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = square.createGraphics();
    g.setColor(new Color(0x07c160));
    g.fillRect(0, 0, 48, 48);
    g.dispose();
    ImageIO.write(square, "png", png.toFile());
    browser.find("#image-input").sendKeys(png.toAbsolutePath().toString());
    browser.until(d -> Boolean.TRUE.equals(browser.script(
        "const i = document.querySelector('#messages .msg.from_user img.photo'); return !!i && i.complete && i.naturalWidth === 48")));
    Files.delete(png);

    browser.find("#card-button").click();
    browser.find("#card-title").sendKeys("商品详情");
    browser.find("#card-send").click();
    browser.waitForText("#messages .msg.from_user .card-title", "商品详情");
    assertThat(browser.find("#card-form").isDisplayed()).isFalse();

    JsonNode typing = kefu.post("/cgi-bin/message/custom/typing?access_token=" + kefu.token(),
        "{\"touser\":\"" + erin + "\",\"command\":\"Typing\"}");
    assertThat(typing.path("errcode").asInt()).isZero();
    browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("typing")));
    assertThat(browser.find("#typing").getText()).isEqualTo("对方正在输入…");
    kefu.sendText(erin, "图片收到了");
    browser.waitForText("#messages .msg.to_user", "图片收到了");
    browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("typing")));
    assertNoConsoleErrors();
  }

  @Test
  void with_an_admin_token_the_pages_ask_for_it_and_send_it_from_this_tab_only() throws Exception {
    kefu.close();
    kefu = ConsoleKefu.start(c -> ONE_ATTEMPT.apply(c).withAdminToken("console-admin-token"));
    String frank = kefu.newUser("o-frank", "Frank");
    browser.open("phone", kefu.page("phone", "user=" + frank));
    browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
    assertThat(browser.find("#notice").getText()).contains("KEFU_ADMIN_TOKEN");
    assertThat(browser.find("#token-box").getAttribute("open")).isNotNull();
    browser.find("#token-input").sendKeys("console-admin-token", Keys.ENTER);
    phoneIsLive();
    kefu.says(frank, "令牌好了");
    browser.waitForText("#messages .msg.from_user", "令牌好了");
    kefu.sendText(frank, "收到");
    browser.waitForText("#messages .msg.to_user", "收到");
    assertThat(browser.script("return sessionStorage.getItem('kefu.adminToken')")).isEqualTo("console-admin-token");
    assertThat(browser.script("return JSON.stringify(localStorage)")).asString().doesNotContain("console-admin-token");
    assertThat(browser.takeConsoleErrors()).as("only the calls made before the token was given failed")
        .allMatch(e -> e.contains("401"));
  }

  @Test
  void every_page_fits_a_360_pixel_wide_screen() throws Exception {
    String dave = kefu.newUser("o-dave", "Dave");
    kefu.says(dave, "我用的是小屏手机");
    browser.driver.manage().window().setSize(new Dimension(360, 760));
    for (String page : new String[] {"phone", "agent", "dev"}) {
      browser.open(page, kefu.page(page, "user=" + dave));
      browser.until(d -> Boolean.TRUE.equals(browser.script("return document.readyState === 'complete'")));
      if (page.equals("phone")) {
        phoneIsLive();
        browser.waitForText("#messages .msg.from_user", "我用的是小屏手机");
        assertThat(browser.find(".phone").getSize().getWidth()).isLessThanOrEqualTo(360);
      }
      long clientWidth = (Long) browser.script("return document.documentElement.clientWidth");
      long scrollWidth = (Long) browser.script("return document.documentElement.scrollWidth");
      assertThat(scrollWidth).as(page + " scrolls sideways").isLessThanOrEqualTo(clientWidth);
      assertThat(browser.script("return [...document.querySelectorAll('.card, .phone')]"
          + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length"))
          .as(page + ": cards wider than the screen").isEqualTo(0L);
    }

    browser.find("#reset").click();
    browser.until(ExpectedConditions.elementToBeClickable(By.id("reset-confirm"))).click();
    browser.waitForText("#clock-line", "已重置");
    browser.waitForText("#users", "没有用户");
    assertThat(kefu.get(ConsoleKefu.APP + "/users").path("users")).isEmpty();
    assertNoConsoleErrors();
  }
}
