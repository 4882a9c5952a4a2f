package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A user's send window as kefu sees it ({@code GET …/users/{openid}/window}): whether it is open, the sends left,
 * when it closes (null when closed), the rule in force and what opened it ({@code message} or {@code enter}, null
 * when closed).
 */
public record UserWindow(boolean open, int remaining, Instant closesAt, long secondsLeft, String rule,
                          String grantedBy) {
  static UserWindow of(JsonNode w) {
    return new UserWindow(w.path("open").asBoolean(), w.path("remaining").asInt(),
        w.path("expires_at_ms").isNumber() ? Instant.ofEpochMilli(w.path("expires_at_ms").asLong()) : null,
        w.path("seconds_left").asLong(), w.path("rule").asText(),
        w.path("granted_by").isTextual() ? w.path("granted_by").asText() : null);
  }
}
