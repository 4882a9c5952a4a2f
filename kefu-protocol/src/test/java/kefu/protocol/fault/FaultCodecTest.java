package kefu.protocol.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import kefu.protocol.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FaultCodecTest {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("bad JSON in the test: " + text, e);
    }
  }

  /** As a client reads it: Jackson's node equality tells an int from a long. */
  private static JsonNode reread(JsonNode node) {
    return json(Json.write(node));
  }

  private static FaultRule parsed(String text) {
    FaultCodec.Parsed p = FaultCodec.parse(json(text), T0);
    assertThat(p.problem()).as(text).isNull();
    return p.rule();
  }

  @Test
  void a_full_rule_parses_with_its_span_on_the_given_clock() {
    FaultRule rule = parsed("{\"path\":\"/cgi-bin/message/custom/send\",\"appid\":\"wx-a\",\"openid\":\"o-alice\","
        + "\"effect\":{\"type\":\"errcode\",\"errcode\":45009},\"count\":3,\"seconds\":60}");

    assertThat(rule).isEqualTo(new FaultRule(0, "/cgi-bin/message/custom/send", "wx-a", "o-alice",
        new FaultEffect.Errcode(45009, null), 3, T0.plusSeconds(60), 0, T0));
  }

  @Test
  void absent_and_null_criteria_match_anything() {
    FaultRule rule = parsed("{\"path\":null,\"effect\":{\"type\":\"drop\"},\"count\":1}");

    assertThat(rule.path()).isEmpty();
    assertThat(rule.appid()).isEmpty();
    assertThat(rule.openid()).isEmpty();
    assertThat(rule.effect()).isEqualTo(new FaultEffect.Drop(false));
    assertThat(rule.expiresAt()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"errcode\",\"errcode\":-1}",
      "{\"type\":\"errcode\",\"errcode\":89503,\"errmsg\":\"此次调用需要管理员确认\"}",
      "{\"type\":\"latency\",\"ms\":2500}",
      "{\"type\":\"drop\",\"after_call\":true}",
      "{\"type\":\"drop\",\"after_call\":false}",
      "{\"type\":\"duplicate_push\"}",
      "{\"type\":\"delay_push\",\"ms\":10000}"})
  void every_effect_renders_as_it_was_given_and_reads_back_from_the_store(String effect) {
    FaultRule rule = parsed("{\"effect\":" + effect + ",\"seconds\":5}");

    assertThat(reread(FaultCodec.render(rule, T0).get("effect"))).isEqualTo(json(effect));
    assertThat(FaultCodec.readEffect(FaultCodec.writeEffect(rule.effect()))).isEqualTo(rule.effect());
  }

  @Test
  void a_rule_renders_with_its_uses_its_end_and_its_state() {
    FaultRule rule = new FaultRule(7, "/cgi-bin/message/custom/*", "", "o-alice", new FaultEffect.Errcode(-1, null),
        2, T0.plusSeconds(30), 1, T0);

    JsonNode view = FaultCodec.render(rule, T0.plusSeconds(10));

    assertThat(reread(view)).isEqualTo(json("{\"id\":7,\"path\":\"/cgi-bin/message/custom/*\",\"appid\":null,"
        + "\"openid\":\"o-alice\",\"effect\":{\"type\":\"errcode\",\"errcode\":-1},\"count\":2,\"used\":1,"
        + "\"remaining\":1,\"expires_at_ms\":" + T0.plusSeconds(30).toEpochMilli() + ",\"created_at_ms\":"
        + T0.toEpochMilli() + ",\"state\":\"active\"}"));
    assertThat(FaultCodec.render(rule, T0.plusSeconds(30)).path("state").asText()).isEqualTo("expired");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]                                                                          | must be a JSON object",
      "{\"effect\":{\"type\":\"drop\"}}                                            | give count",
      "{\"effect\":{\"type\":\"drop\"},\"cout\":1}                                 | unknown property 'cout'",
      "{\"effect\":{\"type\":\"drop\"},\"count\":0}                                | count must be",
      "{\"effect\":{\"type\":\"drop\"},\"count\":1.5}                              | count must be",
      "{\"effect\":{\"type\":\"drop\"},\"seconds\":-1}                             | seconds must be",
      "{\"effect\":{\"type\":\"drop\"},\"count\":1,\"path\":\"/kefu/v1/reset\"}    | path must be",
      "{\"effect\":{\"type\":\"drop\"},\"count\":1,\"path\":\"/cgi-bin/*/send\"}   | path must be",
      "{\"effect\":{\"type\":\"drop\"},\"count\":1,\"appid\":7}                    | appid must be",
      "{\"effect\":{\"type\":\"drop\"},\"count\":1,\"openid\":\"o alice\"}         | openid must be",
      "{\"count\":1}                                                               | effect must be",
      "{\"effect\":{\"type\":\"explode\"},\"count\":1}                             | effect.type must be",
      "{\"effect\":{\"type\":\"errcode\"},\"count\":1}                             | effect.errcode",
      "{\"effect\":{\"type\":\"errcode\",\"errcode\":0},\"count\":1}               | non-zero",
      "{\"effect\":{\"type\":\"errcode\",\"errcode\":-1,\"errmsg\":\"\"},\"count\":1} | effect.errmsg",
      "{\"effect\":{\"type\":\"errcode\",\"errcode\":-1,\"ms\":5},\"count\":1}     | unknown property effect.ms",
      "{\"effect\":{\"type\":\"latency\"},\"count\":1}                             | effect.ms of latency",
      "{\"effect\":{\"type\":\"latency\",\"ms\":60001},\"count\":1}                | from 1 to 60000",
      "{\"effect\":{\"type\":\"delay_push\",\"ms\":0},\"count\":1}                 | effect.ms of delay_push",
      "{\"effect\":{\"type\":\"drop\",\"after_call\":\"yes\"},\"count\":1}         | effect.after_call",
      "{\"effect\":{\"type\":\"duplicate_push\",\"times\":2},\"count\":1}          | unknown property effect.times",
      "{\"effect\":{\"type\":\"duplicate_push\"},\"count\":1,\"path\":\"/cgi-bin/token\"} | a push effect"})
  void a_bad_rule_gets_a_problem_naming_what_is_wrong(String spec, String problem) {
    FaultCodec.Parsed parsed = FaultCodec.parse(json(spec), T0);

    assertThat(parsed.rule()).isNull();
    assertThat(parsed.problem()).contains(problem);
  }

  @Test
  void a_fault_mark_renders_its_rule_and_effect_and_no_mark_renders_null() {
    assertThat(reread(FaultCodec.render(new FaultMark(7, "errcode 45009"))))
        .isEqualTo(json("{\"rule\":7,\"effect\":\"errcode 45009\"}"));
    assertThat(FaultCodec.render(FaultMark.NONE).isNull()).isTrue();
  }

  @Test
  void an_unreadable_stored_effect_is_a_bug_and_throws() {
    assertThatThrownBy(() -> FaultCodec.readEffect("{\"type\":\"explode\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explode");
    assertThatThrownBy(() -> FaultCodec.readEffect("garbage")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latency_and_delay_keep_whole_milliseconds() {
    assertThat(parsed("{\"effect\":{\"type\":\"latency\",\"ms\":1},\"count\":1}").effect())
        .isEqualTo(new FaultEffect.Latency(Duration.ofMillis(1)));
    assertThat(parsed("{\"effect\":{\"type\":\"delay_push\",\"ms\":86400000},\"count\":1}").effect())
        .isEqualTo(new FaultEffect.DelayPush(Duration.ofDays(1)));
  }
}
