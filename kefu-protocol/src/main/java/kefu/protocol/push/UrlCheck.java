package kefu.protocol.push;

/**
 * The URL verification request sent when push settings are submitted (spec §6.2):
 * {@code GET url?signature=…&timestamp=…&nonce=…&echostr=…}, exactly these four parameters in every mode (the echostr
 * is plain even in secure mode). The developer must answer with the echostr verbatim. Vector: spec §10.1.
 */
public final class UrlCheck {
  private UrlCheck() {}

  /** The query string, without {@code ?}. */
  public static String query(String token, String timestamp, String nonce, String echostr) {
    return "signature=" + PushCodec.encode(Signatures.signature(token, timestamp, nonce))
        + "&timestamp=" + PushCodec.encode(timestamp)
        + "&nonce=" + PushCodec.encode(nonce)
        + "&echostr=" + PushCodec.encode(echostr);
  }
}
