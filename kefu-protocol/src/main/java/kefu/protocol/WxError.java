package kefu.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Every errcode kefu answers with, with WeChat's exact errmsg text, quirks included
 * ({@code appsecret missing,} keeps its comma). The rid suffix is added when rendered, see {@link #errmsg(String)}.
 *
 * <p>Wire reference: {@code shared/spec/wechat-kefu-protocol.md} §9.
 */
public enum WxError {
  OK(0, "ok"),
  SYSTEM_ERROR(-1, "system error"),
  INVALID_CREDENTIAL(40001, "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r"),
  INVALID_GRANT_TYPE(40002, "invalid grant_type"),
  INVALID_OPENID(40003, "invalid openid"),
  INVALID_MEDIA_TYPE(40004, "invalid media type"),
  /** Upload whose bytes are not a JPEG, PNG, GIF or BMP image (kefu's choice, spec §12.14). */
  INVALID_FILE_TYPE(40005, "invalid file type"),
  INVALID_MEDIA_ID(40007, "invalid media_id"),
  INVALID_MESSAGE_TYPE(40008, "invalid message type"),
  INVALID_APPID(40013, "invalid appid"),
  INVALID_ACCESS_TOKEN(40014, "invalid access_token"),
  INVALID_APPSECRET(40125, "invalid appsecret"),
  INVALID_ACCOUNT_TYPE(40200, "invalid account type"),
  ACCESS_TOKEN_MISSING(41001, "access_token missing"),
  APPID_MISSING(41002, "appid missing"),
  APPSECRET_MISSING(41004, "appsecret missing,"),
  MEDIA_DATA_MISSING(41005, "media data missing"),
  MEDIA_ID_MISSING(41006, "media_id missing"),
  ACCESS_TOKEN_EXPIRED(42001, "access_token expired"),
  REQUIRE_POST_METHOD(43002, "require POST method"),
  EMPTY_MEDIA_DATA(44001, "empty media data"),
  EMPTY_POST_DATA(44002, "empty post data"),
  EMPTY_CONTENT(44004, "empty content"),
  /** Upload larger than the image limit (kefu's choice, spec §12.14). */
  MEDIA_SIZE_OUT_OF_LIMIT(45001, "media size out of limit"),
  CONTENT_SIZE_OUT_OF_LIMIT(45002, "content size out of limit"),
  REACH_MAX_API_DAILY_QUOTA_LIMIT(45009, "reach max api daily quota limit"),
  API_MINUTE_QUOTA_REACH_LIMIT(45011, "api minute-quota reach limit, must slower, retry next minute"),
  RESPONSE_OUT_OF_TIME_LIMIT(45015, "response out of time limit or subscription is canceled"),
  OUT_OF_RESPONSE_COUNT_LIMIT(45047, "out of response count limit"),
  INVALID_COMMAND(45072, "invalid command"),
  NEED_RECENT_EXCHANGE_BEFORE_TYPING(45080, "need sending message to user, or recving message from user in the last 30 seconds before typing"),
  ALREADY_TYPING(45081, "you are already typing"),
  DATA_FORMAT_ERROR(47001, "data format error"),
  API_UNAUTHORIZED(48001, "api unauthorized"),
  /** An agent account that does not exist (the Official Account customer-service code). */
  INVALID_KF_ACCOUNT(65401, "invalid kf_account"),
  /** A message blocked to protect minors; kefu answers it only as an injected fault (spec §9). */
  BLOCKED_TO_PROTECT_MINORS(70000, "为保护未成年人权益，该条消息发送失败"),
  // kefu's own answers, outside WeChat's code space (platform API and HTTP edge).
  /** No route for that method and path (answered with HTTP 404). */
  NO_SUCH_PATH(404, "no such path"),
  /** The platform API needs {@code Authorization: Bearer <admin token>} (answered with HTTP 401). */
  ADMIN_TOKEN_REQUIRED(401, "admin token required"),
  /** A platform-API request that the current state does not allow (answered with HTTP 409). */
  CONFLICT(409, "conflict"),

  /** Fallback for codes kefu does not know (an SDK parsing a foreign errcode). */
  UNKNOWN(Integer.MIN_VALUE, "unknown error");

  private static final Map<Integer, WxError> BY_CODE = new HashMap<>();

  static {
    for (WxError e : values()) {
      BY_CODE.put(e.code, e);
    }
  }

  private final int code;
  private final String message;

  WxError(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  /** The errmsg text without the rid suffix. */
  public String message() {
    return message;
  }

  /**
   * The errmsg as WeChat renders it: the text, then {@code " rid: "} and the rid. {@link #OK} carries no rid.
   */
  public String errmsg(String rid) {
    return this == OK ? message : message + " rid: " + rid;
  }

  public static WxError forCode(int code) {
    return BY_CODE.getOrDefault(code, UNKNOWN);
  }
}
