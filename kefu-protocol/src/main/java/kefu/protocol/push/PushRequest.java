package kefu.protocol.push;

/**
 * One push as it goes to the developer's URL (spec §6.3, §6.4), with what was signed for the push debugger.
 *
 * @param query the query string, without {@code ?}
 * @param body the request body
 * @param contentType the {@code Content-Type} header value
 * @param plaintext the event's plaintext form (the body itself in plain mode; what was encrypted otherwise)
 * @param canonical what {@code signature} signs: Token, timestamp and nonce, sorted and concatenated, the Token
 *     written {@value Signatures#TOKEN_MASK} ({@link Signatures#canonicalHidingToken})
 * @param signature the 3-value {@code signature}
 * @param msgCanonical what {@code msg_signature} signs, the Token written the same way; null in plain mode
 * @param msgSignature the 4-value {@code msg_signature}; null in plain mode
 * @param encrypt the Base64 {@code Encrypt} value; null in plain mode
 */
public record PushRequest(String query, String body, String contentType, String plaintext,
                          String canonical, String signature,
                          String msgCanonical, String msgSignature, String encrypt) {}
