package kefu.protocol.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kefu.protocol.WxError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ApiLimitsProperties {
  private static final List<String> PATHS = new ArrayList<>(ApiLimits.WECHAT.keySet());

  @Property(tries = 300)
  void limits_read_back_equal_from_what_is_written(@ForAll("limits") ApiLimits limits) {
    assertThat(ApiLimitsCodec.read(ApiLimitsCodec.write(limits), "limits").limits()).isEqualTo(limits);
  }

  @Property(tries = 300)
  void counting_calls_one_by_one_allows_exactly_the_smaller_quota_in_one_minute(
      @ForAll("limit") ApiLimit limit, @ForAll @IntRange(max = 50) int calls) {
    int allowed = 0;
    for (int i = 0; i < calls; i++) {
      if (ApiLimits.check(limit, allowed, allowed) == WxError.OK) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(Math.min(calls, Math.min(bound(limit.daily()), bound(limit.perMinute()))));
  }

  @Property(tries = 300)
  void every_instant_of_a_beijing_day_has_the_same_day_start_24_hours_from_the_next(
      @ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long millis) {
    Instant now = Instant.ofEpochMilli(millis);
    Instant start = ApiLimits.dayStart(now);

    assertThat(start).isBeforeOrEqualTo(now).isAfter(now.minus(Duration.ofDays(1)));
    assertThat(ApiLimits.dayStart(start.plus(Duration.ofDays(1)))).isEqualTo(start.plus(Duration.ofDays(1)));
    assertThat(ApiLimits.minuteStart(now)).isBeforeOrEqualTo(now).isAfterOrEqualTo(start);
  }

  private static int bound(int limit) {
    return limit == ApiLimit.UNLIMITED ? Integer.MAX_VALUE : limit;
  }

  record PathLimit(String path, ApiLimit limit) {}

  @Provide
  Arbitrary<ApiLimit> limit() {
    Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.just(ApiLimit.UNLIMITED),
        Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, ApiLimit.MAX));
    return Combinators.combine(value, value).as(ApiLimit::new);
  }

  @Provide
  Arbitrary<ApiLimits> limits() {
    Arbitrary<ApiLimits> on = Combinators.combine(Arbitraries.of(PATHS), limit()).as(PathLimit::new).list()
        .ofMaxSize(5).map(overrides -> {
          ApiLimits l = ApiLimits.wechat();
          for (PathLimit o : overrides) {
            l = l.with(o.path(), o.limit());
          }
          return l;
        });
    return Arbitraries.oneOf(Arbitraries.just(ApiLimits.OFF), on);
  }
}
