package kefu.protocol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** App secrets at rest: salted SHA-256, never the secret itself. */
class SecretHashTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void the_hash_matches_its_secret_and_nothing_else() {
    SecretHash hash = SecretHash.of(SECRET, random);

    assertThat(hash.matches(SECRET)).isTrue();
    assertThat(hash.matches("0123456789abcdef0123456789abcdeF")).isFalse();
    assertThat(hash.matches(SECRET + " ")).isFalse();
    assertThat(hash.matches("")).isFalse();
  }

  @Test
  void the_stored_form_holds_the_salt_and_the_digest_but_not_the_secret() throws Exception {
    SecretHash hash = SecretHash.of(SECRET, random);

    String[] parts = hash.encoded().split(":");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("sha256");
    byte[] salt = HexFormat.of().parseHex(parts[1]);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(salt);
    assertThat(parts[2]).isEqualTo(HexFormat.of().formatHex(sha256.digest(SECRET.getBytes(StandardCharsets.UTF_8))));
    assertThat(hash.encoded()).doesNotContain(SECRET);
  }

  @Test
  void the_same_secret_hashed_twice_looks_different_and_both_match() {
    SecretHash first = SecretHash.of(SECRET, random);
    SecretHash second = SecretHash.of(SECRET, random);

    assertThat(first).isNotEqualTo(second);
    assertThat(first.matches(SECRET)).isTrue();
    assertThat(second.matches(SECRET)).isTrue();
  }

  @Test
  void a_hash_read_back_from_its_stored_form_still_matches() {
    SecretHash stored = new SecretHash(SecretHash.of("秘密 with spaces", random).encoded());

    assertThat(stored.matches("秘密 with spaces")).isTrue();
  }

  @Test
  void anything_but_the_stored_form_is_refused() {
    assertThatThrownBy(() -> new SecretHash(SECRET)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> new SecretHash("sha256:00:00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SecretHash("md5:" + "0".repeat(32) + ":" + "0".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void to_string_shows_neither_the_secret_nor_the_hash() {
    SecretHash hash = SecretHash.of(SECRET, random);

    assertThat(hash.toString()).doesNotContain(hash.encoded().substring(7)).isEqualTo("SecretHash[sha256:****]");
  }
}
