package kefu.protocol.send;

import java.util.Objects;

/** A decoded {@code custom/send} body: to whom, what. */
public record SendRequest(String touser, Message message) {
  public SendRequest {
    Objects.requireNonNull(touser, "touser");
    Objects.requireNonNull(message, "message");
  }
}
