package kefu.protocol;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * WeChat's request id, appended to every errmsg: three groups of 8 lowercase hex digits, the first being the
 * request time in Unix seconds (spec §1), e.g. {@code 6aac005a-01bfdbee-79769285}.
 */
public final class Rid {
  private Rid() {}

  public static String of(Instant now, RandomGenerator random) {
    return String.format("%08x-%08x-%08x", now.getEpochSecond() & 0xffffffffL,
        random.nextInt() & 0xffffffffL, random.nextInt() & 0xffffffffL);
  }
}
