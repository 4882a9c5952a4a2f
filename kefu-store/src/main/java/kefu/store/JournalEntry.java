package kefu.store;

import java.time.Instant;
import java.util.Objects;
import kefu.protocol.fault.FaultMark;

/**
 * One WeChat-API call as received: when, which path, for which app and user (empty when unknown), what it answered,
 * how long it took, and the fault injected into it ({@link FaultMark#NONE} when none). {@code id} is assigned by the
 * store (0 before).
 */
public record JournalEntry(long id, Instant at, String method, String path, String appid, String openid,
                           int errcode, long latencyMicros, String rid, FaultMark fault) {
  public JournalEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(rid, "rid");
    Objects.requireNonNull(fault, "fault");
  }
}
