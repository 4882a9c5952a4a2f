package kefu.store;

import java.time.Instant;
import java.util.List;
import kefu.protocol.send.Message;

public interface Messages {
  /** Appends a message to the user's conversation and gives it the app's next MsgId. */
  StoredMessage append(String appid, String openid, Direction direction, Message message, Instant at);

  /** The user's conversation in order, oldest first; the last {@code limit} messages. */
  List<StoredMessage> conversation(String appid, String openid, int limit);
}
