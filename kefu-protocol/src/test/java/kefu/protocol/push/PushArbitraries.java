package kefu.protocol.push;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the push properties. */
final class PushArbitraries {
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private PushArbitraries() {}

  /** Any valid Unicode text (no lone surrogates), with the characters that break codecs mixed in. */
  static Arbitrary<String> unicode() {
    Arbitrary<String> anyCodePoint = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .map(Character::toString);
    Arbitrary<String> piece = Arbitraries.oneOf(
        anyCodePoint,
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
        Arbitraries.strings().withCharRange('\u4e00', '\u9fa5').ofMinLength(1).ofMaxLength(4),
        Arbitraries.of("]]>", "]]", "]", "<![CDATA[", "\r", "\r\n", "\n", "\t", " ", "&", "&amp;", "<", ">", "\"", "'",
            "\\", "😀", "👍🏻", "\u0000", "\u001f", "\u2028", "\uFEFF", "\uFFFD", "&#13;", "<xml>", "success"));
    return piece.list().ofMaxSize(12).map(pieces -> String.join("", pieces));
  }

  /** Unicode text XML 1.0 can carry (what {@link PushCodec} does not have to replace). */
  static Arbitrary<String> xmlSafe() {
    return unicode().map(PushArbitraries::dropXmlIllegal);
  }

  static String dropXmlIllegal(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().filter(cp -> cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000).forEach(out::appendCodePoint);
    return out.toString();
  }

  static Arbitrary<String> encodingAesKeys() {
    return Arbitraries.strings().withChars(ALNUM).ofLength(43);
  }

  static Arbitrary<String> appids() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(16).map(s -> "wx" + s);
  }

  static Arbitrary<String> tokens() {
    return Arbitraries.strings().withChars(ALNUM).ofMinLength(3).ofMaxLength(32);
  }

  /** 16 lowercase hex characters, as WeChat's servers make them, or 16 alphanumerics, as WxJava does. */
  static Arbitrary<String> randomPrefixes() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(16),
        Arbitraries.strings().withChars(ALNUM).ofLength(16));
  }

  static Arbitrary<String> originalIds() {
    return Arbitraries.strings().withChars("0123456789abcdef").ofLength(12).map(s -> "gh_" + s);
  }

  static Arbitrary<String> openids() {
    return Arbitraries.strings().withChars(ALNUM + "_-").ofLength(27).map(s -> "o" + s);
  }

  /** Events with any text in their string fields and any numbers. */
  static Arbitrary<PushEvent> events() {
    return events(unicode(), Arbitraries.longs());
  }

  /** Events WxJava can hold: XML-safe text and a CreateTime that fits its Integer. */
  static Arbitrary<PushEvent> wxjavaEvents() {
    return events(xmlSafe(), Arbitraries.longs().between(0, Integer.MAX_VALUE));
  }

  private static Arbitrary<PushEvent> events(Arbitrary<String> text, Arbitrary<Long> times) {
    Arbitrary<String> to = Arbitraries.oneOf(originalIds(), text);
    Arbitrary<String> from = Arbitraries.oneOf(openids(), text);
    Arbitrary<Long> msgIds = Arbitraries.longs();
    Arbitrary<PushEvent> enter = Combinators.combine(to, from, times, text)
        .as(PushEvent.UserEnteredSession::new);
    Arbitrary<PushEvent> plain = Combinators.combine(to, from, times, text, msgIds).as(PushEvent.Text::new);
    Arbitrary<PushEvent> image = Combinators.combine(to, from, times, text, text, msgIds).as(PushEvent.Image::new);
    Arbitrary<Head> heads = Combinators.combine(to, from, times, msgIds).as(Head::new);
    Arbitrary<PushEvent> card = Combinators.combine(heads, text, text, text, text, text)
        .as((h, title, appId, path, thumbUrl, thumbMediaId) -> new PushEvent.MiniProgramPage(h.to(), h.from(),
            h.time(), title, appId, path, thumbUrl, thumbMediaId, h.msgId()));
    return Arbitraries.oneOf(enter, plain, image, card);
  }

  private record Head(String to, String from, long time, long msgId) {}
}
