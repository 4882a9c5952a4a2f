package kefu.protocol;

import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * WeChat's request id, appended to every errmsg: three groups of 8 lowercase hex digits, the first being the
 * request time in Unix seconds (spec §1), e.g. {@code 6aac005a-01bfdbee-79769285}.
 */
public final class Rid {
  private static final HexFormat HEX = HexFormat.of();

  private Rid() {}

  /** Made for every request, so without {@code String.format}'s parsing of its pattern. */
  public static String of(Instant now, RandomGenerator random) {
    return HEX.toHexDigits((int) now.getEpochSecond()) + "-" + HEX.toHexDigits(random.nextInt()) + "-"
        + HEX.toHexDigits(random.nextInt());
  }
}
