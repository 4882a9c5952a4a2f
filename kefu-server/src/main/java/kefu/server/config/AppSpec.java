package kefu.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import kefu.protocol.Json;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.limit.ApiLimitsCodec;
import kefu.protocol.push.PushCipher;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.Allowance;
import kefu.protocol.window.WindowRules;
import kefu.store.App;

/**
 * An app as the platform API and {@code kefu.yaml} spell it:
 * <pre>{@code
 * {"appid":"wx…","secret":"…","original_id":"gh_…","customer_service":true,
 *  "rules":"seed" | "current" | {"name":"bench","enter":{"count":1,"seconds":60},"message":{"count":5,"seconds":172800}},
 *  "push":{"url":"https://…","token":"…","encoding_aes_key":"…43 chars…","format":"json"|"xml",
 *          "mode":"plain"|"compat"|"secure","enabled":true},
 *  "limits":false | true | {"/cgi-bin/token":{"daily":2000,"per_minute":null},…}}
 * }</pre>
 * Parsing applies the fields present onto a base app (null base: creating, so {@code secret} is required) and
 * names the offending property when a value is invalid; a secret given is hashed at once (salted SHA-256). Limits
 * are spelled as {@link ApiLimitsCodec} says, and given replace the app's limits whole.
 *
 * <p>{@link #render} writes no secret: neither the AppSecret (kefu holds only its hash) nor the push Token or the
 * EncodingAESKey (kefu needs those in clear to sign and encrypt, but says only whether they are set:
 * {@code token_set}, {@code encoding_aes_key_set}).
 */
public final class AppSpec {
  private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ORIGINAL_ID = Pattern.compile("gh_[A-Za-z0-9_-]{1,61}");

  private AppSpec() {}

  /**
   * The result: the app and the secret given in clear (null when the spec gives none and the base's hash is kept),
   * or a message naming the invalid property (then {@code app} is null).
   */
  public record Parsed(App app, String secret, String problem) {}

  /** @param random draws the salt of a secret given (a {@code SecureRandom}) */
  public static Parsed parse(String appid, JsonNode spec, App base, RandomGenerator random) {
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
    String secret = null;
    if (spec.has("secret")) {
      JsonNode s = spec.get("secret");
      if (!s.isTextual() || s.textValue().isEmpty() || s.textValue().length() > 128) {
        return problem("secret must be a string of 1 to 128 characters");
      }
      secret = s.textValue();
    }
    if (secret == null && base == null) {
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
    PushSettings push = base != null ? base.push() : PushSettings.NONE;
    if (spec.has("push")) {
      PushParsed p = push(spec.get("push"), push);
      if (p.settings() == null) {
        return problem(p.problem());
      }
      push = p.settings();
    }
    ApiLimits limits = base != null ? base.limits() : ApiLimits.OFF;
    if (spec.has("limits")) {
      ApiLimitsCodec.Read l = ApiLimitsCodec.read(spec.get("limits"), "limits");
      if (l.limits() == null) {
        return problem(l.problem());
      }
      limits = l.limits();
    }
    SecretHash hash = secret != null ? SecretHash.of(secret, random) : base.secret();
    return new Parsed(new App(appid, hash, originalId, rules, customerService, push, limits), secret, null);
  }

  private record PushParsed(PushSettings settings, String problem) {}

  private static final Pattern PUSH_TOKEN = Pattern.compile("[A-Za-z0-9]{3,32}");

  /** The {@code push} object applied onto {@code base}: only the fields given change. */
  private static PushParsed push(JsonNode p, PushSettings base) {
    if (!p.isObject()) {
      return new PushParsed(null, "push must be an object {url, token, encoding_aes_key, format, mode, enabled}");
    }
    for (java.util.Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!java.util.Set.of("url", "token", "encoding_aes_key", "format", "mode", "enabled").contains(name)) {
        return new PushParsed(null, "push." + name + " is not a push setting (url, token, encoding_aes_key, "
            + "format, mode, enabled)");
      }
    }
    String url = base.url();
    String token = base.token();
    String key = base.encodingAesKey();
    PushFormat format = base.format();
    PushMode mode = base.mode();
    boolean enabled = base.enabled();
    if (p.has("url")) {
      if (!p.get("url").isTextual()) {
        return new PushParsed(null, "push.url must be a string");
      }
      url = p.get("url").textValue().trim();
      if (!url.isEmpty() && !isHttpUrl(url)) {
        return new PushParsed(null, "push.url must be an http:// or https:// URL with a host, was '" + url + "'");
      }
      enabled = enabled || !p.has("enabled");
    }
    if (p.has("token")) {
      if (!p.get("token").isTextual() || !PUSH_TOKEN.matcher(p.get("token").textValue()).matches()) {
        return new PushParsed(null, "push.token must be 3 to 32 letters or digits");
      }
      token = p.get("token").textValue();
    }
    if (p.has("encoding_aes_key")) {
      JsonNode k = p.get("encoding_aes_key");
      if (k.isNull() || (k.isTextual() && k.textValue().isEmpty())) {
        key = null;
      } else if (!k.isTextual()) {
        return new PushParsed(null, "push.encoding_aes_key must be a string of 43 letters and digits");
      } else {
        java.util.Optional<String> bad = PushCipher.checkKey(k.textValue());
        if (bad.isPresent()) {
          return new PushParsed(null, "push.encoding_aes_key: " + bad.get());
        }
        key = k.textValue();
      }
    }
    if (p.has("format")) {
      java.util.Optional<PushFormat> f = PushFormat.fromWireName(p.get("format").asText(""));
      if (!p.get("format").isTextual() || f.isEmpty()) {
        return new PushParsed(null, "push.format must be \"json\" or \"xml\"");
      }
      format = f.get();
    }
    if (p.has("mode")) {
      java.util.Optional<PushMode> m = PushMode.fromWireName(p.get("mode").asText(""));
      if (!p.get("mode").isTextual() || m.isEmpty()) {
        return new PushParsed(null, "push.mode must be \"plain\", \"compat\" or \"secure\"");
      }
      mode = m.get();
    }
    if (p.has("enabled")) {
      if (!p.get("enabled").isBoolean()) {
        return new PushParsed(null, "push.enabled must be true or false");
      }
      enabled = p.get("enabled").booleanValue();
    }
    if (enabled && url.isEmpty()) {
      return new PushParsed(null, "push.url is required to enable push");
    }
    if (enabled && token.isEmpty()) {
      return new PushParsed(null, "push.token is required to enable push");
    }
    if (mode.encrypts() && key == null) {
      return new PushParsed(null, "push.encoding_aes_key is required in " + mode.wireName() + " mode");
    }
    return new PushParsed(new PushSettings(url, token, key, format, mode, enabled), null);
  }

  private static boolean isHttpUrl(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getRawFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
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
    PushSettings push = app.push();
    ObjectNode p = o.putObject("push");
    p.put("url", push.url());
    p.put("token_set", !push.token().isEmpty());
    p.put("encoding_aes_key_set", push.encodingAesKey() != null);
    p.put("format", push.format().wireName());
    p.put("mode", push.mode().wireName());
    p.put("enabled", push.enabled());
    o.set("limits", ApiLimitsCodec.write(app.limits()));
    return o;
  }

  private static Parsed problem(String message) {
    return new Parsed(null, null, message);
  }

  /** A stable 12-hex-digit original id suffix derived from the appid. */
  private static String hex12(String appid) {
    return String.format("%012x", (appid.hashCode() & 0xffffffffL) * 65_537L & 0xffffffffffffL);
  }
}
