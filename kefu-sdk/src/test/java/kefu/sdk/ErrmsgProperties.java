package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import kefu.protocol.Rid;
import kefu.protocol.WxError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ErrmsgProperties {
  @Property
  void every_errmsg_kefu_renders_parses_back_to_its_text_and_rid(@ForAll WxError error, @ForAll long seed,
                                                                 @ForAll("seconds") long seconds) {
    String rid = Rid.of(Instant.ofEpochSecond(seconds), new Random(seed));
    Errmsg parsed = Errmsg.parse(error.errmsg(rid));
    if (error == WxError.OK) {
      assertThat(parsed).isEqualTo(new Errmsg("ok", ""));
      return;
    }
    assertThat(parsed.rid()).isEqualTo(rid);
    // "appsecret missing," renders as "appsecret missing, rid: …": the comma is read as the separator's
    assertThat(parsed.text()).isEqualTo(error.message().endsWith(",")
        ? error.message().substring(0, error.message().length() - 1) : error.message());
  }

  @Property
  void text_without_a_suffix_is_kept_whole(@ForAll("plain") String text) {
    assertThat(Errmsg.parse(text)).isEqualTo(new Errmsg(text, ""));
  }

  @Provide
  Arbitrary<Long> seconds() {
    return Arbitraries.longs().between(0, 0xffffffffL);
  }

  @Provide
  Arbitrary<String> plain() {
    return Arbitraries.strings().withChars("abcdefghij ,.:_-中文").ofMaxLength(40)
        .filter(s -> !s.contains("rid:") && !s.contains("hint"));
  }
}
