package kefu.protocol.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import kefu.protocol.Json;

/**
 * A push as the developer's server receives it (spec §6.3, §6.4), read the other way from {@link PushCodec}: first
 * the body into its flat fields ({@link #read}), then the fields into a {@link PushEvent} ({@link #event}). Both
 * steps answer values and never throw on any input.
 *
 * <p><b>Fields.</b> XML: the text of each element directly under the root, CDATA sections and character references
 * joined, <i>not</i> trimmed (a text message keeps its spaces); an element with children is skipped, a repeated name
 * is malformed. JSON: each scalar member of the top-level object (numbers as their decimal digits), a repeated name is
 * malformed. Plaintext, compatible-mode and secure-mode bodies all read this way; {@code Encrypt} is just a field.
 *
 * <p><b>XML safety.</b> XML is read by {@link SafeXml}: a document that declares a {@code <!DOCTYPE} is refused, and
 * the parser loads no DTD and resolves no entity, so neither XXE nor entity expansion can happen. Callers bound the
 * size.
 *
 * <p><b>Events.</b> {@code ToUserName}, {@code FromUserName}, {@code CreateTime} and {@code MsgType} are required;
 * {@code CreateTime} and {@code MsgId} may be a number or a string of digits (both have been seen, §6.3). A text
 * needs {@code Content} and {@code MsgId}, an image {@code MediaId} and {@code MsgId}, a card {@code MsgId}; other
 * absent strings read as empty (the doc's own card example has {@code "ThumbUrl":""}). Types and events that kefu
 * does not model (the doc's {@code debug_demo}, a future event) are {@link Typed.Unknown}, which is not malformed.
 */
public final class PushDocument {
  private static final int MAX_XML_DEPTH = 16;
  private static final String ENTER_EVENT = PushCodec.ENTER_EVENT;

  private PushDocument() {}

  /** What {@link #read} made of a body. */
  public sealed interface Read {
    /** The fields of a body in {@code format}, in document order. */
    record Fields(PushFormat format, Map<String, String> values) implements Read {
      public Fields {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      }

      public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
      }

      public boolean has(String name) {
        return values.containsKey(name);
      }
    }

