package kefu.server.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import kefu.protocol.send.MessageCodec;
import kefu.store.StoredMessage;

/** How the platform API shows a stored message: the wire message plus id, direction and time. */
public final class MessageViews {
  private MessageViews() {}

  public static ObjectNode of(StoredMessage m) {
    ObjectNode o = MessageCodec.encode(m.message());
    o.put("msgid", m.msgId());
    o.put("direction", m.direction().name().toLowerCase(Locale.ROOT));
    o.put("created_at", m.createdAt().getEpochSecond());
    o.put("created_at_ms", m.createdAt().toEpochMilli());
    return o;
  }
}
