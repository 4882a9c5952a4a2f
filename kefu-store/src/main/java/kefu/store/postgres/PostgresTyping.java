package kefu.store.postgres;

import kefu.protocol.typing.TypingState;
import kefu.store.Typing;

record PostgresTyping(PostgresTx tx) implements Typing {
  @Override
  public TypingState find(String appid, String openid) {
    return tx.first("SELECT last_exchange_at, typing_until FROM typing WHERE appid = ? AND openid = ?"
            + tx.lockForUpdate(),
        row -> new TypingState(PostgresTx.instant(row, "last_exchange_at"), PostgresTx.instant(row, "typing_until")),
        appid, openid).orElse(TypingState.NONE);
  }

  @Override
  public void put(String appid, String openid, TypingState state) {
    tx.update("INSERT INTO typing (appid, openid, last_exchange_at, typing_until) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO UPDATE SET last_exchange_at = excluded.last_exchange_at,"
            + " typing_until = excluded.typing_until",
        appid, openid, PostgresTx.millis(state.lastExchangeAt()), PostgresTx.millis(state.typingUntil()));
  }
}
