package kefu.store;

import java.util.List;
import java.util.Optional;

public interface Apps {
  Optional<App> find(String appid);

  /** Every app, ordered by appid. */
  List<App> all();

  /** Creates or replaces the app with that appid. */
  void put(App app);
}
