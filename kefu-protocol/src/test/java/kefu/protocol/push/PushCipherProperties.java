package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.Base64;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link PushCipher} round-trips any text and agrees with WxJava's {@code WxCryptUtil} both ways (spec §6.4). */
class PushCipherProperties {
  @Property(tries = 300)
  void decrypting_what_was_encrypted_gives_the_text_and_appid_back(
      @ForAll("unicode") String text, @ForAll("keys") String key, @ForAll("appids") String appid,
      @ForAll("prefixes") String random) {
    PushCipher cipher = new PushCipher(key, appid);

    assertThat(cipher.decrypt(cipher.encrypt(text, random))).isEqualTo(new PushCipher.Opened.Ok(text, appid));
  }

  @Property(tries = 200)
  void the_ciphertext_is_whole_32_byte_blocks_in_padded_base64(
      @ForAll("unicode") String text, @ForAll("prefixes") String random) {
    String sealed = new PushCipher(PushVectors.DOC_KEY, PushVectors.DOC_APPID).encrypt(text, random);

    assertThat(sealed.length() % 4).isZero();
    assertThat(Base64.getDecoder().decode(sealed).length % 32).isZero();
  }

  @Property(tries = 200)
  void wxjava_decrypts_what_push_cipher_encrypts(
      @ForAll("unicode") String text, @ForAll("keys") String key, @ForAll("appids") String appid,
      @ForAll("prefixes") String random, @ForAll("tokens") String token) {
    String sealed = new PushCipher(key, appid).encrypt(text, random);

    assertThat(new WxCryptUtil(token, key, appid).decrypt(sealed)).isEqualTo(text);
  }

  @Property(tries = 200)
  void push_cipher_decrypts_what_wxjava_encrypts_and_makes_the_same_bytes(
      @ForAll("unicode") String text, @ForAll("keys") String key, @ForAll("appids") String appid,
      @ForAll("prefixes") String random, @ForAll("tokens") String token) {
    String sealed = new WxCryptUtil(token, key, appid).encrypt(random, text);

    assertThat(new PushCipher(key, appid).decrypt(sealed)).isEqualTo(new PushCipher.Opened.Ok(text, appid));
    assertThat(new PushCipher(key, appid).encrypt(text, random)).isEqualTo(sealed);
  }

  @Property(tries = 200)
  void a_ciphertext_for_another_appid_never_opens(
      @ForAll("unicode") String text, @ForAll("appids") String mine, @ForAll("appids") String theirs,
      @ForAll("prefixes") String random) {
    Assume.that(!mine.equals(theirs));
    String sealed = new PushCipher(PushVectors.DOC_KEY, theirs).encrypt(text, random);

    assertThat(new PushCipher(PushVectors.DOC_KEY, mine).decrypt(sealed))
        .isEqualTo(new PushCipher.Opened.Failed("appid mismatch: got " + theirs));
  }

  @Property(tries = 300)
  void decrypting_anything_returns_a_value_and_never_throws(@ForAll("noise") String input) {
    PushCipher cipher = new PushCipher(PushVectors.DOC_KEY, PushVectors.DOC_APPID);

    assertThatNoException().isThrownBy(() -> assertThat(cipher.decrypt(input)).isNotNull());
  }

  @Property(tries = 200)
  void a_flipped_bit_in_the_last_block_is_refused(
      @ForAll("unicode") String text, @ForAll @IntRange(min = 0, max = 127) int bit) {
    PushCipher cipher = new PushCipher(PushVectors.DOC_KEY, PushVectors.DOC_APPID);
    byte[] sealed = Base64.getDecoder().decode(cipher.encrypt(text, "0123456789abcdef"));
    // flipping a bit of the second-to-last block scrambles the last block's padding or the appid trailer
    int at = sealed.length - 32 + bit / 8;
    sealed[at] ^= (byte) (1 << (bit % 8));

    assertThat(cipher.decrypt(Base64.getEncoder().encodeToString(sealed)))
        .isInstanceOf(PushCipher.Opened.Failed.class);
  }

  @Provide
  Arbitrary<String> unicode() {
    return PushArbitraries.unicode();
  }

  @Provide
  Arbitrary<String> keys() {
    return PushArbitraries.encodingAesKeys();
  }

  @Provide
  Arbitrary<String> appids() {
    return PushArbitraries.appids();
  }

  @Provide
  Arbitrary<String> tokens() {
    return PushArbitraries.tokens();
  }

  @Provide
  Arbitrary<String> prefixes() {
    return PushArbitraries.randomPrefixes();
  }

  /** Random text, random Base64, and valid ciphertexts with characters overwritten. */
  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> base64 = Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
        .map(b -> Base64.getEncoder().encodeToString(b));
    Arbitrary<String> corrupted = PushArbitraries.unicode().flatMap(text -> {
      String sealed = new PushCipher(PushVectors.DOC_KEY, PushVectors.DOC_APPID).encrypt(text, "0123456789abcdef");
      return Arbitraries.integers().between(0, sealed.length() - 1).flatMap(at ->
          Arbitraries.of("A", "/", "+", "=", "!", "").map(c -> sealed.substring(0, at) + c + sealed.substring(at + 1)));
    });
    return Arbitraries.oneOf(PushArbitraries.unicode(), base64, corrupted);
  }
}
