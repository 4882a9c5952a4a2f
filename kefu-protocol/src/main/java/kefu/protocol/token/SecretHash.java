package kefu.protocol.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * An AppSecret as kefu keeps it at rest: a random 16-byte salt and SHA-256 of the salt followed by the secret's
 * UTF-8 bytes, stored as {@code sha256:<salt, 32 hex digits>:<digest, 64 hex digits>}. The secret itself is never
 * stored; {@code /cgi-bin/token} and {@code /cgi-bin/stable_token} check a given secret with {@link #matches}.
 *
 * <p>Why one salted SHA-256 and not a slow password hash (PBKDF2, bcrypt): a WeChat AppSecret is 32 random hex
 * digits, 128 bits that no guessing reaches, stretched or not; the salt keeps equal secrets from looking equal and
 * precomputed tables useless. A slow hash would cost every token call milliseconds of CPU, and would let a flood of
 * wrong secrets keep the CPU busy. A secret a person chose (kefu accepts 1 to 128 characters) is only as strong as
 * its choice: SECURITY.md says so. The scheme is named in the stored form, so a stronger one can join later.
 */
public record SecretHash(String encoded) {
  private static final String SCHEME = "sha256";
  private static final int SALT_BYTES = 16;
  private static final Pattern FORM = Pattern.compile(SCHEME + ":[0-9a-f]{" + 2 * SALT_BYTES + "}:[0-9a-f]{64}");
  private static final HexFormat HEX = HexFormat.of();

  /** @throws IllegalArgumentException when {@code encoded} is not the stored form */
  public SecretHash {
    Objects.requireNonNull(encoded, "encoded");
    if (!FORM.matcher(encoded).matches()) {
      throw new IllegalArgumentException("not a stored secret hash (sha256:<salt>:<digest>)");
    }
  }

  /** The hash of {@code secret} under a fresh salt drawn from {@code random} (a {@code SecureRandom} in kefu). */
  public static SecretHash of(String secret, RandomGenerator random) {
    Objects.requireNonNull(secret, "secret");
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new SecretHash(SCHEME + ":" + HEX.formatHex(salt) + ":" + HEX.formatHex(digest(salt, secret)));
  }

  /** Whether {@code candidate} is the secret this hash was made from; the comparison takes the same time either way. */
  public boolean matches(String candidate) {
    Objects.requireNonNull(candidate, "candidate");
    int colon = encoded.indexOf(':', SCHEME.length() + 1);
    byte[] salt = HEX.parseHex(encoded, SCHEME.length() + 1, colon);
    byte[] expected = HEX.parseHex(encoded, colon + 1, encoded.length());
    return MessageDigest.isEqual(digest(salt, candidate), expected);
  }

  private static byte[] digest(byte[] salt, String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      return sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Not even the hash: logs have no use for it. */
  @Override
  public String toString() {
    return "SecretHash[" + SCHEME + ":****]";
  }
}
