package kefu.sdk;

import kefu.protocol.WxError;

/**
 * A failed step: the errcode WeChat answered (errmsg already split from its rid), or a call that could not be made
 * ({@code -1}, with the cause). {@code retryable} says whether trying the same request again is safe and useful:
 * WeChat's {@code -1}, a refused connection, or any transport failure of an idempotent request.
 */
record Failure(int errcode, String errmsg, String rid, boolean retryable, Throwable cause) {
  static Failure answered(int errcode, String rawErrmsg) {
    Errmsg parsed = Errmsg.parse(rawErrmsg);
    return new Failure(errcode, parsed.text(), parsed.rid(), errcode == WxError.SYSTEM_ERROR.code(), null);
  }

  /** The request did not get a WeChat answer; reported as {@code -1} with what happened. */
  static Failure transport(String what, Throwable cause, boolean retryable) {
    return new Failure(WxError.SYSTEM_ERROR.code(), what, "", retryable, cause);
  }

  WxError error() {
    return WxError.forCode(errcode);
  }

  boolean is(WxError e) {
    return errcode == e.code();
  }

  WxException toException() {
    return new WxException(errcode, errmsg, rid, error(), cause);
  }
}
