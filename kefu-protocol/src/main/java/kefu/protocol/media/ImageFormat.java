package kefu.protocol.media;

import java.util.Optional;

/**
 * Image formats a temporary image upload may have, recognised by their magic bytes (never by the part's header);
 * a BMP also needs the zero reserved bytes of its file header.
 */
public enum ImageFormat {
  JPEG("image/jpeg", "jpg"),
  PNG("image/png", "png"),
  GIF("image/gif", "gif"),
  BMP("image/bmp", "bmp");

  private final String contentType;
  private final String extension;

  ImageFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  public static Optional<ImageFormat> sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return Optional.of(JPEG);
    }
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
      return Optional.of(PNG);
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
        && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return Optional.of(GIF);
    }
    if (b.length >= 14 && b[0] == 'B' && b[1] == 'M' && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0) {
      return Optional.of(BMP);
    }
    return Optional.empty();
  }

  public static Optional<ImageFormat> forContentType(String contentType) {
    for (ImageFormat f : values()) {
      if (f.contentType.equals(contentType)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
