package kefu.protocol.window;

import kefu.protocol.WxError;

/** The verdict of {@link WindowRules#onSend}: the window after the send, or why the send is refused. */
public sealed interface SendDecision {
  record Allowed(Window next) implements SendDecision {}

  record Denied(WxError error) implements SendDecision {}
}
