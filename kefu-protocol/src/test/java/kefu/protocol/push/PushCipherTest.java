package kefu.protocol.push;

import static kefu.protocol.push.PushVectors.COMPUTED_ENCRYPT;
import static kefu.protocol.push.PushVectors.COMPUTED_MSG;
import static kefu.protocol.push.PushVectors.COMPUTED_RANDOM;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_PUSH_ENCRYPT;
import static kefu.protocol.push.PushVectors.DOC_PUSH_MSG;
import static kefu.protocol.push.PushVectors.DOC_PUSH_RANDOM;
import static kefu.protocol.push.PushVectors.DOC_REPLY_ENCRYPT;
import static kefu.protocol.push.PushVectors.DOC_REPLY_MSG;
import static kefu.protocol.push.PushVectors.DOC_REPLY_RANDOM;
import static kefu.protocol.push.PushVectors.WX_APPID;
import static kefu.protocol.push.PushVectors.WX_CHINESE_ENCRYPT;
import static kefu.protocol.push.PushVectors.WX_KEY;
import static kefu.protocol.push.PushVectors.WX_RANDOM;
import static kefu.protocol.push.PushVectors.WX_TOKEN;
import static kefu.protocol.push.PushVectors.WX_VIDEO_REPLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The AES vectors of spec §10.1, §10.2, §10.3 and §10.5 in both directions, and every way decryption fails. */
class PushCipherTest {
  private final PushCipher doc = new PushCipher(DOC_KEY, DOC_APPID);

  // --- §10.1 the PUSH doc

  @Test
  void the_secure_push_of_the_push_doc_decrypts_to_its_json_and_appid() {
    assertThat(doc.decrypt(DOC_PUSH_ENCRYPT)).isEqualTo(new PushCipher.Opened.Ok(DOC_PUSH_MSG, DOC_APPID));
  }

  @Test
  void encrypting_the_push_doc_s_json_with_its_random_prefix_gives_its_encrypt() {
    assertThat(doc.encrypt(DOC_PUSH_MSG, DOC_PUSH_RANDOM)).isEqualTo(DOC_PUSH_ENCRYPT);
  }

  @Test
  void the_push_doc_s_ciphertext_is_224_bytes_with_19_bytes_of_padding() {
    assertThat(Base64.getDecoder().decode(DOC_PUSH_ENCRYPT)).hasSize(224);
    assertThat(16 + 4 + 167 + 18).isEqualTo(205);
  }

  @Test
  void encrypting_the_push_doc_s_reply_with_random_707722b8_gives_ELGduP2Y() {
    assertThat(doc.encrypt(DOC_REPLY_MSG, DOC_REPLY_RANDOM)).isEqualTo(DOC_REPLY_ENCRYPT);
    assertThat(doc.decrypt(DOC_REPLY_ENCRYPT)).isEqualTo(new PushCipher.Opened.Ok(DOC_REPLY_MSG, DOC_APPID));
  }

  @Test
  void a_full_str_of_63_bytes_pads_to_one_64_byte_ciphertext() {
    assertThat(Base64.getDecoder().decode(doc.encrypt(DOC_REPLY_MSG, DOC_REPLY_RANDOM))).hasSize(64);
  }

  // --- §10.2 WxJava's sample

  @Test
  void wxjava_s_chinese_sample_encrypts_to_jn1L23DB() {
    PushCipher wx = new PushCipher(WX_KEY, WX_APPID);

    assertThat(wx.encrypt("我是中文abcd123", WX_RANDOM)).isEqualTo(WX_CHINESE_ENCRYPT);
    assertThat(wx.decrypt(WX_CHINESE_ENCRYPT)).isEqualTo(new PushCipher.Opened.Ok("我是中文abcd123", WX_APPID));
  }

