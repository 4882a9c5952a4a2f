package kefu.store;

import java.util.Objects;
import kefu.protocol.window.WindowRules;

/**
 * A mini program registered on kefu: its credentials, its original id ({@code gh_…}, the push's ToUserName), the
 * window rules it runs under, and whether it holds the customer-service permission (else sends answer 48001).
 */
public record App(String appid, String secret, String originalId, WindowRules rules, boolean customerServiceAllowed) {
  public App {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(originalId, "originalId");
    Objects.requireNonNull(rules, "rules");
  }

  @Override
  public String toString() {
    return "App[appid=" + appid + ", secret=****, originalId=" + originalId + ", rules=" + rules.name()
        + ", customerServiceAllowed=" + customerServiceAllowed + "]";
  }
}
