package kefu.protocol;

import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void an_object_is_read() {
    assertThat(Json.object(utf8("{\"a\":\"中\"}"))).hasValueSatisfying(o -> assertThat(o.get("a").textValue()).isEqualTo("中"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"text\"", "42", "null", "true"})
  void anything_but_an_object_is_not_one(String body) {
    assertThat(Json.object(utf8(body))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}", "/*c*/{}", "{\"a\":NaN}"})
  void malformed_json_is_not_an_object(String body) {
    assertThat(Json.object(utf8(body))).isEmpty();
  }

  @Test
  void nesting_down_to_max_depth_is_read() {
    assertThat(Json.object(utf8(nestedObjects(Json.MAX_DEPTH)))).isPresent();
  }

  @Test
  void nesting_one_deeper_than_max_depth_is_refused() {
    assertThat(Json.object(utf8(nestedObjects(Json.MAX_DEPTH + 1)))).isEmpty();
    assertThat(Json.object(utf8("{\"a\":" + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH) + "}"))).isEmpty();
  }

  @Test
  void trailing_garbage_is_refused() {
    assertThat(Json.object(utf8("{\"a\":1} x"))).isEmpty();
    assertThat(Json.object(utf8("{\"a\":1}{}"))).isEmpty();
  }

  @Test
  void trailing_whitespace_is_fine() {
    assertThat(Json.object(utf8("{\"a\":1} \r\n\t"))).isPresent();
  }

  @Test
  void a_duplicated_key_is_refused() {
    assertThat(Json.object(utf8("{\"a\":1,\"a\":2}"))).isEmpty();
  }

  @Test
  void invalid_utf8_is_refused() {
    assertThat(Json.object(bytes("{\"a\":\"", new byte[] {(byte) 0xff}, "\"}"))).isEmpty();
    assertThat(Json.object(bytes("{\"a\":\"", new byte[] {(byte) 0xe4, (byte) 0xb8}, "\"}"))).isEmpty();
    assertThat(Json.object(bytes("{\"a\":\"", new byte[] {(byte) 0xc0, (byte) 0x80}, "\"}"))).isEmpty();
    assertThat(Json.object(bytes("{\"a\":\"", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}"))).isEmpty();
  }

  @Test
  void a_utf16_body_is_refused_because_bodies_are_always_read_as_utf8() {
    assertThat(Json.object("{\"a\":\"中\"}".getBytes(UTF_16LE))).isEmpty();
    assertThat(Json.object("{\"a\":\"中\"}".getBytes(UTF_16))).isEmpty();
  }

  @Test
  void a_leading_utf8_byte_order_mark_is_tolerated() {
    assertThat(Json.object(utf8("\uFEFF{\"a\":1}"))).isPresent();
  }

  @Test
  void text_is_a_string_field_only() {
    var o = Json.object(utf8("{\"s\":\"x\",\"n\":1,\"z\":null,\"o\":{},\"e\":\"\"}")).orElseThrow();

    assertThat(Json.text(o, "s")).hasValue("x");
    assertThat(Json.text(o, "e")).hasValue("");
    assertThat(Json.text(o, "n")).isEmpty();
    assertThat(Json.text(o, "z")).isEmpty();
    assertThat(Json.text(o, "o")).isEmpty();
    assertThat(Json.text(o, "missing")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\r\n\t ", "\n\n"})
  void only_json_whitespace_is_blank(String body) {
    assertThat(Json.isBlank(utf8(body))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", " {} ", "\u000b", "\u00a0", "\u3000"})
  void anything_else_is_not_blank(String body) {
    assertThat(Json.isBlank(utf8(body))).isFalse();
  }

  @Test
  void write_is_compact_and_keeps_field_order() {
    var o = Json.newObject();
    o.put("touser", "o").put("msgtype", "text").putObject("text").put("content", "中 \"x\"");

    assertThat(Json.write(o)).isEqualTo("{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"中 \\\"x\\\"\"}}");
  }

  /** {@code depth} nested objects, the root counting as one. */
  static String nestedObjects(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  static byte[] bytes(String before, byte[] middle, String after) {
    byte[] a = utf8(before);
    byte[] c = utf8(after);
    byte[] all = new byte[a.length + middle.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(middle, 0, all, a.length, middle.length);
    System.arraycopy(c, 0, all, a.length + middle.length, c.length);
    return all;
  }
}
