package kefu.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * A temporary image uploaded with {@code media/upload} (spec §5.1): its id, usable for 3 days in image messages
 * and mini-program cards, and when WeChat created it.
 */
public record UploadedMedia(String type, String mediaId, Instant createdAt) {
  public UploadedMedia {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mediaId, "mediaId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
