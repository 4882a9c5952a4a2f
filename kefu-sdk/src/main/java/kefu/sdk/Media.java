package kefu.sdk;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bytes downloaded with {@code media/get} (spec §5.2), with their {@code Content-Type} and the file name from
 * {@code Content-disposition} (empty when the answer gave none).
 */
public record Media(byte[] bytes, String contentType, String filename) {
  public Media {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(filename, "filename");
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Media m && Arrays.equals(bytes, m.bytes) && contentType.equals(m.contentType)
        && filename.equals(m.filename);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(bytes), contentType, filename);
  }

  @Override
  public String toString() {
    return "Media[" + bytes.length + " bytes, " + contentType + ", " + filename + "]";
  }
}
