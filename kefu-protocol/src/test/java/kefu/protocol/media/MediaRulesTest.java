package kefu.protocol.media;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;
import kefu.protocol.Decoded;
import kefu.protocol.Json;
import kefu.protocol.WxError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Temporary media, spec §5. */
class MediaRulesTest {
  private static final Instant T0 = Instant.parse("2026-09-17T14:59:38Z");
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};

  @Test
  void type_image_is_accepted() {
    assertThat(MediaRules.checkType("image")).isSameAs(WxError.OK);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"voice", "video", "thumb", "IMAGE", "image "})
  void any_other_type_gets_40004(String type) {
    assertThat(MediaRules.checkType(type)).isSameAs(WxError.INVALID_MEDIA_TYPE);
  }

  @Test
  void a_missing_media_part_gets_41005() {
    assertThat(MediaRules.checkUpload(null)).isEqualTo(Decoded.bad(WxError.MEDIA_DATA_MISSING));
  }

  @Test
  void zero_bytes_get_44001() {
    assertThat(MediaRules.checkUpload(new byte[0])).isEqualTo(Decoded.bad(WxError.EMPTY_MEDIA_DATA));
  }

  @Test
  void a_text_file_gets_40005() {
    assertThat(MediaRules.checkUpload("hello, this is not an image\n".getBytes(UTF_8)))
        .isEqualTo(Decoded.bad(WxError.INVALID_FILE_TYPE));
    assertThat(MediaRules.checkUpload("{\"touser\":\"o\"}".getBytes(UTF_8))).isEqualTo(Decoded.bad(WxError.INVALID_FILE_TYPE));
  }

  @Test
  void an_image_of_exactly_10_mib_is_accepted() {
    assertThat(MediaRules.MAX_IMAGE_BYTES).isEqualTo(10 * 1024 * 1024);
    assertThat(MediaRules.checkUpload(jpegOfSize(MediaRules.MAX_IMAGE_BYTES))).isEqualTo(Decoded.ok(ImageFormat.JPEG));
  }

  @Test
  void an_image_over_10_mib_gets_45001() {
    assertThat(MediaRules.checkUpload(jpegOfSize(MediaRules.MAX_IMAGE_BYTES + 1)))
        .isEqualTo(Decoded.bad(WxError.MEDIA_SIZE_OUT_OF_LIMIT));
  }

  @Test
  void the_size_is_checked_before_the_format() {
    assertThat(MediaRules.checkUpload(new byte[MediaRules.MAX_IMAGE_BYTES + 1]))
        .isEqualTo(Decoded.bad(WxError.MEDIA_SIZE_OUT_OF_LIMIT));
  }

  @Test
  void an_upload_tells_its_format() {
    assertThat(MediaRules.checkUpload(JPEG)).isEqualTo(Decoded.ok(ImageFormat.JPEG));
    assertThat(MediaRules.checkUpload(ImageFormatTest.PNG)).isEqualTo(Decoded.ok(ImageFormat.PNG));
    assertThat(MediaRules.checkUpload(ImageFormatTest.GIF89A)).isEqualTo(Decoded.ok(ImageFormat.GIF));
    assertThat(MediaRules.checkUpload(ImageFormatTest.BMP)).isEqualTo(Decoded.ok(ImageFormat.BMP));
  }

  @Test
  void media_lives_until_just_before_3_days() {
    assertThat(MediaRules.isExpired(T0, T0)).isFalse();
    assertThat(MediaRules.isExpired(T0, T0.plus(Duration.ofDays(3)).minusNanos(1))).isFalse();
  }

  @Test
  void media_expires_at_exactly_3_days() {
    assertThat(MediaRules.LIFETIME).isEqualTo(Duration.ofDays(3));
    assertThat(MediaRules.isExpired(T0, T0.plus(Duration.ofHours(72)))).isTrue();
    assertThat(MediaRules.isExpired(T0, T0.plus(Duration.ofDays(30)))).isTrue();
  }

  @Test
  void a_media_id_is_64_url_safe_characters() {
    var random = new SplittableRandom(3);
    var ids = new HashSet<String>();
    for (int i = 0; i < 2000; i++) {
      String id = MediaRules.newMediaId(random);
      assertThat(id).matches("^[A-Za-z0-9_-]{64}$");
      ids.add(id);
    }
    assertThat(ids).hasSize(2000);
  }

  @Test
  void media_ids_use_the_whole_alphabet() {
    var random = new SplittableRandom(5);
    var seen = new HashSet<Character>();
    for (int i = 0; i < 200; i++) {
      for (char c : MediaRules.newMediaId(random).toCharArray()) {
        seen.add(c);
      }
    }
    assertThat(seen).hasSize(64).contains('_', '-', 'A', 'z', '0', '9');
  }

  @Test
  void the_upload_answer_has_the_wire_shape() {
    String mediaId = "lJP_1YgbiXdIJj8AIdlmmvgcnASjHe_yA5fvTM9FLl-ENTHRplWKyrJJMsuD48Zr";

    var answer = MediaRules.uploadResponse(mediaId, Instant.ofEpochSecond(1631690891, 999_000_000));

    assertThat(Json.write(answer)).isEqualTo(
        "{\"type\":\"image\",\"media_id\":\"" + mediaId + "\",\"created_at\":1631690891,\"item\":[]}");
  }

  @Test
  void the_upload_answer_has_no_errcode_a_numeric_created_at_and_an_empty_item_list() {
    var answer = MediaRules.uploadResponse("m", T0);

    assertThat(answer.has("errcode")).isFalse();
    assertThat(answer.has("errmsg")).isFalse();
    assertThat(answer.get("created_at").isIntegralNumber()).isTrue();
    assertThat(answer.get("created_at").longValue()).isEqualTo(T0.getEpochSecond());
    assertThat(answer.get("item").isArray()).isTrue();
    assertThat(answer.get("item")).isEmpty();
  }

  private static byte[] jpegOfSize(int size) {
    byte[] bytes = Arrays.copyOf(JPEG, size);
    return bytes;
  }
}
