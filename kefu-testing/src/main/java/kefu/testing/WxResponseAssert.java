package kefu.testing;

import kefu.protocol.WxError;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link WxResponse}; the failure message shows kefu's whole answer. */
public final class WxResponseAssert extends AbstractAssert<WxResponseAssert, WxResponse> {
  WxResponseAssert(WxResponse actual) {
    super(actual, WxResponseAssert.class);
  }

  /** HTTP 200 and errcode 0. */
  public WxResponseAssert isOk() {
    isNotNull();
    if (!actual.isOk()) {
      failWithMessage("expected errcode 0 but kefu answered HTTP %d %s", actual.status(), actual.body());
    }
    return this;
  }

  public WxResponseAssert hasErrcode(int errcode) {
    isNotNull();
    if (actual.errcode() != errcode) {
      failWithMessage("expected errcode %d but kefu answered HTTP %d %s", errcode, actual.status(), actual.body());
    }
    return this;
  }

  /** The errcode and WeChat's exact errmsg (before the rid). */
  public WxResponseAssert hasError(WxError error) {
    hasErrcode(error.code());
    String errmsg = actual.errmsg();
    int rid = errmsg.lastIndexOf(" rid: ");
    String text = rid < 0 ? errmsg : errmsg.substring(0, rid);
    if (!text.equals(error.message())) {
      failWithMessage("expected errmsg \"%s\" but kefu answered %s", error.message(), actual.body());
    }
    return this;
  }
}
