package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** URL verification (spec §6.2) and its vector (§10.1). */
class UrlCheckTest {
  @Test
  void the_push_doc_s_url_check_has_signature_f464b24f_and_exactly_four_parameters() {
    assertThat(UrlCheck.query("AAAAA", "1714036504", "1514711492", "4375120948345356249")).isEqualTo(
        "signature=f464b24fc39322e44b38aa78f5edd27bd1441696&timestamp=1714036504&nonce=1514711492"
            + "&echostr=4375120948345356249");
  }

  @Test
  void an_echostr_with_reserved_characters_is_percent_encoded() {
    assertThat(UrlCheck.query("t", "1", "2", "a b&c")).endsWith("&echostr=a%20b%26c");
  }
}
