package kefu.store;

import kefu.protocol.window.Window;

public interface Windows {
  /** The user's window, {@link Window#NONE} when the user never triggered one. */
  Window find(String appid, String openid);

  void put(String appid, String openid, Window window);
}
