package kefu.protocol.typing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;

/** A decoded {@code custom/typing} body. */
public record TypingRequest(String touser, TypingCommand command) {
  public TypingRequest {
    Objects.requireNonNull(touser, "touser");
    Objects.requireNonNull(command, "command");
  }

  /** Empty → 44002; not an object or no {@code touser}/{@code command} string → 47001; unknown command → 45072. */
  public static Decoded<TypingRequest> decode(byte[] body) {
    Decoded<ObjectNode> decoded = Json.requestObject(body);
    if (decoded instanceof Decoded.Bad<ObjectNode> bad) {
      return Decoded.bad(bad.error());
    }
    ObjectNode root = ((Decoded.Ok<ObjectNode>) decoded).value();
    Optional<String> touser = Json.text(root, "touser");
    Optional<String> command = Json.text(root, "command");
    if (touser.isEmpty() || command.isEmpty()) {
      return Decoded.bad(WxError.DATA_FORMAT_ERROR);
    }
    return TypingCommand.fromWireName(command.get())
        .<Decoded<TypingRequest>>map(c -> Decoded.ok(new TypingRequest(touser.get(), c)))
        .orElseGet(() -> Decoded.bad(WxError.INVALID_COMMAND));
  }
}
