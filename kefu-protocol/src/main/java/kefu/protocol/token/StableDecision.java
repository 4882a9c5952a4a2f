package kefu.protocol.token;

import kefu.protocol.WxError;

/** What {@code /cgi-bin/stable_token} does: hand back the current token, issue a new one, or refuse. */
public sealed interface StableDecision {
  record Reuse(AccessToken current) implements StableDecision {}

  /** Issue a new token; when {@code revokePrevious} the previous one dies at once (forced refresh). */
  record Issue(boolean forced, boolean revokePrevious) implements StableDecision {}

  record Denied(WxError error) implements StableDecision {}
}
