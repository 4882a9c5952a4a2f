package kefu.server.config;

import java.util.Objects;
import kefu.protocol.push.PushSettings;
import kefu.store.App;

/**
 * An app the configuration declares ({@code kefu.yaml}, the demo app, a test's app), with its secret in clear as
 * the configuration holds it. The store only ever gets {@link #app()}, whose secret is the salted hash of
 * {@link #secret()}; the clear secret lets a restart tell whether the file's secret is still the stored one.
 */
public record ConfiguredApp(App app, String secret) {
  /** @throws IllegalArgumentException when the app's hash is not of {@code secret} */
  public ConfiguredApp {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(secret, "secret");
    if (!app.secret().matches(secret)) {
      throw new IllegalArgumentException("the secret of " + app.appid() + " is not the one its hash was made from");
    }
  }

  public String appid() {
    return app.appid();
  }

  public String originalId() {
    return app.originalId();
  }

  /**
   * What is stored at a start when the store already holds the app: this app, keeping the stored hash while the
   * secret is unchanged (a restart does not hash it again), and the stored push settings when this app has none
   * (they were set through the API).
   */
  public App over(App stored) {
    App next = stored.secret().matches(secret) ? app.withSecret(stored.secret()) : app;
    return next.push().equals(PushSettings.NONE) ? next.withPush(stored.push()) : next;
  }

  @Override
  public String toString() {
    return "ConfiguredApp[" + app + "]";
  }
}
