package kefu.store;

public enum AgentStatus {
  ONLINE,
  OFFLINE
}
