package kefu.store;

import java.util.List;

/** The bounded push journal: only the newest attempts are kept (same retention as the request journal). */
public interface PushJournal {
  void append(PushAttempt attempt);

  /** The app's attempts, newest first; {@code openid} and {@code outcome} null mean "any". */
  List<PushAttempt> query(String appid, String openid, String outcome, int limit);
}
