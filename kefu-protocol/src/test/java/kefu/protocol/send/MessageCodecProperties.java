package kefu.protocol.send;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class MessageCodecProperties {
  private final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_TEXT_LIMIT_BYTES);

  @Property(tries = 500)
  void decoding_an_encoded_message_gives_it_back(@ForAll("messages") Message message, @ForAll("openids") String touser) {
    var root = MessageCodec.encode(message);
    root.put("touser", touser);

    assertThat(codec.decodeSend(Json.write(root).getBytes(UTF_8))).isEqualTo(Decoded.ok(new SendRequest(touser, message)));
  }

  @Property(tries = 500)
  void a_user_message_decodes_from_its_encoded_object(@ForAll("userMessages") Message message) {
    assertThat(codec.decodeMessage(MessageCodec.encode(message), MessageCodec.USER_TYPES)).isEqualTo(Decoded.ok(message));
  }

  @Property(tries = 500)
  void a_text_is_accepted_exactly_when_its_utf8_bytes_fit_the_limit(
      @ForAll("texts") String text, @ForAll @IntRange(min = 1, max = 80) int limit) {
    var root = MessageCodec.encode(new Message.Text(text));
    root.put("touser", "o");

    Decoded<SendRequest> decoded = new MessageCodec(limit).decodeSend(Json.write(root).getBytes(UTF_8));

    if (text.getBytes(UTF_8).length <= limit) {
      assertThat(decoded).isEqualTo(Decoded.ok(new SendRequest("o", new Message.Text(text))));
    } else {
      assertThat(decoded).isEqualTo(Decoded.bad(WxError.CONTENT_SIZE_OUT_OF_LIMIT));
    }
  }

  @Property(tries = 300)
  void every_truncation_of_a_valid_body_is_refused(@ForAll("messages") Message message) {
    var root = MessageCodec.encode(message);
    root.put("touser", "o");
    byte[] body = Json.write(root).getBytes(UTF_8);

    assertThat(codec.decodeSend(new byte[0])).isEqualTo(Decoded.bad(WxError.EMPTY_POST_DATA));
    for (int length = 1; length < body.length; length++) {
      assertThat(codec.decodeSend(Arrays.copyOf(body, length)))
          .as("first %d of %d bytes", length, body.length)
          .isEqualTo(Decoded.bad(WxError.DATA_FORMAT_ERROR));
    }
  }

  @Property(tries = 500)
  void any_bytes_decode_to_a_value_or_a_wechat_error_and_never_throw(@ForAll("noise") byte[] body) {
    Decoded<SendRequest> decoded = codec.decodeSend(body);

    assertThat(decoded).isNotNull();
    if (decoded instanceof Decoded.Bad<SendRequest> bad) {
      assertThat(bad.error()).isIn(WxError.EMPTY_POST_DATA, WxError.DATA_FORMAT_ERROR, WxError.INVALID_MESSAGE_TYPE,
          WxError.EMPTY_CONTENT, WxError.CONTENT_SIZE_OUT_OF_LIMIT);
    }
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<String> s = texts();
    Arbitrary<String> maybeEmpty = Arbitraries.oneOf(s, Arbitraries.just(""));
    Arbitrary<Message> link = Combinators.combine(s, maybeEmpty, s, maybeEmpty).as(Message.Link::new);
    return Arbitraries.oneOf(userMessages(), link);
  }

  @Provide
  Arbitrary<Message> userMessages() {
    Arbitrary<String> s = texts();
    Arbitrary<Message> text = s.map(Message.Text::new);
    Arbitrary<Message> image = s.map(Message.Image::new);
    Arbitrary<Message> card = Combinators.combine(s, s, s, s.injectNull(0.5)).as(Message.MiniProgramPage::new);
    return Arbitraries.oneOf(text, image, card);
  }

  /** Non-empty strings mixing ASCII, Chinese, emoji, JSON specials and control characters. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
        Arbitraries.strings().withCharRange('\u4e00', '\u9fa5').ofMinLength(1).ofMaxLength(4),
        Arbitraries.of("😀", "👍🏻", "é", " ", "\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u2028", "\uFEFF",
            "<a href=\"http://www.qq.com\" data-miniprogram-appid=\"wx1\">x</a>", "pages/index/index?foo=bar&a=1"));
    return piece.list().ofMinSize(1).ofMaxSize(8).map(pieces -> String.join("", pieces));
  }

  @Provide
  Arbitrary<String> openids() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            .ofLength(27).map(rest -> "o" + rest),
        texts());
  }

  /** Random bytes, and valid bodies with a few bytes overwritten. */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> corrupted = Combinators.combine(messages(),
            Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.bytes().list().ofSize(3))
        .as((message, positions, values) -> {
          var root = MessageCodec.encode(message);
          root.put("touser", "o");
          byte[] body = Json.write(root).getBytes(UTF_8);
          for (int i = 0; i < positions.size(); i++) {
            body[positions.get(i) % body.length] = values.get(i);
          }
          return body;
        });
    return Arbitraries.oneOf(random, corrupted);
  }
}
