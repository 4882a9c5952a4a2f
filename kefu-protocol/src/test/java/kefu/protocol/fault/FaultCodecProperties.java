package kefu.protocol.fault;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kefu.protocol.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FaultCodecProperties {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

  @Property(tries = 500)
  void a_stored_effect_reads_back_equal(@ForAll("effects") FaultEffect effect) {
    assertThat(FaultCodec.readEffect(FaultCodec.writeEffect(effect))).isEqualTo(effect);
  }

  @Property(tries = 1000)
  void parsing_never_throws_and_gives_exactly_a_rule_or_a_problem(@ForAll("specs") JsonNode spec) {
    FaultCodec.Parsed parsed = FaultCodec.parse(spec, T0);

    assertThat(parsed.rule() == null).isNotEqualTo(parsed.problem() == null);
  }

  @Property(tries = 500)
  void a_parsed_rule_renders_its_criteria_and_effect_as_given(@ForAll("validSpecs") ObjectNode spec) {
    FaultCodec.Parsed parsed = FaultCodec.parse(spec, T0);
    assertThat(parsed.problem()).isNull();

    JsonNode view = Json.object(Json.write(FaultCodec.render(parsed.rule(), T0)).getBytes(UTF_8)).orElseThrow();

    for (String field : List.of("path", "appid", "openid", "effect", "count")) {
      JsonNode given = spec.get(field);
      JsonNode expected = given == null ? Json.MAPPER.nullNode()
          : Json.object(Json.write(spec).getBytes(UTF_8)).orElseThrow().get(field);
      assertThat(view.get(field)).as(field).isEqualTo(expected);
    }
    assertThat(view.path("state").asText()).isEqualTo("active");
  }

  @Provide
  Arbitrary<FaultEffect> effects() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.integers().filter(c -> c != 0),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).withCharRange('!', '~')
                    .withCharRange('一', '龥').injectNull(0.5))
            .as(FaultEffect.Errcode::new),
        Arbitraries.longs().between(1, FaultCodec.MAX_LATENCY_MS)
            .map(ms -> new FaultEffect.Latency(Duration.ofMillis(ms))),
        Arbitraries.of(true, false).map(FaultEffect.Drop::new),
        Arbitraries.just(new FaultEffect.DuplicatePush()),
        Arbitraries.longs().between(1, FaultCodec.MAX_DELAY_MS)
            .map(ms -> new FaultEffect.DelayPush(Duration.ofMillis(ms))));
  }

  /** Rule-shaped objects whose fields are picked from valid, invalid and wrongly typed values. */
  @Provide
  Arbitrary<JsonNode> specs() {
    Arbitrary<JsonNode> anyValue = Arbitraries.oneOf(
        Arbitraries.just(Json.MAPPER.nullNode()),
        Arbitraries.integers().map(i -> (JsonNode) Json.MAPPER.getNodeFactory().numberNode(i)),
        Arbitraries.longs().map(i -> (JsonNode) Json.MAPPER.getNodeFactory().numberNode(i)),
        Arbitraries.doubles().map(d -> (JsonNode) Json.MAPPER.getNodeFactory().numberNode(d)),
        Arbitraries.of("", "/cgi-bin/token", "/cgi-bin/*", "o-alice", "errcode", "drop", "latency", "delay_push",
            "duplicate_push", "x y").map(s -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(s)),
        Arbitraries.of(true, false).map(b -> (JsonNode) Json.MAPPER.getNodeFactory().booleanNode(b)),
        effects().map(e -> (JsonNode) FaultCodec.render(new FaultRule(0, "", "", "", e, 1, null, 0, T0), T0)
            .get("effect")),
        Arbitraries.just(Json.MAPPER.createArrayNode()));
    Arbitrary<String> names = Arbitraries.of("path", "appid", "openid", "effect", "count", "seconds", "type", "ms",
        "errcode", "after_call", "extra");
    return Combinators.combine(names.list().ofMaxSize(7), anyValue.list().ofSize(7))
        .as((fields, values) -> {
          ObjectNode o = Json.newObject();
          for (int i = 0; i < fields.size(); i++) {
            o.set(fields.get(i), values.get(i));
          }
          return o;
        });
  }

  @Provide
  Arbitrary<ObjectNode> validSpecs() {
    Arbitrary<String> paths = Arbitraries.of("", "/cgi-bin/token", "/cgi-bin/message/custom/send",
        "/cgi-bin/message/custom/*", "/cgi-bin/*");
    Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_').ofMinLength(1)
        .ofMaxLength(28).injectNull(0.4);
    return Combinators.combine(paths, ids, ids, effects(), Arbitraries.integers().between(1, FaultCodec.MAX_COUNT))
        .as((path, appid, openid, effect, count) -> {
          ObjectNode o = Json.newObject();
          if (!path.isEmpty() && !effect.onPushes()) {
            o.put("path", path);
          }
          if (appid != null) {
            o.put("appid", appid);
          }
          if (openid != null) {
            o.put("openid", openid);
          }
          o.set("effect", FaultCodec.render(new FaultRule(0, "", "", "", effect, 1, null, 0, T0), T0).get("effect"));
          o.put("count", count);
          return o;
        });
  }
}
