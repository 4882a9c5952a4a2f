package kefu.protocol.push;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The message-push AES scheme (spec §6.4). The key is {@code Base64(EncodingAESKey + "=")}, 32 bytes (AES-256), and
 * the IV its first 16 bytes; the cipher is AES-CBC over
 * {@code FullStr = random(16) ‖ len(4, big-endian) ‖ msg (UTF-8) ‖ appid (UTF-8)}, padded PKCS#7-style to a multiple
 * of <b>32</b> bytes (1..32 bytes of value k), and the result is standard Base64 with {@code =} padding. Vectors:
 * spec §10.1, §10.2, §10.5.
 *
 * <p>Decryption is strict where Tencent's sample is lenient: the padding must be well formed and the trailing appid
 * must be this cipher's appid; every failure is a {@link Opened.Failed} with a reason, never an exception.
 *
 * <p>Immutable and safe to share between threads: a {@link Cipher} is made per call.
 */
public final class PushCipher {
  private static final int KEY_CHARS = 43;
  private static final int BLOCK = 32;
  private static final int RANDOM_BYTES = 16;
  private static final int HEADER = RANDOM_BYTES + 4;
  private static final String KEY_RULE = "EncodingAESKey must be 43 characters of letters and digits";

  private final SecretKeySpec key;
  private final IvParameterSpec iv;
  private final String appid;
  private final byte[] appidBytes;

  /** Empty when the key is usable; else a clear reason. */
  public static Optional<String> checkKey(String encodingAesKey) {
    if (encodingAesKey == null || encodingAesKey.isEmpty()) {
      return Optional.of(KEY_RULE + " (none given)");
    }
    if (encodingAesKey.length() != KEY_CHARS) {
      return Optional.of(KEY_RULE + " (got " + encodingAesKey.length() + " characters)");
    }
    for (int i = 0; i < encodingAesKey.length(); i++) {
      char c = encodingAesKey.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum) {
        return Optional.of(KEY_RULE + " (character " + (i + 1) + " is neither)");
      }
    }
    return Optional.empty();
  }

  /** @throws IllegalArgumentException when {@link #checkKey(String)} finds the key unusable */
  public PushCipher(String encodingAesKey, String appid) {
    Optional<String> problem = checkKey(encodingAesKey);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    this.appid = Objects.requireNonNull(appid, "appid");
    this.appidBytes = appid.getBytes(StandardCharsets.UTF_8);
    byte[] raw = Base64.getDecoder().decode(encodingAesKey + "=");
    this.key = new SecretKeySpec(raw, "AES");
    this.iv = new IvParameterSpec(raw, 0, 16);
  }

  public String appid() {
    return appid;
  }

  /**
   * The Base64 ciphertext of {@code plaintext}.
   *
   * @param random16 the 16-character prefix (WeChat uses 16 lowercase hex characters, see {@link #randomPrefix});
   *     its UTF-8 form must be 16 bytes
   */
  public String encrypt(String plaintext, String random16) {
    byte[] random = random16.getBytes(StandardCharsets.UTF_8);
    if (random.length != RANDOM_BYTES) {
      throw new IllegalArgumentException("the random prefix must be 16 bytes in UTF-8, got " + random.length);
    }
    byte[] msg = plaintext.getBytes(StandardCharsets.UTF_8);
    int unpadded = HEADER + msg.length + appidBytes.length;
    int pad = BLOCK - unpadded % BLOCK;
    ByteBuffer full = ByteBuffer.allocate(unpadded + pad);
    full.put(random).putInt(msg.length).put(msg).put(appidBytes);
    while (full.hasRemaining()) {
      full.put((byte) pad);
    }
    return Base64.getEncoder().encodeToString(run(Cipher.ENCRYPT_MODE, full.array()));
  }

  /** 16 lowercase hex characters, the shape of the prefix WeChat's servers use. */
  public static String randomPrefix(RandomGenerator random) {
    return HexFormat.of().toHexDigits(random.nextLong());
  }

  /** The message and appid inside {@code base64}, or why there are none. Never throws on bad input. */
  public Opened decrypt(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return new Opened.Failed("empty ciphertext");
    }
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new Opened.Failed("not base64");
    }
    if (sealed.length == 0 || sealed.length % 16 != 0) {
      return new Opened.Failed("ciphertext of " + sealed.length + " bytes is not a whole number of AES blocks");
    }
    byte[] full = run(Cipher.DECRYPT_MODE, sealed);
    int pad = full[full.length - 1] & 0xff;
    if (pad < 1 || pad > BLOCK || pad > full.length) {
      return new Opened.Failed("bad padding");
    }
    for (int i = full.length - pad; i < full.length; i++) {
      if ((full[i] & 0xff) != pad) {
        return new Opened.Failed("bad padding");
      }
    }
    int end = full.length - pad;
    if (end < HEADER) {
      return new Opened.Failed("length field out of range");
    }
    int length = ByteBuffer.wrap(full, RANDOM_BYTES, 4).getInt();
    if (length < 0 || length > end - HEADER) {
      return new Opened.Failed("length field out of range");
    }
    Optional<String> message = utf8(Arrays.copyOfRange(full, HEADER, HEADER + length));
    if (message.isEmpty()) {
      return new Opened.Failed("message is not UTF-8");
    }
    byte[] trailer = Arrays.copyOfRange(full, HEADER + length, end);
    if (!Arrays.equals(trailer, appidBytes)) {
      return new Opened.Failed("appid mismatch: got " + printable(trailer));
    }
    return new Opened.Ok(message.get(), appid);
  }

  /** What {@link #decrypt(String)} found. */
  public sealed interface Opened {
    record Ok(String message, String appid) implements Opened {}

    record Failed(String reason) implements Opened {}
  }

  private byte[] run(int mode, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(mode, key, iv);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC without padding on whole blocks cannot fail", e);
    }
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** A foreign appid for a reason text: at most 64 characters, control characters and bad bytes shown as '?'. */
  private static String printable(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(64).forEach(cp -> {
      if (Character.isISOControl(cp) || cp == 0xFFFD) {
        out.append('?');
      } else {
        out.appendCodePoint(cp);
      }
    });
    if (text.codePointCount(0, text.length()) > 64) {
      out.append('…');
    }
    return out.isEmpty() ? "\"\"" : out.toString();
  }
}
