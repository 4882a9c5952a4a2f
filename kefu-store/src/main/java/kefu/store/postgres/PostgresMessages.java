package kefu.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.send.Message;
import kefu.protocol.send.MessageCodec;
import kefu.store.Direction;
import kefu.store.Messages;
import kefu.store.StoredMessage;

/**
 * Messages, kept as JSON in WeChat's send shape. A MsgId is {@link #MSG_ID_BASE} plus the row's identity, as on
 * SQLite: one sequence for every app and node, so ids are unique, never reused, and look like WeChat's 17-digit
 * MsgIds. They increase in the order they were handed out, which across concurrent transactions need not be the
 * order of the commits.
 */
record PostgresMessages(PostgresTx tx) implements Messages {
  static final long MSG_ID_BASE = 24_602_000_000_000_000L;
  /** Stored bodies were written by {@link MessageCodec#encode}; no text limit applies to reading them back. */
  private static final MessageCodec CODEC = new MessageCodec(Integer.MAX_VALUE);

  @Override
  public StoredMessage append(String appid, String openid, Direction direction, Message message, Instant at) {
    long id = tx.insert("INSERT INTO messages (appid, openid, direction, body, created_at) VALUES (?, ?, ?, ?, ?)"
            + " RETURNING id",
        appid, openid, direction.name(), Json.write(MessageCodec.encode(message)), PostgresTx.millis(at));
    return new StoredMessage(MSG_ID_BASE + id, appid, openid, direction, message, at);
  }

  @Override
  public List<StoredMessage> conversation(String appid, String openid, int limit) {
    List<StoredMessage> newestFirst = tx.list("SELECT id, appid, openid, direction, body, created_at FROM messages"
            + " WHERE appid = ? AND openid = ? ORDER BY id DESC LIMIT ?",
        PostgresMessages::read, appid, openid, PostgresTx.limit(limit));
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  private static StoredMessage read(ResultSet row) throws SQLException {
    return new StoredMessage(MSG_ID_BASE + row.getLong("id"), row.getString("appid"), row.getString("openid"),
        Direction.valueOf(row.getString("direction")), decode(row.getString("body")),
        PostgresTx.instant(row, "created_at"));
  }

  private static Message decode(String body) {
    Decoded<Message> decoded;
    try {
      decoded = CODEC.decodeMessage(Json.MAPPER.readTree(body), MessageCodec.SEND_TYPES);
    } catch (JsonProcessingException e) {
      throw new PostgresException("a stored message is not JSON: " + body, e);
    }
    if (decoded instanceof Decoded.Ok<Message> ok) {
      return ok.value();
    }
    throw new PostgresException("a stored message does not decode (" + ((Decoded.Bad<Message>) decoded).error()
        + "): " + body);
  }
}
