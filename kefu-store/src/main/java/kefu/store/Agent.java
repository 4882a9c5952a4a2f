package kefu.store;

import java.time.Instant;
import java.util.Objects;

/** A human customer-service agent of an app (at most 100 per app, spec §7). */
public record Agent(String appid, String account, String nickname, AgentStatus status, Instant createdAt) {
  public Agent {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
