package kefu.protocol.token;

/** Ordinary tokens ({@code /cgi-bin/token}) and stable tokens ({@code /cgi-bin/stable_token}) never affect each other. */
public enum TokenKind {
  ORDINARY,
  STABLE
}
