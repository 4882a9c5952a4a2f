package kefu.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable push outbox. Per user, pushes go out in order: only a user's oldest PENDING item is ever due, so a
 * user whose push is being retried holds back that user's later pushes and nobody else's.
 */
public interface Outbox {
  /** Adds a PENDING item due at {@code at}, with no attempts; the store assigns the id (increasing). */
  OutboxItem enqueue(String appid, String openid, String event, long msgId, Instant at);

  Optional<OutboxItem> find(long id);

  /**
   * For each user (appid, openid) with PENDING items, the oldest one (lowest id), if it is due at {@code now};
   * at most {@code limit} of them, the longest-due first.
   */
  List<OutboxItem> due(Instant now, int limit);

  /** The earliest {@code nextAttemptAt} among users' oldest PENDING items, if any. */
  Optional<Instant> nextDue();

  /** Stores the item's attempts, next attempt time and status. */
  void update(OutboxItem item);

  /** PENDING items of the app (all users), oldest first, at most {@code limit}. */
  List<OutboxItem> pending(String appid, int limit);
}
