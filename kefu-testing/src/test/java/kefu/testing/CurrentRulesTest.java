package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code @KefuTest(rules = "current")}, shared by nested classes. */
@KefuTest(rules = "current")
class CurrentRulesTest {
  @Test void entering_allows_two_sends(Kefu kefu) {
    var alice = kefu.user("o-alice");
    alice.entersChat("");
    assertThat(alice.window().remaining()).isEqualTo(2);
  }

  @Nested
  class WhenNested {
    @Test void the_nested_class_uses_the_same_kefu_reset(Kefu kefu) {
      assertThat(kefu.user("o-alice").window().open()).isFalse();
      assertThat(kefu.user("o-alice").window().rule()).isEqualTo("current");
    }
  }
}
