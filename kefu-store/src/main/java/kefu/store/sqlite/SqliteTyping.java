package kefu.store.sqlite;

import kefu.protocol.typing.TypingState;
import kefu.store.Typing;

record SqliteTyping(SqliteTx tx) implements Typing {
  @Override
  public TypingState find(String appid, String openid) {
    return tx.first("SELECT last_exchange_at, typing_until FROM typing WHERE appid = ? AND openid = ?",
        row -> new TypingState(SqliteTx.instant(row, "last_exchange_at"), SqliteTx.instant(row, "typing_until")),
        appid, openid).orElse(TypingState.NONE);
  }

  @Override
  public void put(String appid, String openid, TypingState state) {
    tx.update("INSERT INTO typing (appid, openid, last_exchange_at, typing_until) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (appid, openid) DO UPDATE SET last_exchange_at = excluded.last_exchange_at,"
            + " typing_until = excluded.typing_until",
        appid, openid, SqliteTx.millis(state.lastExchangeAt()), SqliteTx.millis(state.typingUntil()));
  }
}
