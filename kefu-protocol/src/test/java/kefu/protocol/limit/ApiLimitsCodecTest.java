package kefu.protocol.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import kefu.protocol.Json;
import org.junit.jupiter.api.Test;

/** How the platform API, kefu.yaml and the stores spell an app's API limits. */
class ApiLimitsCodecTest {
  @Test
  void false_null_and_absent_are_off() {
    assertThat(read("false").limits()).isEqualTo(ApiLimits.OFF);
    assertThat(read("null").limits()).isEqualTo(ApiLimits.OFF);
    assertThat(ApiLimitsCodec.read(null, "limits").limits()).isEqualTo(ApiLimits.OFF);
  }

  @Test
  void true_is_wechats_figures() {
    assertThat(read("true").limits()).isEqualTo(ApiLimits.wechat());
  }

  @Test
  void an_object_overrides_the_paths_it_names_and_keeps_wechats_figures_elsewhere() {
    ApiLimits limits = read("{\"/cgi-bin/token\":{\"daily\":5,\"per_minute\":2},"
        + "\"/cgi-bin/stable_token\":{\"daily\":null},\"/cgi-bin/media/get\":null}").limits();

    assertThat(limits.of("/cgi-bin/token")).isEqualTo(new ApiLimit(5, 2));
    assertThat(limits.of("/cgi-bin/stable_token")).as("per_minute left out keeps WeChat's 10000")
        .isEqualTo(new ApiLimit(ApiLimit.UNLIMITED, 10_000));
    assertThat(limits.of("/cgi-bin/media/get")).isEqualTo(ApiLimit.NONE);
    assertThat(limits.of("/cgi-bin/message/custom/send")).isEqualTo(ApiLimits.WECHAT.get("/cgi-bin/message/custom/send"));
  }

  @Test
  void off_is_written_false_and_on_as_every_path_with_null_for_no_limit() {
    assertThat(Json.write(ApiLimitsCodec.write(ApiLimits.OFF))).isEqualTo("false");
    JsonNode on = ApiLimitsCodec.write(ApiLimits.wechat());
    assertThat(on.size()).isEqualTo(ApiLimits.WECHAT.size());
    assertThat(Json.write(on.get("/cgi-bin/token"))).isEqualTo("{\"daily\":2000,\"per_minute\":null}");
  }

  @Test
  void what_is_written_reads_back_equal() {
    ApiLimits limits = ApiLimits.wechat().with("/cgi-bin/token", new ApiLimit(0, 1))
        .with("/cgi-bin/media/upload", ApiLimit.NONE);

    assertThat(ApiLimitsCodec.read(ApiLimitsCodec.write(limits), "limits").limits()).isEqualTo(limits);
    assertThat(ApiLimitsCodec.read(ApiLimitsCodec.write(ApiLimits.OFF), "limits").limits()).isEqualTo(ApiLimits.OFF);
  }

  @Test
  void the_stored_text_reads_back_equal_and_anything_else_is_refused() {
    ApiLimits limits = ApiLimits.wechat().with("/cgi-bin/token", new ApiLimit(3, 1));

    assertThat(ApiLimitsCodec.fromText(ApiLimitsCodec.toText(limits))).isEqualTo(limits);
    assertThat(ApiLimitsCodec.fromText("false")).isEqualTo(ApiLimits.OFF);
    assertThatThrownBy(() -> ApiLimitsCodec.fromText("{")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiLimitsCodec.fromText("{\"/x\":null}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/x");
  }

  @Test
  void a_bad_value_is_refused_with_the_property_named() {
    assertThat(read("\"yes\"").problem()).startsWith("limits must be true, false or an object");
    assertThat(read("{\"/cgi-bin/nope\":null}").problem()).startsWith("limits./cgi-bin/nope: not a limited API path");
    assertThat(read("{\"/cgi-bin/token\":5}").problem()).startsWith("limits./cgi-bin/token must be");
    assertThat(read("{\"/cgi-bin/token\":{\"hourly\":5}}").problem())
        .isEqualTo("limits./cgi-bin/token.hourly is not a limit (daily, per_minute)");
    for (String bad : new String[] {"-1", "1.5", "\"5\"", "true", "1000000001", "99999999999999999999"}) {
      assertThat(read("{\"/cgi-bin/token\":{\"daily\":" + bad + "}}").problem()).as(bad)
          .startsWith("limits./cgi-bin/token: daily and per_minute must be null or whole numbers");
    }
    assertThat(read("{\"/cgi-bin/token\":{\"daily\":-1}}").limits()).isNull();
  }

  private static ApiLimitsCodec.Read read(String json) {
    try {
      return ApiLimitsCodec.read(Json.MAPPER.readTree(json), "limits");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
