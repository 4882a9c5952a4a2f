package kefu.store;

import java.util.Objects;
import kefu.protocol.push.PushSettings;
import kefu.protocol.window.WindowRules;

/**
 * A mini program registered on kefu: its credentials, its original id ({@code gh_…}, the push's ToUserName), the
 * window rules it runs under, whether it holds the customer-service permission (else sends answer 48001), and its
 * message-push configuration ({@link PushSettings#NONE} when it has none).
 */
public record App(String appid, String secret, String originalId, WindowRules rules, boolean customerServiceAllowed,
                  PushSettings push) {
  public App {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(originalId, "originalId");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(push, "push");
  }

  public App withPush(PushSettings settings) {
    return new App(appid, secret, originalId, rules, customerServiceAllowed, settings);
  }

  @Override
  public String toString() {
    return "App[appid=" + appid + ", secret=****, originalId=" + originalId + ", rules=" + rules.name()
        + ", customerServiceAllowed=" + customerServiceAllowed + ", push=" + push + "]";
  }
}
