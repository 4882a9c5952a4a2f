package kefu.server.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The web consoles: the simulated phone ({@code /phone}), the agents' workbench ({@code /agent}) and the developer's
 * dashboard ({@code /dev}), and their shared assets under {@code /console/}, read once from the classpath
 * ({@code console/} in the jar) and served from memory. Only the files listed here exist, so no request can reach
 * anything else on the classpath. Pages and assets need no admin token; the pages send the one the user pastes with
 * their {@code /kefu/v1} calls.
 *
 * <p>Not Helidon's static content module: it answers a matching {@code If-None-Match} by throwing an
 * {@code HttpException(304)}, which kefu's catch-all error handler renders as {@code -1 system error}, so a browser
 * revalidating a cached stylesheet got JSON. Here a revalidation is answered 304 directly.
 */
public final class ConsolePages {
  /** The assets' path prefix. */
  public static final String ASSETS = "/console/";
  private static final String LOCATION = "console/";
  private static final List<String> ASSET_FILES = List.of("console.css", "console.js", "phone.js", "agent.js",
      "dev.js");
  private static final List<String> PAGES = List.of("phone", "agent", "dev");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8");

  /** One file: its bytes, Content-Type and strong ETag (a hash of the bytes). */
  record Asset(byte[] bytes, String contentType, String etag) {}

  private ConsolePages() {}

  public static void register(HttpRouting.Builder r) {
    for (String file : ASSET_FILES) {
      r.get(ASSETS + file, serve(load(file)));
    }
    for (String page : PAGES) {
      r.get("/" + page, serve(load(page + ".html")));
    }
  }

  static Asset load(String file) {
    String extension = file.substring(file.lastIndexOf('.') + 1);
    try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream(LOCATION + file)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the classpath: " + LOCATION + file);
      }
      byte[] bytes = in.readAllBytes();
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
      return new Asset(bytes, CONTENT_TYPES.get(extension), etag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Handler serve(Asset asset) {
    return (req, res) -> {
      res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
      res.header(HeaderNames.ETAG, asset.etag());
      res.header(HeaderNames.CACHE_CONTROL, "no-cache");
      res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
      String ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH).orElse("");
      if (ifNoneMatch.contains(asset.etag())) {
        res.status(Status.NOT_MODIFIED_304);
        res.send();
        return;
      }
      res.send(asset.bytes());
    };
  }
}
