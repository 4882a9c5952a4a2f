package kefu.server.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import kefu.protocol.push.PushSettings;
import kefu.protocol.push.UrlCheck;

/**
 * WeChat's check of a push URL when it is saved (spec §6.2): {@code GET url?signature&timestamp&nonce&echostr},
 * only those four parameters whatever the mode; the developer's server must answer the echostr verbatim.
 */
public final class UrlChecker {
  private static final int MAX_ANSWER = 4096;

  private final HttpClient http;
  private final Clock clock;
  private final RandomGenerator random;
  private final Duration timeout;

  public UrlChecker(HttpClient http, Clock clock, RandomGenerator random, Duration timeout) {
    this.http = http;
    this.clock = clock;
    this.random = random;
    this.timeout = timeout;
  }

  /** Empty when the server echoed correctly; else why the URL is refused. */
  public Optional<String> check(PushSettings settings) {
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    String nonce = String.valueOf(1_000_000_000L + Math.floorMod(random.nextLong(), 8_999_999_999L));
    String echostr = String.valueOf(Math.floorMod(random.nextLong(), Long.MAX_VALUE));
    String url = settings.url() + (settings.url().contains("?") ? "&" : "?")
        + UrlCheck.query(settings.token(), timestamp, nonce, echostr);
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = r.body()) {
        body = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
      }
      if (r.statusCode() != 200) {
        return Optional.of("the URL check got HTTP " + r.statusCode() + " from " + settings.url()
            + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
      }
      if (!body.equals(echostr)) {
        return Optional.of("the URL check expected the echostr " + echostr + " verbatim, got '"
            + abbreviate(body) + "' (check the token and the signature: sha1 of the sorted token, timestamp and nonce)");
      }
      return Optional.empty();
    } catch (HttpTimeoutException e) {
      return Optional.of("the URL check timed out after " + timeout.toMillis() + " ms at " + settings.url());
    } catch (IOException e) {
      return Optional.of("the URL check could not reach " + settings.url() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("the URL check was interrupted");
    } catch (IllegalArgumentException e) {
      return Optional.of("the URL is not valid: " + e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
