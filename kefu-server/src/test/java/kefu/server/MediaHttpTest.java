package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code media/upload} and {@code media/get}, spec §5. */
class MediaHttpTest {
  /** A 1×1 PNG. */
  static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
  static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
  static final String RID = " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";
  static final String BOUNDARY = "----kefuBoundary7MA4YWxkTrZu0gW";

  @RegisterExtension
  final TestKefu kefu = TestKefu.perTest();
  String token;

  @BeforeEach
  void start() {
    token = kefu.token();
  }

  /** A multipart body with one file part (optionally without Content-Type) and form fields. */
  static byte[] multipart(String partName, byte[] bytes, String partContentType, String... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
          + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + partName
        + "\"; filename=\"a.png\"\r\n" + (partContentType == null ? "" : "Content-Type: " + partContentType + "\r\n")
        + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static TestKefu.Response upload(TestKefu kefu, String token, byte[] image) {
    return kefu.post("/cgi-bin/media/upload?access_token=" + token + "&type=image",
        multipart("media", image, "application/octet-stream"), "multipart/form-data; boundary=" + BOUNDARY);
  }

  TestKefu.Response upload(String query, byte[] body) {
    return kefu.post("/cgi-bin/media/upload" + query, body, "multipart/form-data; boundary=" + BOUNDARY);
  }

  @Test
  void an_upload_answers_in_the_wire_form() {
    TestKefu.Response r = upload(kefu, token, PNG);
    assertThat(r.json().has("errcode")).isFalse();
    assertThat(r.json().path("type").asText()).isEqualTo("image");
    assertThat(r.json().path("media_id").asText()).matches("[A-Za-z0-9_-]{64}");
    assertThat(r.json().path("created_at").isIntegralNumber()).isTrue();
    assertThat(r.json().path("created_at").asLong()).isEqualTo(kefu.clock.instant().getEpochSecond());
    assertThat(r.json().path("item").isArray()).isTrue();
    assertThat(r.json().path("item")).isEmpty();
  }

  @Test
  void the_uploaded_bytes_come_back_with_their_type_and_a_quoted_filename() {
    String id = upload(kefu, token, PNG).json().path("media_id").asText();
    TestKefu.Response r = kefu.get("/cgi-bin/media/get?access_token=" + token + "&media_id=" + id);
    assertThat(r.bytes()).isEqualTo(PNG);
    assertThat(r.contentType()).isEqualTo("image/png");
    assertThat(r.raw().headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"" + id + ".png\"");
  }

  @Test
  void token_and_type_may_come_as_form_fields_and_parts_need_no_content_type() {
    TestKefu.Response r = upload("", multipart("media", JPEG, null, "access_token", token, "type", "image"));
    assertThat(r.json().path("media_id").asText()).hasSize(64);
    String id = r.json().path("media_id").asText();
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + token + "&media_id=" + id).contentType())
        .isEqualTo("image/jpeg");
  }

  @Test
  void upload_errors() {
    assertThat(upload("?access_token=" + token + "&type=voice", multipart("media", PNG, "image/png")).errmsg())
        .matches("invalid media type" + RID);
    assertThat(upload("?access_token=" + token + "&type=image", multipart("file", PNG, "image/png")).errmsg())
        .matches("media data missing" + RID);
    assertThat(upload("?access_token=" + token + "&type=image", multipart("media", new byte[0], "image/png")).errmsg())
        .matches("empty media data" + RID);
    assertThat(upload("?access_token=" + token + "&type=image",
        multipart("media", "just text".getBytes(StandardCharsets.UTF_8), "image/png")).errcode()).isEqualTo(40005);
    byte[] big = new byte[10 * 1024 * 1024 + 1];
    System.arraycopy(PNG, 0, big, 0, PNG.length);
    assertThat(upload("?access_token=" + token + "&type=image", multipart("media", big, "image/png")).errcode())
        .isEqualTo(45001);
    assertThat(upload("?type=image", multipart("media", PNG, "image/png")).errcode()).isEqualTo(41001);
    assertThat(kefu.get("/cgi-bin/media/upload?access_token=" + token + "&type=image").errcode()).isEqualTo(43002);
  }

  @Test
  void get_errors_are_json() {
    TestKefu.Response missing = kefu.get("/cgi-bin/media/get?access_token=" + token);
    assertThat(missing.contentType()).startsWith("application/json");
    assertThat(missing.errmsg()).matches("media_id missing" + RID);
    TestKefu.Response unknown = kefu.get("/cgi-bin/media/get?access_token=" + token + "&media_id=nope");
    assertThat(unknown.contentType()).startsWith("application/json");
    assertThat(unknown.errmsg()).matches("invalid media_id" + RID);
  }

  @Test
  void media_expires_after_three_days() {
    String id = upload(kefu, token, PNG).json().path("media_id").asText();
    kefu.advance(Duration.ofDays(3).minusSeconds(1));
    String fresh = kefu.token();
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + fresh + "&media_id=" + id).bytes()).isEqualTo(PNG);
    kefu.advance(Duration.ofSeconds(1));
    assertThat(kefu.get("/cgi-bin/media/get?access_token=" + fresh + "&media_id=" + id).errcode()).isEqualTo(40007);
  }
}
