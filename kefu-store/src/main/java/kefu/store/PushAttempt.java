package kefu.store;

import java.time.Instant;
import java.util.Objects;
import kefu.protocol.fault.FaultMark;

/**
 * One attempt to deliver a push, as the push debugger shows it: what was sent (URL, query, headers, body, the
 * strings signed and the signatures, the plaintext before encryption), what came back (HTTP status, body,
 * latency) and the verdict ({@code outcome}: delivered, transfer, abnormal, timeout, error, or delayed when a fault
 * held the push back) with its reason, and the fault injected into it ({@link FaultMark#NONE} when none). Text
 * fields are empty rather than null; {@code status} is 0 when no response came. {@code id} is assigned by the store
 * (0 before).
 */
public record PushAttempt(long id, long outboxId, String appid, String openid, long msgId, int attempt, Instant at,
                          String url, String query, String requestHeaders, String requestBody, String canonical,
                          String signature, String msgCanonical, String msgSignature, String plaintext, int status,
                          String responseBody, long latencyMicros, String outcome, String reason, FaultMark fault) {
  public PushAttempt {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(requestHeaders, "requestHeaders");
    Objects.requireNonNull(requestBody, "requestBody");
    Objects.requireNonNull(canonical, "canonical");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(msgCanonical, "msgCanonical");
    Objects.requireNonNull(msgSignature, "msgSignature");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(responseBody, "responseBody");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(fault, "fault");
  }
}
