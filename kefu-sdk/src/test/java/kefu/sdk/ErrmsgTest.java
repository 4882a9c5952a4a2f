package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import kefu.protocol.WxError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The errmsg forms of spec §1, as captured on the wire over the years. */
class ErrmsgTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "out of response count limit rid: 6aac005a-01bfdbee-79769285|out of response count limit|6aac005a-01bfdbee-79769285",
      "appsecret missing, rid: 6aac005a-01bfdbee-79769285|appsecret missing|6aac005a-01bfdbee-79769285",
      "invalid appsecret, rid: 63cf14c3-0d7e3c1e-2f0e0b5a|invalid appsecret|63cf14c3-0d7e3c1e-2f0e0b5a",
      "empty content hint: [GE05611295]|empty content|GE05611295",
      "invalid media_id hint: [Lg.ZAa07440024] rid: 5ff55bb9-26bfe237-07481ace|invalid media_id|5ff55bb9-26bfe237-07481ace",
      "invalid code, hints: [ req_id: 3Dfa8a0418ns44 ]|invalid code|3Dfa8a0418ns44",
      "' rid: 6aac005a-01bfdbee-79769285'|''|6aac005a-01bfdbee-79769285",
      "ok|ok|''",
      "system error|system error|''",
  })
  void the_rid_or_hint_is_split_from_the_text(String raw, String text, String rid) {
    assertThat(Errmsg.parse(raw)).isEqualTo(new Errmsg(text, rid));
  }

  @Test
  void the_long_40001_text_keeps_its_commas_and_url() {
    String raw = WxError.INVALID_CREDENTIAL.errmsg("6aac005a-01bfdbee-79769285");
    assertThat(Errmsg.parse(raw)).isEqualTo(new Errmsg(WxError.INVALID_CREDENTIAL.message(),
        "6aac005a-01bfdbee-79769285"));
  }

  @Test
  void null_is_empty() {
    assertThat(Errmsg.parse(null)).isEqualTo(new Errmsg("", ""));
  }

  @Test
  void wx_exception_of_splits_and_maps_the_code() {
    WxException e = WxException.of(45015, "response out of time limit or subscription is canceled rid: 5f3ded7d-1-2");
    assertThat(e.error()).isEqualTo(WxError.RESPONSE_OUT_OF_TIME_LIMIT);
    assertThat(e.errmsg()).isEqualTo(WxError.RESPONSE_OUT_OF_TIME_LIMIT.message());
    assertThat(e.rid()).isEqualTo("5f3ded7d-1-2");
  }
}