  @Test
  void wxjava_s_video_reply_sample_encrypts_as_wxjava_does() {
    PushCipher wx = new PushCipher(WX_KEY, WX_APPID);

    String encrypt = wx.encrypt(WX_VIDEO_REPLY, WX_RANDOM);

    assertThat(encrypt).startsWith("jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1")
        .endsWith("EeOwofJb");
    assertThat(encrypt).isEqualTo(new WxCryptUtil(WX_TOKEN, WX_KEY, WX_APPID).encrypt(WX_RANDOM, WX_VIDEO_REPLY));
    assertThat(wx.decrypt(encrypt)).isEqualTo(new PushCipher.Opened.Ok(WX_VIDEO_REPLY, WX_APPID));
  }

  // --- §10.3 wechatpy (WeCom: the trailer is the corp id)

  @Test
  void wechatpy_s_encrypted_echostr_decrypts_with_its_corp_id() {
    PushCipher wecom = new PushCipher(PushVectors.WECHATPY_KEY, PushVectors.WECHATPY_CORP_ID);

    assertThat(wecom.decrypt(PushVectors.WECHATPY_ECHO))
        .isEqualTo(new PushCipher.Opened.Ok("5927782489442352469", PushVectors.WECHATPY_CORP_ID));
  }

  // --- §10.5 computed

  @Test
  void the_computed_xml_text_push_encrypts_to_uMMzGtqc_and_back() {
    assertThat(COMPUTED_MSG.getBytes(StandardCharsets.UTF_8)).hasSize(270);
    assertThat(doc.encrypt(COMPUTED_MSG, COMPUTED_RANDOM)).isEqualTo(COMPUTED_ENCRYPT);
    assertThat(doc.decrypt(COMPUTED_ENCRYPT)).isEqualTo(new PushCipher.Opened.Ok(COMPUTED_MSG, DOC_APPID));
  }

  // --- padding to 32

  @Test
  void an_already_aligned_full_str_gets_a_whole_block_of_padding() {
    // random 16 + length 4 + message 26 + appid 18 = 64 bytes, already a multiple of 32
    String message = "abcdefghijklmnopqrstuvwxyz";
    byte[] sealed = Base64.getDecoder().decode(doc.encrypt(message, COMPUTED_RANDOM));
    byte[] full = aes(Cipher.DECRYPT_MODE, DOC_KEY, sealed);

    assertThat(full).hasSize(96);
    for (int i = 64; i < 96; i++) {
      assertThat(full[i]).isEqualTo((byte) 32);
    }
  }

  // --- keys

