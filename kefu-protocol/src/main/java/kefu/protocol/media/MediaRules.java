package kefu.protocol.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;

/**
 * Temporary media (spec §5): only {@code type=image} for mini programs (else 40004), the part must be named
 * {@code media} (else 41005), zero bytes → 44001, over {@link #MAX_IMAGE_BYTES} → 45001, bytes that are not
 * JPEG/PNG/GIF/BMP → 40005; media lives 3 days, then {@code media/get} and sends answer 40007.
 */
public final class MediaRules {
  public static final Duration LIFETIME = Duration.ofDays(3);
  /** The Official Account figure for temporary images (spec §5.1); WeChat documents none for mini programs. */
  public static final int MAX_IMAGE_BYTES = 10 * 1024 * 1024;
  private static final char[] ID_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

  private MediaRules() {}

  /** Checks the {@code type} query parameter. */
  public static WxError checkType(String type) {
    return "image".equals(type) ? WxError.OK : WxError.INVALID_MEDIA_TYPE;
  }

  /** Checks uploaded bytes (null when the {@code media} part is missing) and tells their format. */
  public static Decoded<ImageFormat> checkUpload(byte[] bytes) {
    if (bytes == null) {
      return Decoded.bad(WxError.MEDIA_DATA_MISSING);
    }
    if (bytes.length == 0) {
      return Decoded.bad(WxError.EMPTY_MEDIA_DATA);
    }
    if (bytes.length > MAX_IMAGE_BYTES) {
      return Decoded.bad(WxError.MEDIA_SIZE_OUT_OF_LIMIT);
    }
    return ImageFormat.sniff(bytes).<Decoded<ImageFormat>>map(Decoded::ok)
        .orElseGet(() -> Decoded.bad(WxError.INVALID_FILE_TYPE));
  }

  public static boolean isExpired(Instant createdAt, Instant now) {
    return !now.isBefore(createdAt.plus(LIFETIME));
  }

  /** A media id like WeChat's: 64 characters of {@code [A-Za-z0-9_-]}. */
  public static String newMediaId(RandomGenerator random) {
    char[] id = new char[64];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

  /** The upload answer in its wire form: no errcode, numeric {@code created_at}, {@code "item":[]}. */
  public static ObjectNode uploadResponse(String mediaId, Instant createdAt) {
    ObjectNode o = Json.newObject();
    o.put("type", "image");
    o.put("media_id", mediaId);
    o.put("created_at", createdAt.getEpochSecond());
    o.putArray("item");
    return o;
  }
}
