package kefu.protocol.user;

import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** User openids: 28 characters of {@code [A-Za-z0-9_-]} starting with {@code o}, like WeChat's (spec §3.1). */
public final class OpenId {
  private static final char[] CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
  /** What kefu accepts as an openid given by a caller: 1 to 64 URL-safe characters. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private OpenId() {}

  public static String newOpenId(RandomGenerator random) {
    char[] id = new char[28];
    id[0] = 'o';
    for (int i = 1; i < id.length; i++) {
      id[i] = CHARS[random.nextInt(CHARS.length)];
    }
    return new String(id);
  }

  public static boolean isWellFormed(String openid) {
    return openid != null && ACCEPTED.matcher(openid).matches();
  }
}
