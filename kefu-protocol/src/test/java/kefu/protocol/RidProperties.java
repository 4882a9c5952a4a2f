package kefu.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class RidProperties {
  @Property(tries = 500)
  void the_first_group_decodes_to_the_unix_second_of_the_request(
      @ForAll @LongRange(min = 0, max = 0xffffffffL) long second, @ForAll long seed) {
    String rid = Rid.of(Instant.ofEpochSecond(second, 123_456_789), new SplittableRandom(seed));

    assertThat(rid).matches("^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$");
    assertThat(Long.parseLong(rid.substring(0, 8), 16)).isEqualTo(second);
  }
}
