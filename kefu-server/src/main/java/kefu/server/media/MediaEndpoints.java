package kefu.server.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import kefu.protocol.Decoded;
import kefu.protocol.WxError;
import kefu.protocol.media.ImageFormat;
import kefu.protocol.media.MediaRules;
import kefu.server.http.Reply;
import kefu.server.http.WxCall;
import kefu.server.token.TokenEndpoints;
import kefu.store.App;
import kefu.store.MediaItem;
import kefu.store.Store;
import org.apache.commons.fileupload.FileItemIterator;
import org.apache.commons.fileupload.FileItemStream;
import org.apache.commons.fileupload.FileUpload;
import org.apache.commons.fileupload.FileUploadException;
import org.apache.commons.fileupload.UploadContext;

/**
 * {@code POST /cgi-bin/media/upload} and {@code GET /cgi-bin/media/get} (spec §5). The upload takes
 * {@code access_token} and {@code type} from the query or, as some SDKs send them, from multipart form fields;
 * parts are accepted with any Content-Type and with or without Content-Transfer-Encoding.
 */
public final class MediaEndpoints {
  /** The whole upload body: the image limit plus room for the multipart framing and form fields. */
  private static final int BODY_LIMIT = MediaRules.MAX_IMAGE_BYTES + 64 * 1024;

  private final TokenEndpoints tokens;
  private final Store store;
  private final RandomGenerator secureRandom;

  public MediaEndpoints(TokenEndpoints tokens, Store store, RandomGenerator secureRandom) {
    this.tokens = tokens;
    this.store = store;
    this.secureRandom = secureRandom;
  }

  /** What a multipart body held: the {@code media} part's bytes (null when absent) and the form fields. */
  private record Form(byte[] media, Map<String, String> fields, boolean malformed, boolean tooLarge) {
    Optional<String> field(String name) {
      return Optional.ofNullable(fields.get(name));
    }
  }

  public Reply upload(WxCall call) {
    if (!call.isPost()) {
      return Reply.error(WxError.REQUIRE_POST_METHOD);
    }
    Form form = readForm(call);
    Decoded<App> auth = tokens.authenticate(call, call.query("access_token").or(() -> form.field("access_token")));
    if (auth instanceof Decoded.Bad<App> bad) {
      return Reply.error(bad.error());
    }
    App app = ((Decoded.Ok<App>) auth).value();
    WxError typeCheck = MediaRules.checkType(call.query("type").or(() -> form.field("type")).orElse(""));
    if (typeCheck != WxError.OK) {
      return Reply.error(typeCheck);
    }
    if (form.tooLarge()) {
      return Reply.error(WxError.MEDIA_SIZE_OUT_OF_LIMIT);
    }
    if (form.malformed()) {
      return Reply.error(WxError.DATA_FORMAT_ERROR);
    }
    Decoded<ImageFormat> checked = MediaRules.checkUpload(form.media());
    if (checked instanceof Decoded.Bad<ImageFormat> bad) {
      return Reply.error(bad.error());
    }
    MediaItem item = new MediaItem(MediaRules.newMediaId(secureRandom), app.appid(),
        ((Decoded.Ok<ImageFormat>) checked).value(), form.media(), call.now());
    store.inTransaction(tx -> {
      tx.media().put(item);
      return null;
    });
    return Reply.json(MediaRules.uploadResponse(item.mediaId(), item.createdAt()));
  }

  public Reply get(WxCall call) {
    Decoded<App> auth = tokens.authenticate(call);
    if (auth instanceof Decoded.Bad<App> bad) {
      return Reply.error(bad.error());
    }
    App app = ((Decoded.Ok<App>) auth).value();
    Optional<String> mediaId = call.query("media_id").filter(s -> !s.isEmpty());
    if (mediaId.isEmpty()) {
      return Reply.error(WxError.MEDIA_ID_MISSING);
    }
    return live(mediaId.get(), call).filter(m -> m.appid().equals(app.appid()))
        .map(MediaEndpoints::attachment).orElseGet(() -> Reply.error(WxError.INVALID_MEDIA_ID));
  }

  /**
   * {@code GET /kefu/media/{media_id}}: the image behind a push's {@code PicUrl}/{@code ThumbUrl}, public like
   * WeChat's CDN links, for as long as the media lives.
   */
  public Reply publicImage(WxCall call) {
    return live(call.pathParam("mediaId"), call).map(MediaEndpoints::attachment)
        .orElseGet(() -> Reply.error(WxError.NO_SUCH_PATH, "no live media " + call.pathParam("mediaId")));
  }

  private Optional<MediaItem> live(String mediaId, WxCall call) {
    return store.read(tx -> tx.media().find(mediaId))
        .filter(m -> !MediaRules.isExpired(m.createdAt(), call.now()));
  }

  private static Reply attachment(MediaItem m) {
    return new Reply.Attachment(m.bytes(), m.format().contentType(), m.mediaId() + "." + m.format().extension());
  }

  private static Form readForm(WxCall call) {
    Map<String, String> fields = new HashMap<>();
    WxCall.Body body = call.readBody(BODY_LIMIT);
    if (!(body instanceof WxCall.Body.Read read)) {
      return new Form(null, fields, body instanceof WxCall.Body.Unreadable, body instanceof WxCall.Body.TooLarge);
    }
    String contentType = call.header("Content-Type").orElse("");
    if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
      return new Form(null, fields, false, false);
    }
    byte[] media = null;
    try {
      FileItemIterator parts = new FileUpload().getItemIterator(new BytesContext(contentType, read.bytes()));
      while (parts.hasNext()) {
        FileItemStream part = parts.next();
        try (InputStream in = part.openStream()) {
          byte[] bytes = in.readAllBytes();
          if ("media".equals(part.getFieldName())) {
            media = bytes;
          } else if (part.isFormField()) {
            fields.put(part.getFieldName(), new String(bytes, StandardCharsets.UTF_8).trim());
          }
        }
      }
    } catch (FileUploadException | IOException | RuntimeException e) {
      return new Form(media, fields, true, false);
    }
    return new Form(media, fields, false, false);
  }

  /** A buffered multipart body, as FileUpload reads it. */
  private record BytesContext(String contentType, byte[] body) implements UploadContext {
    @Override
    public long contentLength() {
      return body.length;
    }

    @Override
    public String getCharacterEncoding() {
      return StandardCharsets.UTF_8.name();
    }

    @Override
    public String getContentType() {
      return contentType;
    }

    @Override
    @Deprecated
    public int getContentLength() {
      return body.length;
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }
  }
}
