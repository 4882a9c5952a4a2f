package kefu.testing;

import java.util.Base64;

/** The smallest images kefu accepts. */
final class Images {
  /** A 1×1 PNG. */
  static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  private Images() {}
}
