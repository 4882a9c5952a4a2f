package kefu.protocol.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import kefu.protocol.Json;
import kefu.protocol.user.OpenId;

/**
 * Fault rules as the platform API ({@code /kefu/v1/faults}) spells them:
 * <pre>{@code
 * {"path":"/cgi-bin/message/custom/send","appid":"wx…","openid":"o…",
 *  "effect":{"type":"errcode","errcode":45009},
 *  "count":3,"seconds":60}
 * }</pre>
 * Effects: {@code {"type":"errcode","errcode":N}} (optionally {@code "errmsg"}), {@code {"type":"latency","ms":N}},
 * {@code {"type":"drop"}} (optionally {@code "after_call":true}), {@code {"type":"duplicate_push"}},
 * {@code {"type":"delay_push","ms":N}}. {@code count} is the number of matching calls or pushes the rule applies to,
 * {@code seconds} how long it applies on kefu's clock; at least one is given. Parsing names the offending property;
 * unknown properties are refused, so that a typo does not silently widen a rule.
 */
public final class FaultCodec {
  public static final int MAX_COUNT = 1_000_000;
  public static final long MAX_SECONDS = 10L * 365 * 86_400;
  /** The longest injected latency: it holds a real answer back in real time. */
  public static final long MAX_LATENCY_MS = 60_000;
  /** The longest push delay, on kefu's clock. */
  public static final long MAX_DELAY_MS = 86_400_000;
  private static final int MAX_ERRMSG = 256;
  private static final Pattern PATH = Pattern.compile("/cgi-bin/[A-Za-z0-9/_.-]{0,240}\\*?");
  private static final Pattern APPID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Set<String> RULE_FIELDS = Set.of("path", "appid", "openid", "effect", "count", "seconds");

  private FaultCodec() {}

  /** The result: the rule (id 0, unused, created at {@code now}), or a message naming the invalid property. */
  public record Parsed(FaultRule rule, String problem) {}

  private record ParsedEffect(FaultEffect effect, String problem) {}

  /** A rule from its JSON; {@code now} (kefu's clock) starts its time span. */
  public static Parsed parse(JsonNode spec, Instant now) {
    if (spec == null || !spec.isObject()) {
      return problem("a fault rule must be a JSON object");
    }
    String unknown = unknownField(spec, RULE_FIELDS);
    if (unknown != null) {
      return problem("unknown property '" + unknown + "' (a rule has " + String.join(", ", sorted(RULE_FIELDS)) + ")");
    }
    String path = criterion(spec, "path");
    if (path == null || !(path.isEmpty() || PATH.matcher(path).matches())) {
      return problem("path must be a WeChat-API path such as /cgi-bin/message/custom/send, or a prefix ending in *"
          + " such as /cgi-bin/message/custom/*");
    }
    String appid = criterion(spec, "appid");
    if (appid == null || !(appid.isEmpty() || APPID.matcher(appid).matches())) {
      return problem("appid must be 1 to 64 characters of [A-Za-z0-9_-]");
    }
    String openid = criterion(spec, "openid");
    if (openid == null || !(openid.isEmpty() || OpenId.isWellFormed(openid))) {
      return problem("openid must be 1 to 64 characters of [A-Za-z0-9_-]");
    }
    ParsedEffect effect = effect(spec.get("effect"));
    if (effect.problem() != null) {
      return problem(effect.problem());
    }
    if (effect.effect().onPushes() && !path.isEmpty()) {
      return problem("path is for WeChat-API calls; a push effect matches by appid and openid only");
    }
    JsonNode count = presentOrNull(spec.get("count"));
    JsonNode seconds = presentOrNull(spec.get("seconds"));
    if (count == null && seconds == null) {
      return problem("give count (the next N matching calls or pushes), seconds (a time span on kefu's clock),"
          + " or both");
    }
    if (count != null && !isIntIn(count, 1, MAX_COUNT)) {
      return problem("count must be an integer from 1 to " + MAX_COUNT);
    }
    if (seconds != null && !isIntIn(seconds, 1, MAX_SECONDS)) {
      return problem("seconds must be an integer from 1 to " + MAX_SECONDS + " (10 years)");
    }
    return new Parsed(new FaultRule(0, path, appid, openid, effect.effect(),
        count == null ? null : count.intValue(), seconds == null ? null : now.plusSeconds(seconds.longValue()), 0,
        now), null);
  }

  /** The rule as the platform API shows it at {@code now}: its criteria (null: any), effect, uses and state. */
  public static ObjectNode render(FaultRule rule, Instant now) {
    ObjectNode o = Json.newObject().put("id", rule.id());
    putTextOrNull(o, "path", rule.path());
    putTextOrNull(o, "appid", rule.appid());
    putTextOrNull(o, "openid", rule.openid());
    o.set("effect", effectNode(rule.effect()));
    o.put("count", rule.count());
    o.put("used", rule.used());
    o.put("remaining", rule.remaining());
    o.put("expires_at_ms", rule.expiresAt() == null ? null : rule.expiresAt().toEpochMilli());
    o.put("created_at_ms", rule.createdAt().toEpochMilli());
    o.put("state", rule.state(now).name().toLowerCase(Locale.ROOT));
    return o;
  }

  /** A journal's fault mark: {@code {"rule":7,"effect":"errcode 45009"}}, or JSON null when none. */
  public static JsonNode render(FaultMark mark) {
    return mark.present() ? Json.newObject().put("rule", mark.rule()).put("effect", mark.effect())
        : Json.MAPPER.nullNode();
  }

  /** The effect's JSON text, as the store keeps it. */
  public static String writeEffect(FaultEffect effect) {
    return Json.write(effectNode(effect));
  }

