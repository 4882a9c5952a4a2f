package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link PushDocument} reads back whatever {@link PushCodec} writes, in every format and mode (spec §6.3, §6.4). */
class PushDocumentProperties {
  private static final String TOKEN = "kefutoken";

  @Property(tries = 300)
  void reading_the_json_plaintext_gives_the_event_back(@ForAll("events") PushEvent event) {
    assertThat(read(PushCodec.plaintext(event, PushFormat.JSON), PushFormat.JSON))
        .isEqualTo(new PushDocument.Typed.Known(event));
  }

  @Property(tries = 300)
  void reading_the_xml_plaintext_gives_the_event_back(@ForAll("xmlEvents") PushEvent event) {
    assertThat(read(PushCodec.plaintext(event, PushFormat.XML), PushFormat.XML))
        .isEqualTo(new PushDocument.Typed.Known(event));
  }

  @Property(tries = 200)
  void a_compatible_body_has_the_plaintext_fields_and_an_encrypt_that_opens_to_the_same_event(
      @ForAll("xmlEvents") PushEvent event, @ForAll PushFormat format, @ForAll("keys") String key) {
    PushSettings settings = new PushSettings("https://dev.example/wx", TOKEN, key, format, PushMode.COMPAT, true);
    PushRequest r = PushCodec.request(event, settings, "wx0123456789abcdef", "1714112445", "415670741",
        "0123456789abcdef");
    PushDocument.Read.Fields outer = (PushDocument.Read.Fields) PushDocument.read(r.body(), format);

    assertThat(outer.get("Encrypt")).contains(r.encrypt());
    assertThat(PushDocument.event(outer.values())).isEqualTo(new PushDocument.Typed.Known(event));
    String inner = ((PushCipher.Opened.Ok) new PushCipher(key, "wx0123456789abcdef").decrypt(r.encrypt())).message();
    assertThat(read(inner, format)).isEqualTo(new PushDocument.Typed.Known(event));
  }

  @Property(tries = 300)
  void reading_anything_never_throws(@ForAll("noise") String body) {
    PushDocument.Read read = PushDocument.read(body);
    if (read instanceof PushDocument.Read.Fields f) {
      assertThat(PushDocument.event(f.values())).isNotNull();
    }
  }

  private static PushDocument.Typed read(String body, PushFormat format) {
    PushDocument.Read read = PushDocument.read(body, format);
    assertThat(read).isInstanceOf(PushDocument.Read.Fields.class);
    return PushDocument.event(((PushDocument.Read.Fields) read).values());
  }

  @Provide
  Arbitrary<PushEvent> events() {
    return PushArbitraries.events();
  }

  /** XML 1.0 cannot carry every character (PushCodec replaces those), so these events hold only what it can. */
  @Provide
  Arbitrary<PushEvent> xmlEvents() {
    return PushArbitraries.wxjavaEvents();
  }

  @Provide
  Arbitrary<String> keys() {
    return PushArbitraries.encodingAesKeys();
  }

  /** Random text, and push bodies with a character overwritten or cut short. */
  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> bodies = Arbitraries.oneOf(
        PushArbitraries.events().map(e -> PushCodec.plaintext(e, PushFormat.JSON)),
        PushArbitraries.wxjavaEvents().map(e -> PushCodec.plaintext(e, PushFormat.XML)));
    Arbitrary<String> damaged = bodies.flatMap(body ->
        Arbitraries.integers().between(0, body.length() - 1).flatMap(at -> Arbitraries.of(
            body.substring(0, at), body.substring(0, at) + "x" + body.substring(at + 1),
            body.substring(0, at) + "<" + body.substring(at + 1), body.substring(0, at) + "\"" + body.substring(at + 1))));
    return Arbitraries.oneOf(PushArbitraries.unicode(), damaged);
  }
}
