package kefu.protocol.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import kefu.protocol.Json;

/**
 * A developer's reply document (XML or JSON, sniffed from the first character) read into its flat fields: the text
 * of each leaf element or scalar member under the root, keyed by name, and one level deeper keyed
 * {@code Parent/Child} ({@code TransInfo/KfAccount}). Values are trimmed; the first of repeated names wins.
 *
 * <p>XML is read by {@link SafeXml}: any document that declares a {@code <!DOCTYPE} is refused, and the parser loads no
 * DTD and resolves no entity, so neither XXE nor entity expansion (billion laughs) can happen. The caller bounds the
 * size.
 */
final class ReplyDocument {
  private static final int MAX_XML_DEPTH = 16;

  private ReplyDocument() {}

  /** What {@link #read} made of a document. */
  sealed interface Read {
    record Fields(Map<String, String> values) implements Read {
      String get(String name) {
        return values.get(name);
      }
    }

    record Bad(String reason) implements Read {}
  }

  /** {@code text} must be stripped and non-empty. */
  static Read read(String text) {
    char first = text.charAt(0);
    if (first == '<') {
      return xml(text);
    }
    if (first == '{') {
      return json(text);
    }
    return new Read.Bad("the reply is neither \"success\", empty, XML nor JSON: it starts with " + preview(text));
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
      return new Read.Bad("malformed JSON: the reply is not an object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      JsonNode value = member.getValue();
      if (value.isValueNode() && !value.isNull()) {
        values.putIfAbsent(member.getKey(), value.asText().strip());
      } else if (value.isObject()) {
        for (Map.Entry<String, JsonNode> inner : value.properties()) {
          if (inner.getValue().isValueNode() && !inner.getValue().isNull()) {
            values.putIfAbsent(member.getKey() + "/" + inner.getKey(), inner.getValue().asText().strip());
          }
        }
      }
    }
    return new Read.Fields(Collections.unmodifiableMap(values));
  }

  private static Read xml(String text) {
    if (SafeXml.declaresDoctype(text)) {
      return new Read.Bad("a DOCTYPE is not allowed in a reply (DTDs and entities are refused)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    Deque<Element> open = new ArrayDeque<>();
    XMLStreamReader reader = null;
    try {
      reader = SafeXml.reader(text);
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
          return new Read.Bad("a DOCTYPE is not allowed in a reply (DTDs and entities are refused)");
        } else if (event == XMLStreamConstants.START_ELEMENT) {
          if (open.size() >= MAX_XML_DEPTH) {
            return new Read.Bad("malformed XML: nested deeper than " + MAX_XML_DEPTH + " elements");
          }
          Element parent = open.peek();
          if (parent != null) {
            parent.hasChildren = true;
          }
          String path = parent == null ? "" : parent.path.isEmpty() ? reader.getLocalName()
              : parent.path + "/" + reader.getLocalName();
          open.push(new Element(path));
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
            || event == XMLStreamConstants.SPACE) {
          Element current = open.peek();
          if (current != null) {
            current.text.append(reader.getText());
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          Element closed = open.pop();
          int level = closed.path.isEmpty() ? 0 : closed.path.split("/", -1).length;
          if (!closed.hasChildren && level >= 1 && level <= 2) {
            values.putIfAbsent(closed.path, closed.text.toString().strip());
          }
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
    return new Read.Fields(Collections.unmodifiableMap(values));
  }

  /** An element being read: its path below the root ("" for the root itself). */
  private static final class Element {
    final String path;
    final StringBuilder text = new StringBuilder();
    boolean hasChildren;

    Element(String path) {
      this.path = path;
    }
  }

  static String preview(String text) {
    String head = text.codePointCount(0, text.length()) > 40
        ? text.substring(0, text.offsetByCodePoints(0, 40)) + "…" : text;
    return "\"" + oneLine(head) + "\"";
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    return message.replaceAll("\\s+", " ").strip();
  }
}
