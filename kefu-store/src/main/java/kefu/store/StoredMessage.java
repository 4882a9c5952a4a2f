package kefu.store;

import java.time.Instant;
import java.util.Objects;
import kefu.protocol.send.Message;

/** One message of a conversation. {@code msgId} is 64-bit, unique per app and increasing. */
public record StoredMessage(long msgId, String appid, String openid, Direction direction, Message message,
                            Instant createdAt) {
  public StoredMessage {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
