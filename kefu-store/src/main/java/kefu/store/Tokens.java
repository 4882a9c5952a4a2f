package kefu.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.TokenKind;

public interface Tokens {
  Optional<AccessToken> find(String value);

  /**
   * The most recently issued token of that app and kind, whatever its state. In {@link Store#inTransaction} it also
   * takes that app and kind's token lock (see {@link #revokeAll}), so a decision made on it holds until commit.
   */
  Optional<AccessToken> latest(String appid, TokenKind kind);

  void insert(AccessToken token);

  /**
   * Makes every token of that app and kind stop working at {@code at}, unless it already stops earlier
   * ({@code revoked_at = min(revoked_at, at)}).
   *
   * <p>It takes a lock on that app and kind held until the transaction ends, so {@code revokeAll} then
   * {@link #insert} in one transaction is atomic against every other transaction, on every node: however many
   * issue at once, exactly one token of that app and kind is left without a revocation time: the last one
   * committed.
   */
  void revokeAll(String appid, TokenKind kind, Instant at);

  /** Forced stable-token refreshes of the app issued at or after {@code since}. */
  int countForcedSince(String appid, Instant since);

  /** Issue time of the app's last forced stable-token refresh. */
  Optional<Instant> lastForcedAt(String appid);

  /** The app's tokens, newest first, at most {@code limit}. */
  List<AccessToken> list(String appid, int limit);
}
