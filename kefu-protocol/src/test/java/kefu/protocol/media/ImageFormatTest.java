package kefu.protocol.media;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sniffing upload bytes by magic number, never by the part's Content-Type. */
class ImageFormatTest {
  static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xdb};
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
  static final byte[] GIF87A = "GIF87a\u0001\u0000\u0001\u0000".getBytes(US_ASCII);
  static final byte[] GIF89A = "GIF89a\u0001\u0000\u0001\u0000".getBytes(US_ASCII);
  /** A 14-byte BITMAPFILEHEADER: "BM", file size, two reserved words, pixel offset. */
  static final byte[] BMP = {'B', 'M', 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0};

  @Test
  void jpeg_is_recognised_by_ff_d8_ff() {
    assertThat(ImageFormat.sniff(JPEG)).hasValue(ImageFormat.JPEG);
  }

  @Test
  void png_is_recognised_by_its_eight_byte_signature() {
    assertThat(ImageFormat.sniff(PNG)).hasValue(ImageFormat.PNG);
  }

  @Test
  void gif_is_recognised_in_both_versions() {
    assertThat(ImageFormat.sniff(GIF87A)).hasValue(ImageFormat.GIF);
    assertThat(ImageFormat.sniff(GIF89A)).hasValue(ImageFormat.GIF);
  }

  @Test
  void bmp_is_recognised_by_bm_and_a_full_file_header() {
    assertThat(ImageFormat.sniff(BMP)).hasValue(ImageFormat.BMP);
  }

  @Test
  void text_that_happens_to_start_with_bm_is_not_a_bmp() {
    assertThat(ImageFormat.sniff("BMW 320i, low mileage".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEmpty();
  }

  @Test
  void truncated_signatures_are_not_images() {
    assertThat(ImageFormat.sniff(Arrays.copyOf(JPEG, 2))).isEmpty();
    assertThat(ImageFormat.sniff(Arrays.copyOf(PNG, 7))).isEmpty();
    assertThat(ImageFormat.sniff(Arrays.copyOf(GIF89A, 5))).isEmpty();
    assertThat(ImageFormat.sniff(Arrays.copyOf(BMP, 13))).isEmpty();
    assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
  }

  @Test
  void near_misses_are_not_images() {
    assertThat(ImageFormat.sniff("GIF88a\u0001\u0000".getBytes(US_ASCII))).isEmpty();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0b})).isEmpty();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xfe})).isEmpty();
  }

  @Test
  void text_is_not_an_image() {
    assertThat(ImageFormat.sniff("hello, this is not an image\n".getBytes(US_ASCII))).isEmpty();
    assertThat(ImageFormat.sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(US_ASCII))).isEmpty();
  }

  @Test
  void each_format_has_the_usual_content_type_and_extension() {
    assertThat(ImageFormat.JPEG.contentType()).isEqualTo("image/jpeg");
    assertThat(ImageFormat.JPEG.extension()).isEqualTo("jpg");
    assertThat(ImageFormat.PNG.contentType()).isEqualTo("image/png");
    assertThat(ImageFormat.PNG.extension()).isEqualTo("png");
    assertThat(ImageFormat.GIF.contentType()).isEqualTo("image/gif");
    assertThat(ImageFormat.GIF.extension()).isEqualTo("gif");
    assertThat(ImageFormat.BMP.contentType()).isEqualTo("image/bmp");
    assertThat(ImageFormat.BMP.extension()).isEqualTo("bmp");
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void for_content_type_finds_each_format(ImageFormat format) {
    assertThat(ImageFormat.forContentType(format.contentType())).hasValue(format);
  }

  @Test
  void for_content_type_knows_nothing_else() {
    assertThat(ImageFormat.forContentType("image/webp")).isEmpty();
    assertThat(ImageFormat.forContentType("text/plain")).isEmpty();
    assertThat(ImageFormat.forContentType(null)).isEmpty();
  }
}
