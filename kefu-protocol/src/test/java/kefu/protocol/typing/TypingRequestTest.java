package kefu.protocol.typing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import kefu.protocol.Decoded;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding {@code custom/typing} bodies, spec §4. */
class TypingRequestTest {
  @Test
  void typing_decodes() {
    assertThat(decode("{\"touser\":\"OPENID\",\"command\":\"Typing\"}"))
        .isEqualTo(Decoded.ok(new TypingRequest("OPENID", TypingCommand.TYPING)));
  }

  @Test
  void cancel_typing_decodes() {
    assertThat(decode("{\"touser\":\"OPENID\",\"command\":\"CancelTyping\"}"))
        .isEqualTo(Decoded.ok(new TypingRequest("OPENID", TypingCommand.CANCEL_TYPING)));
  }

  @Test
  void the_optional_businessid_is_ignored() {
    assertThat(decode("{\"touser\":\"o\",\"command\":\"Typing\",\"businessid\":\"b1\"}"))
        .isEqualTo(Decoded.ok(new TypingRequest("o", TypingCommand.TYPING)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"typing", "TYPING", "cancelTyping", "canceltyping", "Cancel", "", " Typing", "Typing "})
  void a_command_in_another_case_or_unknown_gets_45072(String command) {
    assertThat(decode("{\"touser\":\"o\",\"command\":\"" + command + "\"}")).isEqualTo(Decoded.bad(WxError.INVALID_COMMAND));
  }

  @Test
  void an_empty_body_gets_44002() {
    assertThat(TypingRequest.decode(new byte[0])).isEqualTo(Decoded.bad(WxError.EMPTY_POST_DATA));
    assertThat(decode(" \r\n")).isEqualTo(Decoded.bad(WxError.EMPTY_POST_DATA));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"touser\":\"o\",\"command\":\"Typing\"", "[]", "\"Typing\"", "touser=o&command=Typing",
      "{\"command\":\"Typing\"}", "{\"touser\":\"o\"}", "{\"touser\":\"o\",\"command\":1}",
      "{\"touser\":\"o\",\"command\":null}", "{\"touser\":7,\"command\":\"Typing\"}",
      "{\"touser\":\"o\",\"command\":\"Typing\"} x"})
  void a_malformed_body_or_a_missing_field_gets_47001(String body) {
    assertThat(decode(body)).isEqualTo(Decoded.bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_missing_field_is_noticed_before_an_unknown_command() {
    assertThat(decode("{\"command\":\"typing\"}")).isEqualTo(Decoded.bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void commands_have_the_documented_case_on_the_wire() {
    assertThat(TypingCommand.TYPING.wireName()).isEqualTo("Typing");
    assertThat(TypingCommand.CANCEL_TYPING.wireName()).isEqualTo("CancelTyping");
    assertThat(TypingCommand.fromWireName("typing")).isEmpty();
  }

  @Test
  void a_request_needs_both_parts() {
    assertThatNullPointerException().isThrownBy(() -> new TypingRequest(null, TypingCommand.TYPING));
    assertThatNullPointerException().isThrownBy(() -> new TypingRequest("o", null));
  }

  private static Decoded<TypingRequest> decode(String body) {
    return TypingRequest.decode(body.getBytes(UTF_8));
  }
}
