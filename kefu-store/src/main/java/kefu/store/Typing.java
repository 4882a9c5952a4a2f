package kefu.store;

import kefu.protocol.typing.TypingState;

public interface Typing {
  /** The user's typing state, {@link TypingState#NONE} when nothing was ever exchanged. */
  TypingState find(String appid, String openid);

  void put(String appid, String openid, TypingState state);
}
