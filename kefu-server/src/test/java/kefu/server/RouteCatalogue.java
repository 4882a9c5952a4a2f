package kefu.server;

import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.server.console.ConsolePages;
import kefu.server.push.PushEvents;

/**
 * Every route kefu serves, as the fuzzer sees them: the routes {@link Routes} registers, read from its source (so a
 * route added there is fuzzed without anyone telling the fuzzer), and the console's pages and assets, recorded by
 * letting {@link ConsolePages#register} register them on a builder that only takes notes.
 */
final class RouteCatalogue {
  /** One route: {@code GET}, {@code POST}, {@code PUT} or {@code ANY}, and its path template. */
  record Route(String verb, String template) {
    @Override
    public String toString() {
      return verb + " " + template;
    }
  }

  private static final Path SOURCE = Path.of("src/main/java/kefu/server/Routes.java");
  private static final String TERM = "(?:[A-Za-z_][A-Za-z0-9_.]*|\"[^\"]*\")";
  private static final Pattern REGISTRATION = Pattern.compile(
      "\\br\\.(get|post|put|any|delete|patch)\\(\\s*(" + TERM + "(?:\\s*\\+\\s*" + TERM + ")*)\\s*,");
  private static final Map<String, String> CONSTANTS = Map.of(
      "V1", Routes.V1, "Routes.V1", Routes.V1, "PushEvents.MEDIA_PATH", PushEvents.MEDIA_PATH);
  private static final Set<String> VERBS = Set.of("get", "post", "put", "any", "delete", "patch");

  private RouteCatalogue() {}

  static List<Route> all() {
    List<Route> routes = new ArrayList<>(fromRoutesSource());
    routes.addAll(console());
    return List.copyOf(routes);
  }

  static List<Route> fromRoutesSource() {
    String source;
    try {
      source = Files.readString(SOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("the fuzzer reads its routes from " + SOURCE.toAbsolutePath(), e);
    }
    List<Route> routes = new ArrayList<>();
    Matcher m = REGISTRATION.matcher(source);
    while (m.find()) {
      routes.add(new Route(m.group(1).toUpperCase(Locale.ROOT), path(m.group(2))));
    }
    return routes;
  }

  private static String path(String expression) {
    StringBuilder path = new StringBuilder();
    for (String term : expression.split("\\+")) {
      String t = term.strip();
      if (t.startsWith("\"")) {
        path.append(t, 1, t.length() - 1);
      } else if (CONSTANTS.containsKey(t)) {
        path.append(CONSTANTS.get(t));
      } else {
        throw new IllegalStateException("Routes.java uses " + t + " in a path: add its value to RouteCatalogue");
      }
    }
    return path.toString();
  }

  private static List<Route> console() {
    List<Route> routes = new ArrayList<>();
    HttpRouting.Builder notes = (HttpRouting.Builder) Proxy.newProxyInstance(RouteCatalogue.class.getClassLoader(),
        new Class<?>[] {HttpRouting.Builder.class}, (proxy, method, args) -> {
          if (VERBS.contains(method.getName()) && args != null && args.length > 0 && args[0] instanceof String p) {
            routes.add(new Route(method.getName().toUpperCase(Locale.ROOT), p));
            return proxy;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    ConsolePages.register(notes);
    return routes;
  }
}