  /** An effect from {@link #writeEffect}'s text; an unreadable one is a bug (or a damaged store), so it throws. */
  public static FaultEffect readEffect(String json) {
    ParsedEffect parsed = Json.object(json.getBytes(StandardCharsets.UTF_8))
        .map(FaultCodec::effect).orElse(new ParsedEffect(null, "not a JSON object"));
    if (parsed.problem() != null) {
      throw new IllegalArgumentException("unreadable fault effect " + json + ": " + parsed.problem());
    }
    return parsed.effect();
  }

  private static ObjectNode effectNode(FaultEffect effect) {
    ObjectNode o = Json.newObject();
    if (effect instanceof FaultEffect.Errcode e) {
      o.put("type", "errcode").put("errcode", e.errcode());
      if (e.errmsg() != null) {
        o.put("errmsg", e.errmsg());
      }
    } else if (effect instanceof FaultEffect.Latency l) {
      o.put("type", "latency").put("ms", l.latency().toMillis());
    } else if (effect instanceof FaultEffect.Drop d) {
      o.put("type", "drop").put("after_call", d.afterCall());
    } else if (effect instanceof FaultEffect.DelayPush d) {
      o.put("type", "delay_push").put("ms", d.delay().toMillis());
    } else {
      o.put("type", "duplicate_push");
    }
    return o;
  }

  private static ParsedEffect effect(JsonNode e) {
    if (e == null || !e.isObject()) {
      return effectProblem("effect must be an object such as {\"type\":\"errcode\",\"errcode\":-1}");
    }
    String type = textOrNull(e.get("type"));
    if (type == null) {
      return effectProblem("effect.type must be errcode, latency, drop, duplicate_push or delay_push");
    }
    return switch (type) {
      case "errcode" -> errcode(e);
      case "latency" -> millis(e, Set.of("type", "ms"), MAX_LATENCY_MS,
          ms -> new FaultEffect.Latency(Duration.ofMillis(ms)), "latency (real time)");
      case "drop" -> {
        String unknown = unknownField(e, Set.of("type", "after_call"));
        JsonNode after = e.get("after_call");
        if (unknown != null) {
          yield effectProblem("unknown property effect." + unknown + " (drop takes after_call)");
        }
        if (after != null && !after.isBoolean()) {
          yield effectProblem("effect.after_call must be true or false");
        }
        yield new ParsedEffect(new FaultEffect.Drop(after != null && after.booleanValue()), null);
      }
      case "duplicate_push" -> {
        String unknown = unknownField(e, Set.of("type"));
        yield unknown != null ? effectProblem("unknown property effect." + unknown + " (duplicate_push takes none)")
            : new ParsedEffect(new FaultEffect.DuplicatePush(), null);
      }
      case "delay_push" -> millis(e, Set.of("type", "ms"), MAX_DELAY_MS,
          ms -> new FaultEffect.DelayPush(Duration.ofMillis(ms)), "delay_push (on kefu's clock)");
      default -> effectProblem("effect.type must be errcode, latency, drop, duplicate_push or delay_push, was '"
          + type + "'");
    };
  }

  private static ParsedEffect errcode(JsonNode e) {
    String unknown = unknownField(e, Set.of("type", "errcode", "errmsg"));
    if (unknown != null) {
      return effectProblem("unknown property effect." + unknown + " (errcode takes errcode and errmsg)");
    }
    JsonNode code = e.get("errcode");
    if (code == null || !code.isInt() || code.intValue() == 0) {
      return effectProblem("effect.errcode must be a non-zero integer such as -1, 45009, 45011 or 40001");
    }
    JsonNode errmsg = e.get("errmsg");
    if (errmsg != null && !(errmsg.isTextual() && isPrintable(errmsg.textValue())
        && errmsg.textValue().length() <= MAX_ERRMSG)) {
      return effectProblem("effect.errmsg must be 1 to " + MAX_ERRMSG + " printable characters (the rid is added)");
    }
    return new ParsedEffect(new FaultEffect.Errcode(code.intValue(), errmsg == null ? null : errmsg.textValue()),
        null);
  }

  private static ParsedEffect millis(JsonNode e, Set<String> fields, long max,
                                     java.util.function.LongFunction<FaultEffect> make, String what) {
    String unknown = unknownField(e, fields);
    if (unknown != null) {
      return effectProblem("unknown property effect." + unknown + " (" + e.path("type").asText() + " takes ms)");
    }
    JsonNode ms = e.get("ms");
    if (ms == null || !isIntIn(ms, 1, max)) {
      return effectProblem("effect.ms of " + what + " must be an integer from 1 to " + max);
    }
    return new ParsedEffect(make.apply(ms.longValue()), null);
  }

  private static JsonNode presentOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static boolean isIntIn(JsonNode n, long min, long max) {
    return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= min && n.longValue() <= max;
  }

  private static boolean isPrintable(String s) {
    return !s.isEmpty() && s.codePoints().noneMatch(Character::isISOControl);
  }

  /** A criterion: "" (any) when absent or null, its text when a string, null when of another type. */
  private static String criterion(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    return n == null || n.isNull() ? "" : textOrNull(n);
  }

  private static String textOrNull(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static void putTextOrNull(ObjectNode o, String field, String value) {
    if (value.isEmpty()) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static String unknownField(JsonNode o, Set<String> known) {
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        return name;
      }
    }
    return null;
  }

  private static java.util.List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static Parsed problem(String problem) {
    return new Parsed(null, problem);
  }

  private static ParsedEffect effectProblem(String problem) {
    return new ParsedEffect(null, problem);
  }
}
