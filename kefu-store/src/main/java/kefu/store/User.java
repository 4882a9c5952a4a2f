package kefu.store;

import java.time.Instant;
import java.util.Objects;

/** A simulated WeChat user of one app. {@code nickname} may be empty. */
public record User(String appid, String openid, String nickname, Instant createdAt) {
  public User {
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(openid, "openid");
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
