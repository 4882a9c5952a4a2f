package kefu.store;

/** Which way a message went. */
public enum Direction {
  /** From the user to the mini program. */
  FROM_USER,
  /** From the mini program (the send API) to the user. */
  TO_USER
}
