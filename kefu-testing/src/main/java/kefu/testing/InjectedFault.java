package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A fault rule as kefu keeps it ({@code GET /kefu/v1/faults}): its id, its effect's type ({@code errcode},
 * {@code latency}, {@code drop}, {@code duplicate_push}, {@code delay_push}), how often it applied, the uses left (null
 * when it has no count), when it ends on kefu's clock (null when it does not) and its state ({@code active},
 * {@code used_up}, {@code expired}).
 */
public record InjectedFault(long id, String effect, int used, Integer remaining, Instant expiresAt, String state) {
  static InjectedFault of(JsonNode r) {
    JsonNode remaining = r.path("remaining");
    JsonNode expires = r.path("expires_at_ms");
    return new InjectedFault(r.path("id").asLong(), r.path("effect").path("type").asText(), r.path("used").asInt(),
        remaining.isNumber() ? remaining.intValue() : null,
        expires.isNumber() ? Instant.ofEpochMilli(expires.longValue()) : null, r.path("state").asText());
  }
}
