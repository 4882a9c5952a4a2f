package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import kefu.protocol.Json;

/**
 * A message a simulated user received, as kefu's conversation shows it: who sent it, its {@code msgtype}, the text
 * of a text message ("" otherwise), when, and the whole message as JSON ({@code {"msgtype":"image","image":{…}}}).
 */
public record ReceivedMessage(long msgId, Sender from, String msgtype, String text, Instant at, String body) {
  /** Who wrote to the user. */
  public enum Sender {
    /** The mini program's backend, through {@code /cgi-bin/message/custom/send}. */
    MINI_PROGRAM,
    /** A human agent who accepted the user. */
    AGENT,
    /** The platform, e.g. WeChat's notice after the last push attempt failed. */
    SYSTEM
  }

  /** The conversation entry, or null when the user wrote it. */
  static ReceivedMessage of(JsonNode m) {
    Sender from = switch (m.path("direction").asText()) {
      case "to_user" -> Sender.MINI_PROGRAM;
      case "from_agent" -> Sender.AGENT;
      case "system" -> Sender.SYSTEM;
      default -> null;
    };
    if (from == null) {
      return null;
    }
    String msgtype = m.path("msgtype").asText();
    return new ReceivedMessage(m.path("msgid").asLong(), from, msgtype,
        "text".equals(msgtype) ? m.path("text").path("content").asText("") : "",
        Instant.ofEpochMilli(m.path("created_at_ms").asLong()), Json.write(m));
  }

  @Override
  public String toString() {
    return from + " " + msgtype + ("text".equals(msgtype) ? " \"" + text + "\"" : " " + body);
  }
}
