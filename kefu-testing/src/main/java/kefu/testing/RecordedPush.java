package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import kefu.protocol.fault.FaultMark;

/**
 * One push attempt from kefu's push journal ({@code GET /kefu/v1/apps/{appid}/pushes}): what kefu sent (URL,
 * query, body and the plaintext before encryption), what your server answered, and the verdict: {@code outcome}
 * is {@code delivered}, {@code transfer}, {@code abnormal}, {@code timeout} or {@code error}, with the reason, or
 * {@code delayed} when a fault held the push back; {@code fault} marks what a fault changed ({@link FaultMark#NONE}
 * when nothing; see {@link Faults}).
 */
public record RecordedPush(long id, String openid, long msgId, int attempt, Instant at, String outcome,
                           String reason, String url, String query, String body, String plaintext, int status,
                           String responseBody, double latencyMs, FaultMark fault) {
  static RecordedPush of(JsonNode p) {
    JsonNode request = p.path("request");
    JsonNode response = p.path("response");
    return new RecordedPush(p.path("id").asLong(), p.path("openid").asText(), p.path("msgid").asLong(),
        p.path("attempt").asInt(), Instant.ofEpochMilli(p.path("at_ms").asLong()), p.path("outcome").asText(),
        p.path("reason").asText(""), request.path("url").asText(), request.path("query").asText(),
        request.path("body").asText(), request.path("plaintext").asText(), response.path("status").asInt(),
        response.path("body").asText(""), response.path("latency_ms").asDouble(), Faults.mark(p.path("fault")));
  }

  /** Your server accepted the push: {@code success}, an empty body, or {@code transfer_customer_service}. */
  public boolean delivered() {
    return "delivered".equals(outcome) || "transfer".equals(outcome);
  }
}
