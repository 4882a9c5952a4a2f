package kefu.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import kefu.protocol.Json;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import kefu.store.App;

/**
 * An app as the platform API and {@code kefu.yaml} spell it:
 * <pre>{@code
 * {"appid":"wx…","secret":"…","original_id":"gh_…","customer_service":true,
 *  "rules":"seed" | "current" | {"name":"bench","enter":{"count":1,"seconds":60},"message":{"count":5,"seconds":172800}}}
 * }</pre>
 * Parsing applies the fields present onto a base app (null base: creating, so {@code secret} is required) and
 * names the offending property when a value is invalid.
 */
public final class AppSpec {
  private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ORIGINAL_ID = Pattern.compile("gh_[A-Za-z0-9_-]{1,61}");

  private AppSpec() {}

  /** The result: the app, or a message naming the invalid property. */
  public record Parsed(App app, String problem) {}

  public static Parsed parse(String appid, JsonNode spec, App base) {
    if (!APPID.matcher(appid).matches()) {
      return problem("appid must be 1 to 64 characters of [A-Za-z0-9_-], was '" + appid + "'");
    }
    if (spec == null || !spec.isObject()) {
      return problem("the app must be a JSON object");
    }
    JsonNode bodyAppid = spec.get("appid");
    if (bodyAppid != null && !(bodyAppid.isTextual() && bodyAppid.textValue().equals(appid))) {
      return problem("appid in the body must match the path (" + appid + ")");
    }
    Optional<String> secret = Optional.ofNullable(base).map(App::secret);
    if (spec.has("secret")) {
      JsonNode s = spec.get("secret");
      if (!s.isTextual() || s.textValue().isEmpty() || s.textValue().length() > 128) {
        return problem("secret must be a string of 1 to 128 characters");
      }
      secret = Optional.of(s.textValue());
    }
    if (secret.isEmpty()) {
      return problem("secret is required for a new app");
    }
    String originalId = base != null ? base.originalId() : "gh_" + hex12(appid);
    if (spec.has("original_id")) {
      JsonNode o = spec.get("original_id");
      if (!o.isTextual() || !ORIGINAL_ID.matcher(o.textValue()).matches()) {
        return problem("original_id must look like gh_ followed by letters and digits");
      }
      originalId = o.textValue();
    }
    boolean customerService = base == null || base.customerServiceAllowed();
    if (spec.has("customer_service")) {
      JsonNode c = spec.get("customer_service");
      if (!c.isBoolean()) {
        return problem("customer_service must be true or false");
      }
      customerService = c.booleanValue();
    }
    WindowRules rules = base != null ? base.rules() : WindowRules.SEED;
    if (spec.has("rules")) {
      JsonNode r = spec.get("rules");
      if (r.isTextual()) {
        Optional<WindowRules> preset = WindowRules.preset(r.textValue());
        if (preset.isEmpty()) {
          return problem("rules must be \"seed\", \"current\" or a custom table, was \"" + r.textValue() + "\"");
        }
        rules = preset.get();
      } else if (r.isObject()) {
        String name = r.path("name").isTextual() ? r.get("name").textValue() : "custom";
        Allowance enter;
        Allowance message;
        try {
          enter = allowance(r.get("enter"), "rules.enter");
          message = allowance(r.get("message"), "rules.message");
        } catch (IllegalArgumentException e) {
          return problem(e.getMessage());
        }
        if (name.isBlank() || WindowRules.preset(name).isPresent()) {
          return problem("rules.name of a custom table must be non-blank and not a preset name");
        }
        rules = new WindowRules(name, enter, message);
      } else {
        return problem("rules must be a preset name or an object");
      }
    }
    return new Parsed(new App(appid, secret.get(), originalId, rules, customerService), null);
  }

  private static Allowance allowance(JsonNode n, String property) {
    if (n == null || !n.isObject() || !n.path("count").canConvertToInt() || !n.path("count").isIntegralNumber()
        || !n.path("seconds").isIntegralNumber()) {
      throw new IllegalArgumentException(property + " must be {\"count\":N,\"seconds\":S} with integers");
    }
    int count = n.get("count").intValue();
    long seconds = n.get("seconds").longValue();
    if (count < 0 || seconds <= 0 || seconds > 366L * 86_400) {
      throw new IllegalArgumentException(property + ": count must be >= 0 and seconds between 1 and 31622400");
    }
    return new Allowance(count, Duration.ofSeconds(seconds));
  }

  public static ObjectNode render(App app) {
    ObjectNode o = Json.newObject();
    o.put("appid", app.appid());
    o.put("secret", app.secret());
    o.put("original_id", app.originalId());
    o.put("customer_service", app.customerServiceAllowed());
    WindowRules r = app.rules();
    if (r.isPreset()) {
      o.put("rules", r.name());
    } else {
      ObjectNode rules = o.putObject("rules");
      rules.put("name", r.name());
      rules.putObject("enter").put("count", r.onEnter().count()).put("seconds", r.onEnter().duration().toSeconds());
      rules.putObject("message").put("count", r.onMessage().count())
          .put("seconds", r.onMessage().duration().toSeconds());
    }
    return o;
  }

  private static Parsed problem(String message) {
    return new Parsed(null, message);
  }

  /** A stable 12-hex-digit original id suffix derived from the appid. */
  private static String hex12(String appid) {
    return String.format("%012x", (appid.hashCode() & 0xffffffffL) * 65_537L & 0xffffffffffffL);
  }
}
