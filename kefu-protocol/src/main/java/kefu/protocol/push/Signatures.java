package kefu.protocol.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The SHA-1 signatures of message push (spec §6.2, §6.3, §6.4): sort the values as strings, concatenate them without
 * separator, hash the UTF-8 bytes, write lowercase hex. {@code signature} signs Token, timestamp and nonce (URL check
 * and every push, whatever the mode); {@code msg_signature} and a reply's {@code MsgSignature} add the Encrypt value.
 */
public final class Signatures {
  /** How {@link #canonicalHidingToken} writes the Token. */
  public static final String TOKEN_MASK = "{token}";

  private Signatures() {}

  /** The strings sorted (String natural order) and concatenated: what is signed; shown by the push debugger. */
  public static String canonical(String... parts) {
    String[] sorted = parts.clone();
    for (String part : sorted) {
      Objects.requireNonNull(part, "a signed value is null");
    }
    Arrays.sort(sorted);
    return String.join("", sorted);
  }

  /**
   * {@link #canonical} of the Token and the other values, with the Token written {@value #TOKEN_MASK} where it
   * sorted: what the push debugger shows and journals, so that no journal holds the Token. A developer checks their
   * own canonical string by writing their Token in its place.
   */
  public static String canonicalHidingToken(String token, String... others) {
    String[] parts = new String[others.length + 1];
    parts[0] = Objects.requireNonNull(token, "a signed value is null");
    System.arraycopy(others, 0, parts, 1, others.length);
    Integer[] order = new Integer[parts.length];
    for (int i = 0; i < parts.length; i++) {
      order[i] = i;
      Objects.requireNonNull(parts[i], "a signed value is null");
    }
    Arrays.sort(order, (a, b) -> parts[a].compareTo(parts[b]));
    StringBuilder shown = new StringBuilder();
    for (int i : order) {
      shown.append(i == 0 ? TOKEN_MASK : parts[i]);
    }
    return shown.toString();
  }

  /** Lowercase hex SHA-1 of {@link #canonical(String...)}. */
  public static String sha1OfSorted(String... parts) {
    return sha1Hex(canonical(parts));
  }

  /** The 3-value {@code signature}: Token, timestamp, nonce. */
  public static String signature(String token, String timestamp, String nonce) {
    return sha1OfSorted(token, timestamp, nonce);
  }

  /** The 4-value {@code msg_signature} / {@code MsgSignature}: Token, timestamp, nonce, Encrypt. */
  public static String msgSignature(String token, String timestamp, String nonce, String encrypt) {
    return sha1OfSorted(token, timestamp, nonce, encrypt);
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
