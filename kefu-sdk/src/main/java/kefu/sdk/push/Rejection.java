package kefu.sdk.push;

/**
 * Why {@link PushReceiver} refused a request, with the HTTP status and body to answer. The body names the kind of
 * problem only: expected signatures and decrypted text stay in {@link PushReply.Rejected#detail()}, for logs.
 *
 * <p>{@link #UNKNOWN_TYPE} is the one authentic push among them: a type or event the SDK does not model (the doc's
 * {@code debug_demo}, a future event). It is answered {@code success}, as WeChat expects, because anything else makes
 * WeChat retry and show the user "该小程序客服暂时无法提供服务，请稍后再试".
 */
public enum Rejection {
  /** {@code timestamp}, {@code nonce}, a signature or the {@code echostr} is missing. */
  MISSING_PARAMETER(400, "missing parameter"),
  /** {@code signature} (Token, timestamp, nonce) does not match: not from WeChat, or another token. */
  BAD_SIGNATURE(403, "invalid signature"),
  /** {@code msg_signature} (Token, timestamp, nonce, Encrypt) does not match. */
  BAD_MSG_SIGNATURE(403, "invalid msg_signature"),
  /** The receiver is in secure mode and the push has no {@code Encrypt}. */
  NOT_ENCRYPTED(400, "encryption required"),
  /** {@code Encrypt} does not open with the EncodingAESKey (another key, or damaged). */
  DECRYPTION_FAILED(400, "decryption failed"),
  /** {@code Encrypt} opened but its trailing appid is another mini program's. */
  WRONG_APPID(403, "wrong appid"),
  /** The plaintext and encrypted copies (compatible mode), or the envelope and its content, disagree. */
  COPIES_DIFFER(400, "copies differ"),
  /** Not UTF-8, not XML or JSON, too large, or a field missing or broken. */
  MALFORMED(400, "malformed push"),
  /** XML where JSON was expected, or the other way round. */
  WRONG_FORMAT(400, "unexpected format"),
  /** A well-formed, authentic push of a type the SDK does not model; answered {@code success}. */
  UNKNOWN_TYPE(200, PushReply.SUCCESS);

  private final int status;
  private final String answer;

  Rejection(int status, String answer) {
    this.status = status;
    this.answer = answer;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }

  /** The plain-text body to answer with. */
  public String answer() {
    return answer;
  }
}
