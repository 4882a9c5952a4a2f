package kefu.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable push outbox. Per user, pushes go out in order: only a user's oldest PENDING item is ever due, so a
 * user whose push is being retried holds back that user's later pushes and nobody else's.
 *
 * <p>Several nodes deliver from one outbox by {@link #claim claiming} items with a lease: a claimed item is theirs
 * until the lease runs out or they {@link #update} it, whichever comes first. A node that dies mid-delivery loses
 * nothing: its items are claimable again once their leases have run out (so a push may be delivered twice, never
 * lost; the de-duplication keys are for that).
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

  /**
   * Like {@link #due} but for delivery by one of several nodes: each user's oldest PENDING item if it is due at
   * {@code now} and not leased (its lease, if any, has run out by {@code now}); at most {@code limit}, the
   * longest-due first. The items returned are leased to {@code node} until {@code now + lease}, so no other claim
   * returns them before then. A user whose oldest item is leased has nothing claimable: per-user order holds across
   * nodes. Needs {@link Store#inTransaction}.
   */
  List<OutboxItem> claim(Instant now, Duration lease, String node, int limit);

  /**
   * The earliest instant at which a user's oldest PENDING item is due: its {@code nextAttemptAt}, or when its
   * lease runs out if that is later. Empty when nothing is pending.
   */
  Optional<Instant> nextDue();

  /** Stores the item's attempts, next attempt time and status, and ends its lease. */
  void update(OutboxItem item);

  /** PENDING items of the app (all users), oldest first, at most {@code limit}. */
  List<OutboxItem> pending(String appid, int limit);
}
