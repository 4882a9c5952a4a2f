package kefu.sdk.push;

import java.util.Map;

/** Values copied from spec §10.1 and §10.5, as the developer's server receives them. */
final class SpecVectors {
  private SpecVectors() {}

  static final String TOKEN = "AAAAA";
  static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String APPID = "wxba5fad812f8e6fb9";
  static final String ORIGINAL_ID = "gh_97417a04a28d";
  static final String OPENID = "o9AgO5Kd5ggOC-bXrbNODIiE3bGY";

  // §10.1 URL verification
  static final Map<String, String> URL_CHECK = Map.of("signature", "f464b24fc39322e44b38aa78f5edd27bd1441696",
      "timestamp", "1714036504", "nonce", "1514711492", "echostr", "4375120948345356249");

  // §10.1 plaintext push (JSON), pretty-printed as in the doc
  static final Map<String, String> PLAIN_QUERY = Map.of("signature", "899cf89e464efb63f54ddac96b0a0a235f53aa78",
      "timestamp", "1714037059", "nonce", "486452656");
  static final String PLAIN_BODY = "{\n  \"ToUserName\": \"gh_97417a04a28d\",\n"
      + "  \"FromUserName\": \"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\",\n  \"CreateTime\": 1714037059,\n"
      + "  \"MsgType\": \"event\",\n  \"Event\": \"debug_demo\",\n  \"debug_str\": \"hello world\"\n}";

  // §10.1 secure push (JSON)
  static final Map<String, String> SECURE_QUERY = Map.of("signature", "6c5c811b55cc85e0e1b54100749188c20beb3f5d",
      "timestamp", "1714112445", "nonce", "415670741", "openid", OPENID, "encrypt_type", "aes",
      "msg_signature", "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3");
  static final String SECURE_ENCRYPT = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMk"
      + "Uyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3F"
      + "n2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFU"
      + "PAJGj04=";
  static final String SECURE_BODY = "{\"ToUserName\":\"gh_97417a04a28d\",\"Encrypt\":\"" + SECURE_ENCRYPT + "\"}";

  // §10.5 computed secure XML text push
  static final String COMPUTED_ENCRYPT = "uMMzGtqcnpOzXOYBwDQNrbj5/VdqaRnia1nU3YYbEC8E9RVsVICvEP1hJvVR1rMrZMQgmVXRB"
      + "GNJqBfb5+jEo1aRpqm47iXi2R1DBsHirwd65zYCROFIRBC6fTo8XiNJOOsxOtrcmWYBJu6iMs0hdUn+24H5WN0IswgKV97f1H8RU0ZtVQqIr4"
      + "qk7FvEU2HBtpUH/NQxJAacqAreueNe2UPS9SoPDcn2FZXBQBAKFUZ0Topn1wHG7XMScyIkvyoXOuwVAoV5aFLgDoULbo2IUOaorbQKDlmUEq"
      + "/QjNOzkBm+BK1AsP4XdDkYUDG9VVA2fdn4FIPhi31TmV0fH/TBoJLR9X31VOySr2H0+rp25X6gqJ3Lvad23gcU8KohhnRvcP+NogiS8vImzDw"
      + "CyW9NumtbmfJ2TnndpcVPjsYOyqo=";
  static final String COMPUTED_BODY = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA["
      + COMPUTED_ENCRYPT + "]]></Encrypt></xml>";
  static final Map<String, String> COMPUTED_QUERY = Map.of("timestamp", "1714112445", "nonce", "415670741",
      "openid", OPENID, "encrypt_type", "aes", "msg_signature", "777570ccf56f0b25c233d0b6061bdc83c8b7b277",
      "signature", "6c5c811b55cc85e0e1b54100749188c20beb3f5d");
  static final Inbound.TextMessage COMPUTED_TEXT = new Inbound.TextMessage(OPENID, ORIGINAL_ID, 1714112445L, "hello",
      24602000000000001L);
}
