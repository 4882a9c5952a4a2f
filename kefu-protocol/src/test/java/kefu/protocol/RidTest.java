package kefu.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RidTest {
  private static final String FORMAT = "^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$";

  @Test
  void a_rid_is_three_groups_of_eight_lowercase_hex_digits() {
    assertThat(Rid.of(Instant.parse("2026-09-17T14:59:38Z"), new SplittableRandom(1))).matches(FORMAT);
  }

  @Test
  void the_first_group_is_the_request_time_in_hex_unix_seconds() {
    assertThat(Rid.of(Instant.parse("2026-09-17T14:59:38Z"), new SplittableRandom(1))).startsWith("6aac005a-");
    assertThat(Rid.of(Instant.parse("2020-08-20T03:26:53Z"), new SplittableRandom(1))).startsWith("5f3ded7d-");
  }

  @Test
  void the_first_group_ignores_fractions_of_a_second() {
    assertThat(Rid.of(Instant.parse("2026-09-17T14:59:38.999999999Z"), new SplittableRandom(1)))
        .startsWith("6aac005a-");
  }

  @Test
  void early_times_are_zero_padded() {
    assertThat(Rid.of(Instant.ofEpochSecond(0x1f), new SplittableRandom(1))).startsWith("0000001f-").matches(FORMAT);
  }

  @Test
  void the_other_groups_come_from_the_random_source() {
    var random = new SplittableRandom(7);
    var now = Instant.parse("2026-09-17T14:59:38Z");
    var rids = new HashSet<String>();
    for (int i = 0; i < 1000; i++) {
      rids.add(Rid.of(now, random));
    }
    assertThat(rids).hasSize(1000).allSatisfy(rid -> assertThat(rid).matches(FORMAT).startsWith("6aac005a-"));
  }
}