    record Bad(String reason) implements Read {}
  }

  /** What {@link #event} made of the fields. */
  public sealed interface Typed {
    record Known(PushEvent event) implements Typed {}

    /** A well-formed push of a type kefu does not model; {@code event} is null unless {@code MsgType} is event. */
    record Unknown(String msgType, String event) implements Typed {}

    record Bad(String reason) implements Typed {}
  }

  /**
   * The body's format, told by its first non-blank character ({@code <} XML, <code>{</code> JSON; a leading byte order
   * mark is skipped), and its fields.
   */
  public static Read read(String body) {
    String text = body == null ? "" : body.startsWith("\uFEFF") ? body.substring(1) : body;
    int first = firstNonBlank(text);
    if (first < 0) {
      return new Read.Bad("the body is empty");
    }
    char c = text.charAt(first);
    if (c == '<') {
      return xml(text);
    }
    if (c == '{') {
      return json(text);
    }
    return new Read.Bad("the body is neither XML nor JSON: it starts with " + preview(text.substring(first)));
  }

  /** As {@link #read(String)}, and the body must be in {@code expected}. */
  public static Read read(String body, PushFormat expected) {
    Read read = read(body);
    if (read instanceof Read.Fields && ((Read.Fields) read).format() != expected) {
      return new Read.Bad("expected " + expected.wireName() + " but the body is "
          + ((Read.Fields) read).format().wireName());
    }
    return read;
  }

  /** The push event the fields describe. */
  public static Typed event(Map<String, String> fields) {
    String to = fields.get("ToUserName");
    String from = fields.get("FromUserName");
    String msgType = fields.get("MsgType");
    if (to == null || from == null || msgType == null || !fields.containsKey("CreateTime")) {
      return new Typed.Bad("a push needs ToUserName, FromUserName, CreateTime and MsgType; missing "
          + missing(fields, "ToUserName", "FromUserName", "CreateTime", "MsgType"));
    }
    Optional<Long> time = integer(fields.get("CreateTime"));
    if (time.isEmpty()) {
      return new Typed.Bad("CreateTime is not an integer: " + preview(fields.get("CreateTime")));
    }
    long createTime = time.get();
    String type = msgType.strip();
    if (type.equals("event")) {
      String event = fields.getOrDefault("Event", "").strip();
      if (!event.equals(ENTER_EVENT)) {
        return new Typed.Unknown(type, event);
      }
      return new Typed.Known(new PushEvent.UserEnteredSession(to, from, createTime,
          fields.getOrDefault("SessionFrom", "")));
    }
    if (!type.equals("text") && !type.equals("image") && !type.equals("miniprogrampage")) {
      return new Typed.Unknown(type, null);
    }
    if (!fields.containsKey("MsgId")) {
      return new Typed.Bad("a " + type + " message needs a MsgId");
    }
    Optional<Long> msgId = integer(fields.get("MsgId"));
    if (msgId.isEmpty()) {
      return new Typed.Bad("MsgId is not a 64-bit integer: " + preview(fields.get("MsgId")));
    }
    switch (type) {
      case "text":
        if (!fields.containsKey("Content")) {
          return new Typed.Bad("a text message needs Content");
        }
        return new Typed.Known(new PushEvent.Text(to, from, createTime, fields.get("Content"), msgId.get()));
      case "image":
        if (!fields.containsKey("MediaId")) {
          return new Typed.Bad("an image message needs MediaId");
        }
        return new Typed.Known(new PushEvent.Image(to, from, createTime, fields.getOrDefault("PicUrl", ""),
            fields.get("MediaId"), msgId.get()));
      default:
        return new Typed.Known(new PushEvent.MiniProgramPage(to, from, createTime, fields.getOrDefault("Title", ""),
            fields.getOrDefault("AppId", ""), fields.getOrDefault("PagePath", ""),
            fields.getOrDefault("ThumbUrl", ""), fields.getOrDefault("ThumbMediaId", ""), msgId.get()));
    }
  }

  private static Read json(String text) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return new Read.Bad("malformed JSON: " + oneLine(e.getOriginalMessage()));
    } catch (RuntimeException e) {
      return new Read.Bad("malformed JSON");
    }
    if (!(root instanceof ObjectNode)) {
      return new Read.Bad("malformed JSON: the body is not an object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      JsonNode value = member.getValue();
      if (value.isTextual()) {
        values.put(member.getKey(), value.textValue());
      } else if (value.isIntegralNumber()) {
        values.put(member.getKey(), value.bigIntegerValue().toString());
      } else if (value.isValueNode() && !value.isNull()) {
        values.put(member.getKey(), value.asText());
      }
    }
    return new Read.Fields(PushFormat.JSON, values);
  }

  private static Read xml(String text) {
    if (SafeXml.declaresDoctype(text)) {
      return new Read.Bad("a DOCTYPE is not allowed in a push (DTDs and entities are refused)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    XMLStreamReader reader = null;
    try {
      reader = SafeXml.reader(text);
      int depth = 0;
      String name = null;
      StringBuilder value = null;
      boolean hasChildren = false;
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
          return new Read.Bad("a DOCTYPE is not allowed in a push (DTDs and entities are refused)");
        } else if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          if (depth > MAX_XML_DEPTH) {
            return new Read.Bad("malformed XML: nested deeper than " + MAX_XML_DEPTH + " elements");
          }
          if (depth == 2) {
            name = reader.getLocalName();
            value = new StringBuilder();
            hasChildren = false;
          } else if (depth > 2) {
            hasChildren = true;
          }
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
            || event == XMLStreamConstants.SPACE) {
          if (depth == 2) {
            value.append(reader.getText());
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (depth == 2 && !hasChildren) {
            if (values.containsKey(name)) {
              return new Read.Bad("malformed XML: <" + name + "> appears twice");
            }
            values.put(name, value.toString());
          }
          depth--;
        }
      }
    } catch (XMLStreamException | RuntimeException e) {
      return new Read.Bad("malformed XML: " + oneLine(e.getMessage()));
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // nothing is held open by a reader over a string
        }
      }
    }
    return new Read.Fields(PushFormat.XML, values);
  }

  private static Optional<Long> integer(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty() || t.length() > 20) {
      return Optional.empty();
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && t.length() > 1)) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Long.parseLong(t));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String missing(Map<String, String> fields, String... names) {
    StringBuilder out = new StringBuilder();
    for (String n : names) {
      if (!fields.containsKey(n)) {
        out.append(out.length() == 0 ? "" : ", ").append(n);
      }
    }
    return out.toString();
  }

  private static int firstNonBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String preview(String text) {
    String head = text.codePointCount(0, text.length()) > 40
        ? text.substring(0, text.offsetByCodePoints(0, 40)) + "…" : text;
    return "\"" + oneLine(head) + "\"";
  }

  private static String oneLine(String message) {
    return message == null ? "unreadable" : message.replaceAll("\\s+", " ").strip();
  }
}
