package kefu.store;

import java.util.List;
import java.util.Optional;

public interface Users {
  Optional<User> find(String appid, String openid);

  /** Adds the user; false (and nothing changed) when that openid already exists for the app. */
  boolean create(User user);

  /** The app's users, oldest first. */
  List<User> list(String appid);
}
