package kefu.protocol.send;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every decode branch of {@code custom/send} (spec §3.1, §3.3, §12.3, §12.4). */
class MessageCodecTest {
  private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_TEXT_LIMIT_BYTES);

  // --- what WxJava sends (spec §3.1)

  @Test
  void the_text_bytes_wxjava_sends_decode() {
    assertThat(decode("{\"touser\":\"OPENID\",\"msgtype\":\"text\",\"text\":{\"content\":\"sfsfdsdf\"}}"))
        .isEqualTo(ok("OPENID", new Message.Text("sfsfdsdf")));
  }

  @Test
  void the_image_bytes_wxjava_sends_decode() {
    assertThat(decode("{\"touser\":\"OPENID\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"MEDIA_ID\"}}"))
        .isEqualTo(ok("OPENID", new Message.Image("MEDIA_ID")));
  }

  @Test
  void encoding_gives_wechat_s_shape_without_touser() {
    assertThat(Json.write(MessageCodec.encode(new Message.Text("sfsfdsdf"))))
        .isEqualTo("{\"msgtype\":\"text\",\"text\":{\"content\":\"sfsfdsdf\"}}");
    assertThat(Json.write(MessageCodec.encode(new Message.Image("MEDIA_ID"))))
        .isEqualTo("{\"msgtype\":\"image\",\"image\":{\"media_id\":\"MEDIA_ID\"}}");
  }

  // --- 44002

  @Test
  void an_empty_body_gets_44002() {
    assertThat(codec.decodeSend(new byte[0])).isEqualTo(bad(WxError.EMPTY_POST_DATA));
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\n", " \r\n\t "})
  void a_blank_body_gets_44002(String body) {
    assertThat(decode(body)).isEqualTo(bad(WxError.EMPTY_POST_DATA));
  }

  // --- 47001

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"touser\":", "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}",
      "touser=o&msgtype=text&content=hi", "{'touser':'o'}", "\u000b"})
  void a_malformed_body_gets_47001(String body) {
    assertThat(decode(body)).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}]",
      "\"text\"", "42", "null", "false"})
  void a_body_that_is_not_an_object_gets_47001(String body) {
    assertThat(decode(body)).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"touser\":1,\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}",
      "{\"touser\":null,\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}",
      "{\"touser\":[\"o\"],\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}",
      "{\"touser\":\"o\",\"msgtype\":1,\"text\":{\"content\":\"hi\"}}",
      "{\"touser\":\"o\",\"msgtype\":[\"text\"],\"text\":{\"content\":\"hi\"}}",
      "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":\"hi\"}",
      "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":[{\"content\":\"hi\"}]}",
      "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":5}}",
      "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":null}}",
      "{\"touser\":\"o\",\"msgtype\":\"image\",\"image\":{\"media_id\":5}}",
      "{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"description\":1,\"url\":\"u\"}}",
      "{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"url\":\"u\",\"thumb_url\":true}}",
      "{\"touser\":\"o\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
          + "{\"title\":\"t\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\",\"appid\":123}}"})
  void a_field_of_the_wrong_type_gets_47001(String body) {
    assertThat(decode(body)).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_missing_touser_gets_47001() {
    assertThat(decode("{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}")).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_missing_touser_is_noticed_before_an_unknown_msgtype() {
    assertThat(decode("{\"msgtype\":\"news\",\"news\":{}}")).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_missing_msgtype_gets_47001() {
    assertThat(decode("{\"touser\":\"o\",\"text\":{\"content\":\"hi\"}}")).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "image", "link", "miniprogrampage"})
  void a_missing_type_object_gets_47001(String type) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"" + type + "\"}")).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_type_object_under_another_type_s_name_gets_47001() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"image\",\"text\":{\"content\":\"hi\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_missing_or_empty_media_id_gets_47001() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"image\",\"image\":{}}")).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void invalid_utf8_bytes_get_47001() {
    String before = "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"";
    String after = "\"}}";

    assertThat(codec.decodeSend(bytes(before, new byte[] {(byte) 0xff}, after))).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
    assertThat(codec.decodeSend(bytes(before, new byte[] {(byte) 0xe4, (byte) 0xb8}, after)))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
    assertThat(codec.decodeSend(bytes(before, new byte[] {(byte) 0xc0, (byte) 0xaf}, after)))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_utf16_body_gets_47001() {
    byte[] body = "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}".getBytes(UTF_16LE);

    assertThat(codec.decodeSend(body)).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void nesting_deeper_than_max_depth_gets_47001() {
    assertThat(decode(textWithExtraNesting(Json.MAX_DEPTH + 1))).isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void nesting_exactly_max_depth_deep_is_still_read() {
    assertThat(decode(textWithExtraNesting(Json.MAX_DEPTH))).isEqualTo(ok("o", new Message.Text("hi")));
  }

  @ParameterizedTest
  @ValueSource(strings = {" x", "{}", ",", "]", "\"more\""})
  void trailing_garbage_gets_47001(String garbage) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}" + garbage))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_duplicated_key_gets_47001() {
    assertThat(decode("{\"touser\":\"o\",\"touser\":\"p\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void unknown_fields_are_ignored() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\",\"x\":1},"
        + "\"customservice\":{\"kf_account\":\"a@b\"},\"aimsgcontext\":{\"is_ai_msg\":1},\"access_token\":\"t\"}"))
        .isEqualTo(ok("o", new Message.Text("hi")));
  }

  // --- 40008

  @ParameterizedTest
  @ValueSource(strings = {"news", "voice", "video", "music", "mpnews", "mpnewsarticle", "msgmenu", "wxcard"})
  void an_official_account_only_msgtype_gets_40008(String type) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"" + type + "\",\"" + type + "\":{\"media_id\":\"m\"}}"))
        .isEqualTo(bad(WxError.INVALID_MESSAGE_TYPE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "", "Text", "TEXT", " text", "event"})
  void an_unknown_msgtype_gets_40008(String type) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"" + type + "\",\"text\":{\"content\":\"hi\"}}"))
        .isEqualTo(bad(WxError.INVALID_MESSAGE_TYPE));
  }

  @Test
  void an_unknown_msgtype_is_noticed_before_its_missing_object() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"news\"}")).isEqualTo(bad(WxError.INVALID_MESSAGE_TYPE));
  }

  @Test
  void a_user_cannot_send_a_link() {
    var root = Json.object(utf8("{\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"url\":\"u\"}}")).orElseThrow();

    assertThat(codec.decodeMessage(root, MessageCodec.USER_TYPES)).isEqualTo(Decoded.bad(WxError.INVALID_MESSAGE_TYPE));
    assertThat(codec.decodeMessage(root, MessageCodec.SEND_TYPES))
        .isEqualTo(Decoded.ok(new Message.Link("t", "", "u", "")));
  }

  // --- 44004 and 45002

  @Test
  void empty_content_gets_44004() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}"))
        .isEqualTo(bad(WxError.EMPTY_CONTENT));
  }

  @Test
  void blank_content_is_still_content() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\" \"}}"))
        .isEqualTo(ok("o", new Message.Text(" ")));
  }

  @Test
  void chinese_text_of_exactly_the_byte_limit_is_accepted() {
    String text = "中".repeat(682) + "ab"; // 682 * 3 + 2 = 2048 UTF-8 bytes, 684 chars

    assertThat(decode(textBody(text))).isEqualTo(ok("o", new Message.Text(text)));
  }

  @Test
  void chinese_text_one_byte_over_the_limit_gets_45002() {
    assertThat(decode(textBody("中".repeat(682) + "abc"))).isEqualTo(bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT));
    assertThat(decode(textBody("中".repeat(683)))).isEqualTo(bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT));
  }

  @Test
  void the_limit_counts_utf8_bytes_not_chars_or_code_points() {
    String emojiAtTheEnd = "a".repeat(2044) + "😀"; // 2048 bytes, 2046 chars

    assertThat(decode(textBody(emojiAtTheEnd))).isEqualTo(ok("o", new Message.Text(emojiAtTheEnd)));
    assertThat(decode(textBody("a" + emojiAtTheEnd))).isEqualTo(bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT));
  }

  @Test
  void the_limit_counts_the_decoded_text_not_its_json_escapes() {
    String escaped = "\\u4e2d".repeat(682) + "ab"; // 4094 bytes on the wire, 2048 bytes of text

    assertThat(decode(textBody(escaped))).isEqualTo(ok("o", new Message.Text("中".repeat(682) + "ab")));
  }

  @Test
  void the_text_limit_is_configurable() {
    var small = new MessageCodec(6);

    assertThat(small.decodeSend(utf8(textBody("中文")))).isEqualTo(ok("o", new Message.Text("中文")));
    assertThat(small.decodeSend(utf8(textBody("中文a")))).isEqualTo(bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void a_limit_that_is_not_positive_is_refused(int limit) {
    assertThatIllegalArgumentException().isThrownBy(() -> new MessageCodec(limit)).withMessageContaining("text limit");
  }

  @Test
  void a_mini_program_text_link_is_plain_content() {
    String content = "<a href=\"http://www.qq.com\" data-miniprogram-appid=\"wx123\" "
        + "data-miniprogram-path=\"pages/index/index\">点击跳小程序</a>";

    assertThat(decode(textBody(content.replace("\"", "\\\"")))).isEqualTo(ok("o", new Message.Text(content)));
  }

  // --- link

  @Test
  void a_link_decodes_with_all_four_fields() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"Happy Day\","
        + "\"description\":\"Is Really A Happy Day\",\"url\":\"https://example.com/a\","
        + "\"thumb_url\":\"https://example.com/t.jpg\"}}"))
        .isEqualTo(ok("o", new Message.Link("Happy Day", "Is Really A Happy Day", "https://example.com/a",
            "https://example.com/t.jpg")));
  }

  @Test
  void a_link_without_description_or_thumb_url_decodes_them_as_empty() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"url\":\"u\"}}"))
        .isEqualTo(ok("o", new Message.Link("t", "", "u", "")));
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"description\":null,"
        + "\"url\":\"u\",\"thumb_url\":null}}"))
        .isEqualTo(ok("o", new Message.Link("t", "", "u", "")));
  }

  @Test
  void a_link_without_title_or_url_gets_47001() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"url\":\"u\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"t\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"link\",\"link\":{\"title\":\"\",\"url\":\"u\"}}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  // --- miniprogrampage

  @Test
  void a_card_without_appid_decodes_as_the_mini_program_doc_shows_it() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"title\","
        + "\"pagepath\":\"pages/index/index?foo=bar\",\"thumb_media_id\":\"thumb\"}}"))
        .isEqualTo(ok("o", new Message.MiniProgramPage("title", "pages/index/index?foo=bar", "thumb", null)));
  }

  @Test
  void a_card_with_appid_keeps_it() {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
        + "\"appid\":\"wxba5fad812f8e6fb9\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}}"))
        .isEqualTo(ok("o", new Message.MiniProgramPage("t", "p", "m", "wxba5fad812f8e6fb9")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"\""})
  void a_card_with_a_null_or_empty_appid_has_none(String appid) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
        + "\"appid\":" + appid + ",\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}}"))
        .isEqualTo(ok("o", new Message.MiniProgramPage("t", "p", "m", null)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}",
      "{\"title\":\"t\",\"thumb_media_id\":\"m\"}",
      "{\"title\":\"t\",\"pagepath\":\"p\"}",
      "{\"title\":\"t\",\"pagepath\":\"\",\"thumb_media_id\":\"m\"}"})
  void a_card_missing_title_pagepath_or_thumb_gets_47001(String card) {
    assertThat(decode("{\"touser\":\"o\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":" + card + "}"))
        .isEqualTo(bad(WxError.DATA_FORMAT_ERROR));
  }

  @Test
  void a_card_without_appid_encodes_without_the_key() {
    assertThat(Json.write(MessageCodec.encode(new Message.MiniProgramPage("t", "p", "m", null))))
        .isEqualTo("{\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
            + "{\"title\":\"t\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\"}}");
    assertThat(Json.write(MessageCodec.encode(new Message.MiniProgramPage("t", "p", "m", "wx1"))))
        .isEqualTo("{\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
            + "{\"title\":\"t\",\"pagepath\":\"p\",\"thumb_media_id\":\"m\",\"appid\":\"wx1\"}}");
  }

  // --- helpers

  private Decoded<SendRequest> decode(String body) {
    return codec.decodeSend(utf8(body));
  }

  private static Decoded<SendRequest> ok(String touser, Message message) {
    return Decoded.ok(new SendRequest(touser, message));
  }

  private static Decoded<SendRequest> bad(WxError error) {
    return Decoded.bad(error);
  }

  private static String textBody(String jsonContent) {
    return "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + jsonContent + "\"}}";
  }

  /** A valid text body with an extra field nested so that the whole body is {@code depth} levels deep. */
  private static String textWithExtraNesting(int depth) {
    String extra = "{\"a\":".repeat(depth - 2) + "{}" + "}".repeat(depth - 2);
    return "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"},\"extra\":" + extra + "}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] bytes(String before, byte[] middle, String after) {
    byte[] a = utf8(before);
    byte[] c = utf8(after);
    byte[] all = new byte[a.length + middle.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(middle, 0, all, a.length, middle.length);
    System.arraycopy(c, 0, all, a.length + middle.length, c.length);
    return all;
  }
}
