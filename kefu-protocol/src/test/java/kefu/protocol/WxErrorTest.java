package kefu.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** WxError against the errmsg table of the wire spec, §9 (and §5.1 for 40005 and 45001). */
class WxErrorTest {
  private static final String RID = "6aac005a-01bfdbee-79769285";

  /** Copied from shared/spec/wechat-kefu-protocol.md, not from WxError. */
  private static final Map<Integer, String> SPEC = Map.ofEntries(
      Map.entry(0, "ok"),
      Map.entry(-1, "system error"),
      Map.entry(40001, "invalid credential, access_token is invalid or not latest, could get access_token by "
          + "getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r"),
      Map.entry(40002, "invalid grant_type"),
      Map.entry(40003, "invalid openid"),
      Map.entry(40004, "invalid media type"),
      Map.entry(40005, "invalid file type"),
      Map.entry(40007, "invalid media_id"),
      Map.entry(40008, "invalid message type"),
      Map.entry(40013, "invalid appid"),
      Map.entry(40014, "invalid access_token"),
      Map.entry(40125, "invalid appsecret"),
      Map.entry(40200, "invalid account type"),
      Map.entry(41001, "access_token missing"),
      Map.entry(41002, "appid missing"),
      Map.entry(41004, "appsecret missing,"),
      Map.entry(41005, "media data missing"),
      Map.entry(41006, "media_id missing"),
      Map.entry(42001, "access_token expired"),
      Map.entry(43002, "require POST method"),
      Map.entry(44001, "empty media data"),
      Map.entry(44002, "empty post data"),
      Map.entry(44004, "empty content"),
      Map.entry(45001, "media size out of limit"),
      Map.entry(45002, "content size out of limit"),
      Map.entry(45009, "reach max api daily quota limit"),
      Map.entry(45011, "api minute-quota reach limit, must slower, retry next minute"),
      Map.entry(45015, "response out of time limit or subscription is canceled"),
      Map.entry(45047, "out of response count limit"),
      Map.entry(45072, "invalid command"),
      Map.entry(45080, "need sending message to user, or recving message from user in the last 30 seconds before typing"),
      Map.entry(45081, "you are already typing"),
      Map.entry(47001, "data format error"),
      Map.entry(48001, "api unauthorized"),
      // not in the mini-program table (§9): the Official Account customer-service code for an unknown agent,
      // which kefu's agents API answers
      Map.entry(65401, "invalid kf_account"),
      Map.entry(70000, "为保护未成年人权益，该条消息发送失败"));

  @Test
  void every_code_of_the_spec_table_has_its_exact_errmsg() {
    assertThat(SPEC).allSatisfy((code, errmsg) -> {
      WxError error = WxError.forCode(code);
      assertThat(error).as("errcode %d", code).isNotSameAs(WxError.UNKNOWN);
      assertThat(error.message()).as("errmsg of %d", code).isEqualTo(errmsg);
    });
  }

  @ParameterizedTest
  @MethodSource("inWechatCodeSpace")
  void every_constant_with_a_wechat_code_is_in_the_spec_table(WxError error) {
    assertThat(SPEC).containsEntry(error.code(), error.message());
  }

  /** All but UNKNOWN and the codes kefu uses for its own HTTP-edge answers (such as 404), which WeChat never sends. */
  static Stream<WxError> inWechatCodeSpace() {
    return Arrays.stream(WxError.values())
        .filter(e -> e != WxError.UNKNOWN)
        .filter(e -> e.code() == 0 || e.code() == -1 || e.code() >= 40000);
  }

  @Test
  void errcodes_are_unique() {
    var byCode = Arrays.stream(WxError.values()).collect(Collectors.groupingBy(WxError::code));
    assertThat(byCode.values()).allSatisfy(sameCode -> assertThat(sameCode).hasSize(1));
  }

  @Test
  void the_rid_follows_the_text_after_a_single_space() {
    assertThat(WxError.OUT_OF_RESPONSE_COUNT_LIMIT.errmsg(RID))
        .isEqualTo("out of response count limit rid: 6aac005a-01bfdbee-79769285");
    assertThat(WxError.INVALID_APPID.errmsg(RID)).isEqualTo("invalid appid rid: 6aac005a-01bfdbee-79769285");
  }

  @Test
  void appsecret_missing_keeps_its_comma_before_the_rid() {
    assertThat(WxError.APPSECRET_MISSING.errmsg(RID)).isEqualTo("appsecret missing, rid: 6aac005a-01bfdbee-79769285");
  }

  @Test
  void ok_carries_no_rid() {
    assertThat(WxError.OK.errmsg(RID)).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(value = WxError.class, mode = EnumSource.Mode.EXCLUDE, names = {"OK", "UNKNOWN"})
  void every_error_but_ok_ends_with_the_rid(WxError error) {
    assertThat(error.errmsg(RID)).isEqualTo(error.message() + " rid: " + RID);
  }

  @ParameterizedTest
  @EnumSource(WxError.class)
  void for_code_finds_every_constant_by_its_code(WxError error) {
    assertThat(WxError.forCode(error.code())).isSameAs(error);
  }

  @Test
  void for_code_falls_back_to_unknown_for_a_code_kefu_does_not_know() {
    assertThat(WxError.forCode(89503)).isSameAs(WxError.UNKNOWN);
    assertThat(WxError.forCode(12345)).isSameAs(WxError.UNKNOWN);
  }

  @Test
  void the_errcodes_clients_retry_on_are_the_token_errors() {
    assertThat(WxError.forCode(40001)).isSameAs(WxError.INVALID_CREDENTIAL);
    assertThat(WxError.forCode(40014)).isSameAs(WxError.INVALID_ACCESS_TOKEN);
    assertThat(WxError.forCode(42001)).isSameAs(WxError.ACCESS_TOKEN_EXPIRED);
  }
}
