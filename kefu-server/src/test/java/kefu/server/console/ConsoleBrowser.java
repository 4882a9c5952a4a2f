package kefu.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through {@code /usr/bin/chromedriver}, one tab per console page. Selenium Manager
 * never runs: the driver and the browser binary are given explicitly. Outside CI a missing browser skips the test;
 * with {@code CI=true} it fails it.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(10);

  final ChromeDriver driver;
  private final Path userDataDir;
  private final Map<String, String> tabs = new LinkedHashMap<>();
  private final List<String> consoleErrors = new ArrayList<>();

  private ConsoleBrowser(ChromeDriver driver, Path userDataDir) {
    this.driver = driver;
    this.userDataDir = userDataDir;
  }

  /** Skips (or, with CI=true, fails) when Chromium or chromedriver is not installed. */
  static void assumeInstalled() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
        + ": apt-get install -y chromium chromium-driver";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message + " (CI=true: a missing browser is a failure)");
    }
    Assumptions.abort(message);
  }

  static ConsoleBrowser start() throws IOException {
    assumeInstalled();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path userDataDir = Files.createTempDirectory("kefu-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + userDataDir, "--window-size=1280,900", "--lang=zh-CN");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new ConsoleBrowser(new ChromeDriver(service, options), userDataDir);
  }

  /** Opens url in the tab named page (a new tab the first time). */
  WebDriver open(String page, String url) {
    collectConsole();
    if (tabs.containsKey(page)) {
      driver.switchTo().window(tabs.get(page));
    } else if (tabs.isEmpty()) {
      tabs.put(page, driver.getWindowHandle());
    } else {
      driver.switchTo().newWindow(WindowType.TAB);
      tabs.put(page, driver.getWindowHandle());
    }
    driver.get(url);
    return driver;
  }

  /** Brings the page's tab to the front. */
  WebDriver show(String page) {
    collectConsole();
    driver.switchTo().window(tabs.get(page));
    return driver;
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  <T> T until(ExpectedCondition<T> condition) {
    return until(WAIT, condition);
  }

  /** Waits for {@code condition}; an element the page re-rendered meanwhile (stale) is looked up again. */
  <T> T until(Duration timeout, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** The text of the first element matching css, once it contains {@code text}. */
  void waitForText(String css, String text) {
    until(d -> d.findElements(By.cssSelector(css)).stream().anyMatch(e -> e.getText().contains(text)));
  }

  /** No alert is open and nothing set window.__xss, in the current tab. */
  void assertNoScriptRan() {
    Assertions.assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "an alert is open");
    assertThat(script("return window.__xss === undefined")).as("window.__xss set").isEqualTo(true);
    assertThat(script("return document.querySelectorAll('img[src=\"x\"]').length")).as("<img src=x> in the DOM")
        .isEqualTo(0L);
  }

  /** The console errors (SEVERE entries) of every tab, since the browser started or the last call. */
  List<String> takeConsoleErrors() {
    for (String handle : tabs.values()) {
      driver.switchTo().window(handle);
      collectConsole();
    }
    List<String> errors = List.copyOf(consoleErrors);
    consoleErrors.clear();
    return errors;
  }

  private void collectConsole() {
    if (tabs.isEmpty()) {
      return;
    }
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        consoleErrors.add(e.getMessage());
      }
    }
  }

  /** One full-page PNG per open tab: {@code dir/<prefix>-<page>.png}. */
  void screenshots(Path dir, String prefix) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> tab : tabs.entrySet()) {
        driver.switchTo().window(tab.getValue());
        collectConsole();
        Files.write(dir.resolve(prefix + "-" + tab.getKey() + ".png"), fullPage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private byte[] fullPage() {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    Map<String, Object> viewport = (Map<String, Object>) metrics.get("cssLayoutViewport");
    // captured beyond the viewport, the page has no scrollbar: it is laid out over the window's whole width
    double width = ((Number) script("return window.innerWidth")).doubleValue();
    double height = Math.min(4000, Math.max(((Number) size.get("height")).doubleValue(),
        ((Number) viewport.get("clientHeight")).doubleValue()));
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** Closes every tab but one and leaves it blank, for the next test. */
  void reset() {
    collectConsole();
    List<String> handles = new ArrayList<>(tabs.values());
    for (int i = 1; i < handles.size(); i++) {
      driver.switchTo().window(handles.get(i));
      driver.close();
    }
    if (!handles.isEmpty()) {
      driver.switchTo().window(handles.get(0));
    }
    driver.get("about:blank");
    driver.manage().logs().get(LogType.BROWSER);
    tabs.clear();
    consoleErrors.clear();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(userDataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // Chromium may still be removing its own files
      }
    }
  }
}
