package kefu.sdk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An errmsg split into its text and its request id (spec §1). Accepted suffixes: {@code " rid: X"} (since about
 * 2020), {@code ", rid: X"} (some messages, e.g. {@code appsecret missing, rid: …}; the comma goes with the
 * suffix), {@code " hint: [X]"} (≈2015–2019), {@code " hint: [X] rid: Y"} (≈2021; the rid wins) and
 * {@code ", hints: [ req_id: X ]"} (sns). Anything else is all text and no rid.
 */
record Errmsg(String text, String rid) {
  private static final Pattern RID = Pattern.compile("(?:,\\s*|\\s+|^)rid:\\s*(\\S*)\\s*$");
  private static final Pattern HINT =
      Pattern.compile("(?:,\\s*|\\s+|^)hints?:\\s*\\[\\s*(?:req_id:\\s*)?([^\\]]*?)\\s*\\]\\s*$");

  static Errmsg parse(String raw) {
    if (raw == null) {
      return new Errmsg("", "");
    }
    String text = raw;
    String rid = "";
    Matcher r = RID.matcher(text);
    if (r.find()) {
      rid = r.group(1);
      text = text.substring(0, r.start());
    }
    Matcher h = HINT.matcher(text);
    if (h.find()) {
      if (rid.isEmpty()) {
        rid = h.group(1);
      }
      text = text.substring(0, h.start());
    }
    return new Errmsg(text, rid);
  }
}
