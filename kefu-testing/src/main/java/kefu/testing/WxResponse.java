package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import kefu.protocol.Json;

/**
 * What a WeChat-API call answered, as a value: the HTTP status, {@code errcode} and {@code errmsg} (0 and "ok"
 * when the body has none, as on a successful token call), and the raw body. Assert on it with
 * {@link KefuAssertions#assertThat(WxResponse)}.
 */
public record WxResponse(int status, int errcode, String errmsg, String body) {
  static WxResponse of(int status, String body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return new WxResponse(status, status == 200 ? 0 : status, "", body);
    }
    return new WxResponse(status, json.path("errcode").asInt(0), json.path("errmsg").asText("ok"), body);
  }

  /** HTTP 200 and errcode 0. */
  public boolean isOk() {
    return status == 200 && errcode == 0;
  }

  /** The request id kefu appended to {@code errmsg} ({@code … rid: 6925c0f1-…}), or "" when there is none. */
  public String rid() {
    int at = errmsg.lastIndexOf(" rid: ");
    return at < 0 ? "" : errmsg.substring(at + " rid: ".length());
  }

  /** The body as JSON, for fields beyond errcode and errmsg ({@code access_token}, {@code media_id}, …). */
  public JsonNode json() {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
