package kefu.sdk;

import java.util.Objects;
import kefu.protocol.WxError;

/**
 * The one exception the SDK throws: WeChat (or kefu) answered an errcode other than 0, or the call could not be
 * made at all. Inside the SDK errors are values; they become this exception once, at the public method.
 *
 * <p>{@link #errcode()} is the number on the wire; {@link #errmsg()} the text without the request id;
 * {@link #rid()} the request id (empty when the answer carried none); {@link #error()} the known constant, or
 * {@link WxError#UNKNOWN} for a code this SDK does not know. Switch on the code or the constant, never on the text:
 * WeChat changes its texts.
 *
 * <p>What the codes mean, and what the SDK already did about them before throwing:
 * <table>
 *   <caption>errcodes a customer-service client meets</caption>
 *   <tr><th>code</th><th>meaning</th><th>the SDK</th></tr>
 *   <tr><td>-1</td><td>system busy on WeChat's side; also used here for a call that could not be made (connection
 *       refused, timeout, an answer that is not WeChat's JSON, a token store that failed: see
 *       {@link #getCause()})</td>
 *       <td>retried with exponential back-off ({@link Retries}); thrown after the last try</td></tr>
 *   <tr><td>40001</td><td>the access token is unknown, or was superseded by a newer one more than 5 minutes ago</td>
 *       <td>the failed token is dropped, one refresh, the call retried once</td></tr>
 *   <tr><td>40014</td><td>malformed access token (not seen on api.weixin.qq.com, which answers 40001)</td>
 *       <td>as 40001</td></tr>
 *   <tr><td>42001</td><td>the access token is past its 7200 s</td><td>as 40001</td></tr>
 *   <tr><td>41001</td><td>no {@code access_token} in the query</td><td>thrown (a broken {@code TokenStore})</td></tr>
 *   <tr><td>40002, 40013, 40125, 41002, 41004</td><td>token request refused: bad grant_type, unknown appid, wrong
 *       secret, appid or secret missing</td><td>thrown; check the configuration</td></tr>
 *   <tr><td>45009</td><td>daily quota used up (token requests, or forced stable-token refreshes: 20 a day)</td>
 *       <td>thrown</td></tr>
 *   <tr><td>45015</td><td>no open window: the user has not messaged or entered the chat recently (48 hours after a
 *       message, 1 minute after entering)</td><td>thrown; the {@code WindowTracker} learns the window is closed</td></tr>
 *   <tr><td>45047</td><td>the window is open but its sends are used up (5 per user message)</td>
 *       <td>thrown; the tracker learns nothing is left</td></tr>
 *   <tr><td>48001</td><td>the app lacks the customer-service permission</td><td>thrown</td></tr>
 *   <tr><td>40003</td><td>unknown openid, or another app's user</td><td>thrown</td></tr>
 *   <tr><td>40007</td><td>unknown, expired (3 days) or another app's media id</td><td>thrown</td></tr>
 *   <tr><td>40008</td><td>message type a mini program may not send</td><td>thrown</td></tr>
 *   <tr><td>44002, 47001</td><td>empty body; body not the expected JSON</td><td>thrown (an SDK bug)</td></tr>
 *   <tr><td>44004, 45002</td><td>empty text; text longer than the limit (kefu: 2048 UTF-8 bytes)</td>
 *       <td>thrown</td></tr>
 *   <tr><td>40004, 40005, 41005, 44001, 45001</td><td>upload: not {@code type=image}; bytes not an image; no
 *       {@code media} part; zero bytes; over 10 MiB</td><td>thrown</td></tr>
 *   <tr><td>45072, 45080, 45081</td><td>typing: bad command; no message exchanged in the last 30 s; already
 *       typing (a Typing state lasts 15 s)</td><td>thrown</td></tr>
 *   <tr><td>40013 on send</td><td>a mini-program card's {@code appid} is not the app's own</td><td>thrown</td></tr>
 *   <tr><td>401, 404, 409</td><td>kefu's platform API only: admin token required, no such path, conflict</td>
 *       <td>thrown (404 on the window endpoint makes {@code window} fall back to the tracker instead)</td></tr>
 * </table>
 * Wire reference: {@code shared/spec/wechat-kefu-protocol.md} §1–§5.
 */
public final class WxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int errcode;
  private final String errmsg;
  private final String rid;
  private final WxError error;

  public WxException(int errcode, String errmsg, String rid, WxError error) {
    this(errcode, errmsg, rid, error, null);
  }

  public WxException(int errcode, String errmsg, String rid, WxError error, Throwable cause) {
    super(describe(errcode, errmsg, rid, error), cause);
    this.errcode = errcode;
    this.errmsg = Objects.requireNonNull(errmsg, "errmsg");
    this.rid = rid == null ? "" : rid;
    this.error = Objects.requireNonNull(error, "error");
  }

  /** From an errcode and a raw errmsg as WeChat sends it: the rid (or an old-style hint) is split off. */
  public static WxException of(int errcode, String rawErrmsg) {
    Errmsg parsed = Errmsg.parse(rawErrmsg);
    return new WxException(errcode, parsed.text(), parsed.rid(), WxError.forCode(errcode));
  }

  public int errcode() {
    return errcode;
  }

  /** The errmsg without its {@code rid: …} (or {@code hint: […]}) suffix. */
  public String errmsg() {
    return errmsg;
  }

  /** The request id WeChat appended to errmsg; empty when there was none. */
  public String rid() {
    return rid;
  }

  /** The known error, or {@link WxError#UNKNOWN}. */
  public WxError error() {
    return error;
  }

  private static String describe(int errcode, String errmsg, String rid, WxError error) {
    StringBuilder s = new StringBuilder().append(errcode).append(' ').append(errmsg);
    if (rid != null && !rid.isEmpty()) {
      s.append(" (rid ").append(rid).append(')');
    }
    if (error != null && error != WxError.UNKNOWN) {
      s.append(" [").append(error.name()).append(']');
    }
    return s.toString();
  }
}
