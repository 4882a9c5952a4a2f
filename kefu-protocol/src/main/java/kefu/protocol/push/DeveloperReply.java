package kefu.protocol.push;

/**
 * What the developer's server answered to a push (spec §6.5, §7): {@code success} or an empty body, a
 * {@code transfer_customer_service} hand-off, or anything else, which WeChat treats as abnormal data (the user sees
 * "该小程序客服暂时无法提供服务，请稍后再试").
 */
public sealed interface DeveloperReply {
  /** The body was {@code success} (surrounding whitespace ignored) or empty. */
  record Success() implements DeveloperReply {}

  /** {@code transfer_customer_service}; {@code kfAccount} is null unless {@code <TransInfo><KfAccount>} named one. */
  record Transfer(String kfAccount) implements DeveloperReply {}

  /** Anything else, with a human-readable reason for the push debugger. */
  record Abnormal(String reason) implements DeveloperReply {}

  int MAX_BYTES = 64 * 1024;

  /**
   * Parses a reply. It never throws on any body.
   *
   * <ul>
   *   <li>{@code success} or an empty body (after trimming whitespace) is {@link Success}, in every mode; so is an
   *       encrypted envelope whose plaintext is {@code success} or empty (kefu's leniency).
   *   <li>XML or JSON is told by the first non-blank character ({@code <} or {@code {}}). A transfer has
   *       {@code MsgType} = {@code transfer_customer_service}: the XML of spec §7 or the same fields as a JSON object.
   *   <li>An encrypted reply is the envelope {@code Encrypt, MsgSignature, TimeStamp, Nonce} (JSON or XML, spec
   *       §6.4). {@code MsgSignature} must equal {@code msgSignature(token, TimeStamp, Nonce, Encrypt)} with the
   *       reply's own TimeStamp and Nonce, else Abnormal {@code "MsgSignature mismatch: expected X, got Y"}; the
   *       plaintext must decrypt with {@code appid}, else Abnormal with {@link PushCipher}'s reason verbatim; then
   *       the inner XML/JSON is read as above. Secure mode needs a transfer encrypted; compatible mode takes both;
   *       plain mode takes plain replies only.
   *   <li>Larger than {@link #MAX_BYTES}, not UTF-8, malformed, with a DOCTYPE (no DTD, external entity or entity
   *       expansion is ever processed), or a passive reply of another MsgType: Abnormal.
   *   <li>{@code forEvent}: the push was an event, and transfer is not allowed for events.
   * </ul>
   */
  static DeveloperReply parse(byte[] body, PushSettings settings, String appid, boolean forEvent) {
    return ReplyCodec.parse(body, settings, appid, forEvent);
  }
}
