package kefu.protocol.push;

/** Values copied from spec §10, shared by the tests. */
final class PushVectors {
  private PushVectors() {}

  // §10.1 PUSH doc
  static final String DOC_TOKEN = "AAAAA";
  static final String DOC_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String DOC_APPID = "wxba5fad812f8e6fb9";
  static final String DOC_PUSH_ENCRYPT = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus"
      + "8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2P"
      + "ede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJ"
      + "Gj04=";
  static final String DOC_PUSH_MSG = "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\","
      + "\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"debug_demo\",\"debug_str\":\"hello world\"}";
  static final String DOC_PUSH_RANDOM = "a8eedb185eb2fecf";
  static final String DOC_REPLY_MSG = "{\"demo_resp\":\"good luck\"}";
  static final String DOC_REPLY_RANDOM = "707722b803182950";
  static final String DOC_REPLY_ENCRYPT =
      "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

  // §10.2 WxJava / Tencent sample
  static final String WX_TOKEN = "pamtest";
  static final String WX_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  static final String WX_APPID = "wxb11529c136998cb6";
  static final String WX_RANDOM = "aaaabbbbccccdddd";
  static final String WX_CHINESE_ENCRYPT =
      "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
  static final String WX_VIDEO_REPLY = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName>"
      + "<FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime>"
      + "<MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2"
      + "Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA["
      + "testCallBackReplyVideo]]></Description></Video></xml>";

  // §10.3 wechatpy (WeCom)
  static final String WECHATPY_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
  static final String WECHATPY_CORP_ID = "wx49f0ab532d5d035a";
  static final String WECHATPY_ECHO =
      "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";

  // §10.5 computed
  static final String COMPUTED_RANDOM = "0123456789abcdef";
  static final String COMPUTED_MSG = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA["
      + "o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]>"
      + "</MsgType><Content><![CDATA[hello]]></Content><MsgId>24602000000000001</MsgId></xml>";
  static final String COMPUTED_ENCRYPT = "uMMzGtqcnpOzXOYBwDQNrbj5/VdqaRnia1nU3YYbEC8E9RVsVICvEP1hJvVR1rMrZMQgmVXRBGNJqBfb"
      + "5+jEo1aRpqm47iXi2R1DBsHirwd65zYCROFIRBC6fTo8XiNJOOsxOtrcmWYBJu6iMs0hdUn+24H5WN0IswgKV97f1H8RU0ZtVQqIr4qk7FvEU"
      + "2HBtpUH/NQxJAacqAreueNe2UPS9SoPDcn2FZXBQBAKFUZ0Topn1wHG7XMScyIkvyoXOuwVAoV5aFLgDoULbo2IUOaorbQKDlmUEq/QjNOzkB"
      + "m+BK1AsP4XdDkYUDG9VVA2fdn4FIPhi31TmV0fH/TBoJLR9X31VOySr2H0+rp25X6gqJ3Lvad23gcU8KohhnRvcP+NogiS8vImzDwCyW9Numtb"
      + "mfJ2TnndpcVPjsYOyqo=";
  static final PushEvent COMPUTED_EVENT = new PushEvent.Text("gh_97417a04a28d", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
      1714112445L, "hello", 24602000000000001L);
}
