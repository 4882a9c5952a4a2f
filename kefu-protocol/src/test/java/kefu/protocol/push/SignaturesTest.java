package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

/** The signature vectors of spec §10.1, §10.2 and §10.4. */
class SignaturesTest {
  @Test
  void the_url_check_signature_of_the_push_doc_is_f464b24f() {
    assertThat(Signatures.canonical("AAAAA", "1714036504", "1514711492")).isEqualTo("15147114921714036504AAAAA");
    assertThat(Signatures.signature("AAAAA", "1714036504", "1514711492"))
        .isEqualTo("f464b24fc39322e44b38aa78f5edd27bd1441696");
  }

  @Test
  void the_plaintext_push_of_the_push_doc_is_signed_899cf89e() {
    assertThat(Signatures.signature("AAAAA", "1714037059", "486452656"))
        .isEqualTo("899cf89e464efb63f54ddac96b0a0a235f53aa78");
  }

  @Test
  void the_secure_push_of_the_push_doc_still_carries_the_three_value_signature_6c5c811b() {
    assertThat(Signatures.signature("AAAAA", "1714112445", "415670741"))
        .isEqualTo("6c5c811b55cc85e0e1b54100749188c20beb3f5d");
  }

  @Test
  void the_secure_push_of_the_push_doc_has_msg_signature_046e02f8() {
    assertThat(Signatures.msgSignature("AAAAA", "1714112445", "415670741", PushVectors.DOC_PUSH_ENCRYPT))
        .isEqualTo("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3");
  }

  @Test
  void the_encrypted_reply_of_the_push_doc_has_msg_signature_1b933996() {
    assertThat(Signatures.msgSignature("AAAAA", "1713424427", "415670741", PushVectors.DOC_REPLY_ENCRYPT))
        .isEqualTo("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1");
  }

  @Test
  void the_computed_xml_text_push_has_msg_signature_777570cc() {
    assertThat(Signatures.msgSignature("AAAAA", "1714112445", "415670741", PushVectors.COMPUTED_ENCRYPT))
        .isEqualTo("777570ccf56f0b25c233d0b6061bdc83c8b7b277");
  }

  @Test
  void wxjava_s_sha1_helper_vector_holds() {
    assertThat(Signatures.sha1OfSorted("123", "345")).isEqualTo("9f537aeb751ec72605f57f94a2f6dc3e3958e1dd");
    assertThat(Signatures.sha1OfSorted("345", "123")).isEqualTo("9f537aeb751ec72605f57f94a2f6dc3e3958e1dd");
  }

  @Test
  void node_wechat_crypto_s_get_signature_vector_holds() {
    assertThat(Signatures.msgSignature("RMNlACHlV5ThzfRlVS4D4", "timestamp", "nonce", "encrypt"))
        .isEqualTo("8edac0945683c119ee71c9f6256d76c48aa08a96");
  }

  @Test
  void the_wechatpy_echo_check_is_a_four_value_signature() {
    assertThat(Signatures.msgSignature("123456", "1411443780", "437374425", PushVectors.WECHATPY_ECHO))
        .isEqualTo("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96");
    assertThat(Signatures.msgSignature("123456", "1411443780", "437374424", PushVectors.WECHATPY_ECHO))
        .isNotEqualTo("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96");
  }

  @Test
  void canonical_sorts_by_string_order_not_by_number() {
    assertThat(Signatures.canonical("9", "10", "B", "a")).isEqualTo("109Ba");
  }

  @Test
  void canonical_does_not_reorder_its_argument_array() {
    String[] parts = {"b", "a"};
    Signatures.canonical(parts);
    assertThat(parts).containsExactly("b", "a");
  }

  @Test
  void the_canonical_string_shown_hides_the_token_where_it_sorted() {
    assertThat(Signatures.canonicalHidingToken("AAAAA", "1714036504", "1514711492"))
        .isEqualTo("15147114921714036504{token}");
    assertThat(Signatures.canonicalHidingToken("0abc", "1714036504", "1514711492"))
        .isEqualTo("{token}15147114921714036504");
  }

  @Test
  void the_hidden_token_is_only_the_token_even_where_another_value_contains_it() {
    assertThat(Signatures.canonicalHidingToken("171", "1714036504", "1514711492"))
        .isEqualTo("1514711492{token}1714036504");
  }

  @Test
  void writing_the_token_in_place_of_the_mask_gives_the_signed_string() {
    String shown = Signatures.canonicalHidingToken("tok3n", "1714036504", "1514711492", "Zm9vYmFy");

    assertThat(shown.replace(Signatures.TOKEN_MASK, "tok3n"))
        .isEqualTo(Signatures.canonical("tok3n", "1714036504", "1514711492", "Zm9vYmFy"));
  }

  @Test
  void a_null_value_is_a_bug() {
    assertThatNullPointerException().isThrownBy(() -> Signatures.signature(null, "1", "2"));
  }
}
