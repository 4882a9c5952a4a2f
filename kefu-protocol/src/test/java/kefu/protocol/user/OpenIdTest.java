package kefu.protocol.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenIdTest {
  @Test
  void a_new_openid_is_28_url_safe_characters_starting_with_o() {
    var random = new SplittableRandom(11);
    var ids = new HashSet<String>();
    for (int i = 0; i < 2000; i++) {
      String id = OpenId.newOpenId(random);
      assertThat(id).hasSize(28).startsWith("o").matches("^o[A-Za-z0-9_-]{27}$");
      assertThat(OpenId.isWellFormed(id)).isTrue();
      ids.add(id);
    }
    assertThat(ids).hasSize(2000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "o-alice", "x", "OPENID",
      "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"})
  void url_safe_ids_of_1_to_64_characters_are_accepted(String openid) {
    assertThat(OpenId.isWellFormed(openid)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"o alice", "o+alice", "o/alice", "o=", "中文", "o\n",
      "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo"})
  void anything_else_is_not_an_openid(String openid) {
    assertThat(OpenId.isWellFormed(openid)).isFalse();
  }
}
