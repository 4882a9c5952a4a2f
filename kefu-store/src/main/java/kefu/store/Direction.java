package kefu.store;

/** Which way a message went, and who wrote it. */
public enum Direction {
  /** From the user to the mini program. */
  FROM_USER,
  /** From the mini program (the send API) to the user. */
  TO_USER,
  /** From a human agent (the agents' workbench) to the user. */
  FROM_AGENT,
  /** A notice the platform shows the user, e.g. "该小程序客服暂时无法提供服务，请稍后再试" when a push failed. */
  SYSTEM
}
