package kefu.store;

/** The per-concept views of one transaction (or one read). Valid only inside the callback that received it. */
public interface Tx {
  Apps apps();

  Users users();

  Tokens tokens();

  Windows windows();

  Typing typing();

  Messages messages();

  Media media();

  Journal journal();

  Outbox outbox();

  PushJournal pushJournal();

  Agents agents();

  AgentSessions agentSessions();

  ApiCalls apiCalls();

  /** The deployment's shared clock state. */
  ClockSetting clock();

  /** The deployment's fault rules. */
  FaultRules faultRules();
}
