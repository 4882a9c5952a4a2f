package kefu.store;

import java.time.Instant;
import java.util.Objects;
import kefu.protocol.media.ImageFormat;

/** A temporary image: uploaded by the developer, or sent by a simulated user. */
public record MediaItem(String mediaId, String appid, ImageFormat format, byte[] bytes, Instant createdAt) {
  public MediaItem {
    Objects.requireNonNull(mediaId, "mediaId");
    Objects.requireNonNull(appid, "appid");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
