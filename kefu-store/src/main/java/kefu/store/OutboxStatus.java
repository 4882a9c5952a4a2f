package kefu.store;

/** Where a push stands: waiting for (another) attempt, delivered, or given up after its last attempt. */
public enum OutboxStatus {
  PENDING,
  DELIVERED,
  FAILED
}
