package kefu.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One push to the developer's server, written in the same transaction as the user's message or event, so none is
 * lost. {@code event} is the push event as the protocol's JSON (opaque to the store); {@code msgId} is 0 for
 * events. {@code attempts} counts the attempts made; the item is due when PENDING and {@code nextAttemptAt <= now}.
 */
public record OutboxItem(long id, String appid, String openid, String event, long msgId, Instant createdAt,
                         int attempts, Instant nextAttemptAt, OutboxStatus status) {
  public OutboxItem {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(status, "status");
  }

  public OutboxItem attempted(int attempts, Instant nextAttemptAt, OutboxStatus status) {
    return new OutboxItem(id, appid, openid, event, msgId, createdAt, attempts, nextAttemptAt, status);
  }
}
