package kefu.store;

import java.util.Objects;
import kefu.protocol.limit.ApiLimits;
import kefu.protocol.push.PushSettings;
import kefu.protocol.token.SecretHash;
import kefu.protocol.window.WindowRules;

/**
 * A mini program registered on kefu: its credentials (the AppSecret as a salted hash, never in clear), its original
 * id ({@code gh_…}, the push's ToUserName), the window rules it runs under, whether it holds the customer-service
 * permission (else sends answer 48001), its message-push configuration ({@link PushSettings#NONE} when it has none)
 * and its API limits ({@link ApiLimits#OFF} unless switched on).
 */
public record App(String appid, SecretHash secret, String originalId, WindowRules rules,
                  boolean customerServiceAllowed, PushSettings push, ApiLimits limits) {
  public App {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(originalId, "originalId");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(push, "push");
    Objects.requireNonNull(limits, "limits");
  }

  public App withSecret(SecretHash hash) {
    return new App(appid, hash, originalId, rules, customerServiceAllowed, push, limits);
  }

  public App withRules(WindowRules windowRules) {
    return new App(appid, secret, originalId, windowRules, customerServiceAllowed, push, limits);
  }

  public App withPush(PushSettings settings) {
    return new App(appid, secret, originalId, rules, customerServiceAllowed, settings, limits);
  }

  public App withLimits(ApiLimits apiLimits) {
    return new App(appid, secret, originalId, rules, customerServiceAllowed, push, apiLimits);
  }

  @Override
  public String toString() {
    return "App[appid=" + appid + ", secret=****, originalId=" + originalId + ", rules=" + rules.name()
        + ", customerServiceAllowed=" + customerServiceAllowed + ", push=" + push + ", limits="
        + (limits.on() ? "on" : "off") + "]";
  }
}