  @Test
  void a_43_character_alphanumeric_key_is_usable() {
    assertThat(PushCipher.checkKey(DOC_KEY)).isEmpty();
    assertThat(PushCipher.checkKey(WX_KEY)).isEmpty();
    assertThat(PushCipher.checkKey(PushVectors.WECHATPY_KEY)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé"})
  void a_key_that_is_not_43_letters_and_digits_is_refused_with_a_reason(String key) {
    assertThat(PushCipher.checkKey(key)).hasValueSatisfying(
        reason -> assertThat(reason).startsWith("EncodingAESKey must be 43 characters of letters and digits"));
    assertThatIllegalArgumentException().isThrownBy(() -> new PushCipher(key, DOC_APPID))
        .withMessageStartingWith("EncodingAESKey must be 43 characters of letters and digits");
  }

  @Test
  void a_missing_key_is_refused_with_a_reason() {
    assertThat(PushCipher.checkKey(null)).isPresent();
  }

  @Test
  void the_random_prefix_is_16_lowercase_hex_characters() {
    var random = new SplittableRandom(7);
    for (int i = 0; i < 100; i++) {
      assertThat(PushCipher.randomPrefix(random)).matches("[0-9a-f]{16}");
    }
  }

  @Test
  void a_random_prefix_that_is_not_16_bytes_is_a_bug() {
    assertThatIllegalArgumentException().isThrownBy(() -> doc.encrypt("x", "short"));
    assertThatIllegalArgumentException().isThrownBy(() -> doc.encrypt("x", "中文中文中文中文中文中文中文中文"));
  }

  // --- failures are values

  @Test
  void another_appid_in_the_trailer_fails_and_names_it() {
    PushCipher other = new PushCipher(DOC_KEY, "wx0000000000000000");

    assertThat(other.decrypt(DOC_PUSH_ENCRYPT))
        .isEqualTo(new PushCipher.Opened.Failed("appid mismatch: got " + DOC_APPID));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "ab=c", "%%%%"})
  void text_that_is_not_base64_fails(String input) {
    assertThat(doc.decrypt(input)).isEqualTo(new PushCipher.Opened.Failed("not base64"));
  }

  @Test
  void an_empty_or_missing_ciphertext_fails() {
    assertThat(doc.decrypt("")).isInstanceOf(PushCipher.Opened.Failed.class);
    assertThat(doc.decrypt(null)).isInstanceOf(PushCipher.Opened.Failed.class);
  }

  @Test
  void a_ciphertext_that_is_not_whole_blocks_fails() {
    assertThat(doc.decrypt(Base64.getEncoder().encodeToString(new byte[17])))
        .isEqualTo(new PushCipher.Opened.Failed("ciphertext of 17 bytes is not a whole number of AES blocks"));
  }

  @Test
  void the_wrong_key_fails_on_padding_or_appid_but_does_not_throw() {
    PushCipher wrong = new PushCipher(WX_KEY, DOC_APPID);

    assertThat(wrong.decrypt(DOC_PUSH_ENCRYPT)).isInstanceOf(PushCipher.Opened.Failed.class);
  }

  @Test
  void padding_bytes_that_disagree_fail_as_bad_padding() {
    byte[] full = fullStr("hello", DOC_APPID);
    full[full.length - 2] = 7;

    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("bad padding"));
  }

  @Test
  void a_padding_byte_of_zero_or_above_32_fails_as_bad_padding() {
    byte[] full = fullStr("hello", DOC_APPID);
    full[full.length - 1] = 0;
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("bad padding"));
    full[full.length - 1] = 33;
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("bad padding"));
  }

  @Test
  void a_length_field_past_the_end_fails() {
    byte[] full = fullStr("hello", DOC_APPID);
    ByteBuffer.wrap(full).putInt(16, 1000);
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("length field out of range"));

    ByteBuffer.wrap(full).putInt(16, -1);
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("length field out of range"));
  }

  @Test
  void a_full_str_shorter_than_its_header_fails() {
    byte[] full = new byte[32];
    Arrays.fill(full, (byte) 20);
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("length field out of range"));
  }

  @Test
  void a_message_that_is_not_utf8_fails() {
    byte[] full = fullStr("hello", DOC_APPID);
    full[20] = (byte) 0xff;
    assertThat(doc.decrypt(seal(full))).isEqualTo(new PushCipher.Opened.Failed("message is not UTF-8"));
  }

  // --- helpers: build FullStr by hand to corrupt it

  /** A well-formed FullStr for {@code message}, padded to 32. */
  private static byte[] fullStr(String message, String appid) {
    byte[] msg = message.getBytes(StandardCharsets.UTF_8);
    byte[] id = appid.getBytes(StandardCharsets.UTF_8);
    int unpadded = 20 + msg.length + id.length;
    int pad = 32 - unpadded % 32;
    ByteBuffer b = ByteBuffer.allocate(unpadded + pad);
    b.put(COMPUTED_RANDOM.getBytes(StandardCharsets.US_ASCII)).putInt(msg.length).put(msg).put(id);
    while (b.hasRemaining()) {
      b.put((byte) pad);
    }
    return b.array();
  }

  private static String seal(byte[] full) {
    return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, DOC_KEY, full));
  }

  private static byte[] aes(int mode, String encodingAesKey, byte[] input) {
    try {
      byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
      return cipher.doFinal(input);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
