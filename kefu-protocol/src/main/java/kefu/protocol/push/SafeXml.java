package kefu.protocol.push;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The one way kefu reads XML (pushes, spec §6.3, and developers' replies, §7), for {@link PushDocument} and
 * {@link ReplyDocument}: the JDK's own StAX parser ({@link XMLInputFactory#newDefaultFactory()}, whatever else is on
 * the class path), with DTDs and external entities off and no protocol allowed for an external DTD. On top of that a
 * document that declares a document type is refused before the parser sees it. So neither XXE (a file or URL read
 * through an entity or an external DTD) nor entity expansion (billion laughs) can happen. Callers bound the size and
 * the nesting, and treat a {@code DTD} or {@code ENTITY_REFERENCE} event, should one ever come, as refused.
 */
final class SafeXml {
  private static final String DOCTYPE = "<!DOCTYPE";

  private SafeXml() {}

  /**
   * Whether {@code text} declares a document type: {@code <!DOCTYPE}, in any case, in the prolog (after whitespace,
   * comments and processing instructions, before the root element). Elsewhere it is text (a user may write it) or
   * malformed.
   */
  static boolean declaresDoctype(String text) {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\uFEFF') {
        i++;
      } else if (text.startsWith("<?", i)) {
        i = end(text, "?>", i + 2);
      } else if (text.startsWith("<!--", i)) {
        i = end(text, "-->", i + 4);
      } else {
        return text.regionMatches(true, i, DOCTYPE, 0, DOCTYPE.length());
      }
    }
    return false;
  }

  private static int end(String text, String terminator, int from) {
    int at = text.indexOf(terminator, from);
    return at < 0 ? text.length() : at + terminator.length();
  }

  /** A reader over {@code text} that neither loads DTDs nor resolves entities. Close it. */
  static XMLStreamReader reader(String text) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return factory.createXMLStreamReader(new StringReader(text));
  }
}
