package kefu.store;

import java.time.Instant;
import kefu.protocol.window.SendDecision;
import kefu.protocol.window.Window;

public interface Windows {
  /** The user's window, {@link Window#NONE} when the user never triggered one. */
  Window find(String appid, String openid);

  void put(String appid, String openid, Window window);

  /**
   * One send at {@code now}, atomically: {@link Window#send} applied to the stored window and, when allowed, the
   * window with one send fewer stored. Denied with 45015 when the window is closed (or there is none), 45047 when
   * nothing is left; a denied send changes nothing. Correct however many transactions, on however many nodes,
   * consume the same window at once.
   */
  SendDecision consume(String appid, String openid, Instant now);
}
