package kefu.server.crash;

import java.util.List;
import java.util.stream.IntStream;
import kefu.protocol.push.PushMode;

/**
 * An app of the crash harness and its simulated users, as {@code kefu.yaml} gives it to the child: window rules with
 * a small allowance ({@link #ALLOWANCE} sends within {@link #WINDOW_SECONDS} of a user message) so that the load
 * runs into 45047, push to the developer's backend in the test JVM, and, when {@code dailyUploads} is not 0, API
 * limits with that many media uploads a day, so that the load runs into 45009.
 */
record CrashApp(String appid, String secret, String originalId, PushMode mode, String encodingAesKey,
                int dailyUploads, List<String> openids) {
  static final int ALLOWANCE = 3;
  static final long WINDOW_SECONDS = 1800;
  static final String PUSH_TOKEN = "crashtoken";
  static final String AGENT = "kf001";

  static CrashApp of(String name, PushMode mode, String encodingAesKey, int dailyUploads, int users) {
    String appid = ("wxcrash" + name + "0000000000").substring(0, 18);
    return new CrashApp(appid, (name + "secret00000000000000000000000000").substring(0, 32),
        ("gh_crash" + name + "0000").substring(0, 15), mode, encodingAesKey, dailyUploads,
        IntStream.rangeClosed(1, users).mapToObj(i -> "o-crash-" + name + "-" + i).toList());
  }

  String path() {
    return "/kefu/v1/apps/" + appid;
  }

  /** The app's entry under {@code apps:} in kefu.yaml; pushes go to {@code pushUrl?app=appid}. */
  String yaml(String pushUrl) {
    return """
          - appid: %s
            secret: %s
            original_id: %s
            customer_service: true
            rules: {name: crash, enter: {count: 1, seconds: 60}, message: {count: %d, seconds: %d}}
            push: {url: "%s?app=%s", token: %s, format: json, mode: %s%s}
            limits: %s
        """.formatted(appid, secret, originalId, ALLOWANCE, WINDOW_SECONDS, pushUrl, appid, PUSH_TOKEN,
        mode.wireName(), mode.encrypts() ? ", encoding_aes_key: " + encodingAesKey : "",
        dailyUploads == 0 ? "false" : "{\"/cgi-bin/media/upload\": {daily: " + dailyUploads + "}}");
  }
}
