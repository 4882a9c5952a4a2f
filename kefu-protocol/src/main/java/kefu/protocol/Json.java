package kefu.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one JSON configuration for wire bodies. Bodies are always read as UTF-8 whatever the Content-Type says
 * (spec §1); invalid UTF-8, trailing garbage and nesting deeper than {@value #MAX_DEPTH} are parse failures.
 * The mapper is immutable after construction and safe to share.
 */
public final class Json {
  public static final int MAX_DEPTH = 32;

  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_DEPTH)
              .maxStringLength(4 * 1024 * 1024)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /**
   * A WeChat API request body as a JSON object: an empty or blank body is 44002 {@code empty post data}; anything
   * but a JSON object is 47001 {@code data format error}.
   */
  public static Decoded<ObjectNode> requestObject(byte[] body) {
    if (isBlank(body)) {
      return Decoded.bad(WxError.EMPTY_POST_DATA);
    }
    return object(body).<Decoded<ObjectNode>>map(Decoded::ok).orElseGet(() -> Decoded.bad(WxError.DATA_FORMAT_ERROR));
  }

  /** The body as a JSON object, or empty when it is not one (malformed, invalid UTF-8, an array, too deep). */
  public static Optional<ObjectNode> object(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(utf8(body));
      return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The body decoded strictly as UTF-8, a leading byte order mark dropped. Handing Jackson the bytes would let it
   * guess UTF-16 or UTF-32 from zero bytes or a BOM; a {@link java.nio.charset.CharacterCodingException} (an
   * {@link IOException}) on invalid UTF-8 makes the body malformed.
   */
  private static String utf8(byte[] body) throws IOException {
    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** A field that must be a JSON string; empty when absent or of another type. */
  public static Optional<String> text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
  }

  /** True when the body holds nothing but whitespace. */
  public static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }
}
