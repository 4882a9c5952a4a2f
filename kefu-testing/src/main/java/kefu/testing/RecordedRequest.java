package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import kefu.protocol.fault.FaultMark;

/**
 * One WeChat-API call from kefu's request journal ({@code GET /kefu/v1/journal}): when, which path, for which app
 * and user, the errcode it was answered with, kefu's latency, the rid, and the fault injected into it
 * ({@link FaultMark#NONE} when none; see {@link Faults}).
 */
public record RecordedRequest(Instant at, String method, String path, String appid, String openid, int errcode,
                              double latencyMs, String rid, FaultMark fault) {
  static RecordedRequest of(JsonNode e) {
    return new RecordedRequest(Instant.ofEpochMilli(e.path("at_ms").asLong()), e.path("method").asText(),
        e.path("path").asText(), e.path("appid").asText(""), e.path("openid").asText(""),
        e.path("errcode").asInt(), e.path("latency_ms").asDouble(), e.path("rid").asText(""),
        Faults.mark(e.path("fault")));
  }
}
