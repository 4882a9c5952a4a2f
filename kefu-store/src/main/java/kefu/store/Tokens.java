package kefu.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.protocol.token.AccessToken;
import kefu.protocol.token.TokenKind;

public interface Tokens {
  Optional<AccessToken> find(String value);

  /** The most recently issued token of that app and kind, whatever its state. */
  Optional<AccessToken> latest(String appid, TokenKind kind);

  void insert(AccessToken token);

  /**
   * Makes every token of that app and kind stop working at {@code at}, unless it already stops earlier
   * ({@code revoked_at = min(revoked_at, at)}).
   */
  void revokeAll(String appid, TokenKind kind, Instant at);

  /** Forced stable-token refreshes of the app issued at or after {@code since}. */
  int countForcedSince(String appid, Instant since);

  /** Issue time of the app's last forced stable-token refresh. */
  Optional<Instant> lastForcedAt(String appid);

  /** The app's tokens, newest first, at most {@code limit}. */
  List<AccessToken> list(String appid, int limit);
}
