package kefu.protocol.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kefu.protocol.Json;

/**
 * {@link ApiLimits} in JSON, as the platform API, {@code kefu.yaml} and the stores spell them:
 * <pre>{@code
 * false                                   off (also null or absent)
 * true                                    on, with WeChat's figures (ApiLimits.WECHAT)
 * {"/cgi-bin/token":{"daily":5,"per_minute":2}, "/cgi-bin/media/get":null, …}
 * }</pre>
 * An object switches the limits on with WeChat's figures and replaces the paths it names: a field left out keeps
 * WeChat's figure, {@code null} is no limit, and a path given {@code null} has none at all. {@link #write} spells
 * every path, so what it writes reads back equal.
 */
public final class ApiLimitsCodec {
  private static final Set<String> FIELDS = Set.of("daily", "per_minute");

  private ApiLimitsCodec() {}

  /** The limits read, or a message naming what is wrong (then {@code limits} is null). */
  public record Read(ApiLimits limits, String problem) {}

  public static JsonNode write(ApiLimits limits) {
    if (!limits.on()) {
      return BooleanNode.FALSE;
    }
    ObjectNode o = Json.newObject();
    limits.byPath().forEach((path, limit) -> {
      ObjectNode l = o.putObject(path);
      putLimit(l, "daily", limit.daily());
      putLimit(l, "per_minute", limit.perMinute());
    });
    return o;
  }

  /** The limits as the stores keep them: {@link #write}'s JSON text. */
  public static String toText(ApiLimits limits) {
    return Json.write(write(limits));
  }

  /** @throws IllegalArgumentException when {@code text} is not limits as {@link #toText} writes them */
  public static ApiLimits fromText(String text) {
    if ("false".equals(text)) {
      // most apps, read on every authenticated call: no parsing
      return ApiLimits.OFF;
    }
    Read read;
    try {
      read = read(Json.MAPPER.readTree(text), "api_limits");
    } catch (IOException e) {
      throw new IllegalArgumentException("stored api_limits are not JSON", e);
    }
    if (read.limits() == null) {
      throw new IllegalArgumentException("stored " + read.problem());
    }
    return read.limits();
  }

  /** @param property the name the messages give the value, such as {@code limits} */
  public static Read read(JsonNode node, String property) {
    if (node == null || node.isNull() || node.isMissingNode() || (node.isBoolean() && !node.booleanValue())) {
      return new Read(ApiLimits.OFF, null);
    }
    if (node.isBoolean()) {
      return new Read(ApiLimits.wechat(), null);
    }
    if (!node.isObject()) {
      return problem(property + " must be true, false or an object of API paths");
    }
    Map<String, ApiLimit> byPath = new LinkedHashMap<>(ApiLimits.WECHAT);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = e.getKey();
      String name = property + "." + path;
      if (!ApiLimits.WECHAT.containsKey(path)) {
        return problem(name + ": not a limited API path (known: " + String.join(", ", ApiLimits.WECHAT.keySet())
            + ")");
      }
      JsonNode l = e.getValue();
      if (l.isNull()) {
        byPath.put(path, ApiLimit.NONE);
        continue;
      }
      if (!l.isObject()) {
        return problem(name + " must be {\"daily\":N,\"per_minute\":N} or null");
      }
      for (Map.Entry<String, JsonNode> field : l.properties()) {
        if (!FIELDS.contains(field.getKey())) {
          return problem(name + "." + field.getKey() + " is not a limit (daily, per_minute)");
        }
      }
      ApiLimit wechat = ApiLimits.WECHAT.get(path);
      Integer daily = limit(l, "daily", wechat.daily());
      Integer perMinute = limit(l, "per_minute", wechat.perMinute());
      if (daily == null || perMinute == null) {
        return problem(name + ": daily and per_minute must be null or whole numbers from 0 to " + ApiLimit.MAX);
      }
      byPath.put(path, new ApiLimit(daily, perMinute));
    }
    return new Read(new ApiLimits(true, byPath), null);
  }

  /** The field's limit: {@code fallback} when absent, UNLIMITED for null; null when it is not a valid limit. */
  private static Integer limit(JsonNode parent, String field, int fallback) {
    JsonNode n = parent.get(field);
    if (n == null) {
      return fallback;
    }
    if (n.isNull()) {
      return ApiLimit.UNLIMITED;
    }
    return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0 && ApiLimit.valid(n.longValue())
        ? n.intValue() : null;
  }

  private static void putLimit(ObjectNode o, String field, int limit) {
    if (limit == ApiLimit.UNLIMITED) {
      o.putNull(field);
    } else {
      o.put(field, limit);
    }
  }

  private static Read problem(String message) {
    return new Read(null, message);
  }
}
