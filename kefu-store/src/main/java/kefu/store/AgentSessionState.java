package kefu.store;

public enum AgentSessionState {
  WAITING,
  ACTIVE
}
