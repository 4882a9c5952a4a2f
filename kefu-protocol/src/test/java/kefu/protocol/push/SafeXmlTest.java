package kefu.protocol.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static kefu.protocol.push.PushVectors.DOC_APPID;
import static kefu.protocol.push.PushVectors.DOC_KEY;
import static kefu.protocol.push.PushVectors.DOC_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The classic hostile XML payloads (an external entity naming {@code file:///etc/passwd}, an external DTD and a
 * parameter entity fetched over HTTP from a local server that records every fetch, billion laughs) against the
 * parser of {@link SafeXml} alone, without its DOCTYPE check, and against each way kefu reads XML: no file content
 * comes out, nothing is fetched, nothing is expanded.
 */
class SafeXmlTest {
  private final List<String> fetched = new CopyOnWriteArrayList<>();
  private HttpServer dtdServer;

  @BeforeEach
  void start() throws IOException {
    dtdServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    dtdServer.createContext("/", exchange -> {
      fetched.add(exchange.getRequestURI().toString());
      byte[] dtd = "<!ENTITY leak SYSTEM \"file:///etc/passwd\">".getBytes(UTF_8);
      exchange.sendResponseHeaders(200, dtd.length);
      exchange.getResponseBody().write(dtd);
      exchange.close();
    });
    dtdServer.start();
  }

  @AfterEach
  void stop() {
    dtdServer.stop(0);
  }

  String dtdUrl() {
    return "http://127.0.0.1:" + dtdServer.getAddress().getPort() + "/evil.dtd";
  }

  List<String> payloads() {
    return List.of(
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<xml><MsgType>transfer_customer_service</MsgType><Content>&xxe;</Content></xml>",
        "<!DOCTYPE xml SYSTEM \"" + dtdUrl() + "\"><xml><MsgType>text</MsgType><Content>&leak;</Content></xml>",
        "<!DOCTYPE xml [<!ENTITY % remote SYSTEM \"" + dtdUrl() + "\"> %remote;]>"
            + "<xml><MsgType>text</MsgType><Content>&leak;</Content></xml>",
        "<!doctype xml PUBLIC \"-//kefu//fuzz\" \"" + dtdUrl() + "\"><xml><MsgType>text</MsgType></xml>",
        billionLaughs());
  }

  static String billionLaughs() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      b.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    return b.append("]><xml><MsgType>text</MsgType><Content>&lol9;</Content></xml>").toString();
  }

  /** Every text the reader reports, or what it failed with. */
  static String readAll(XMLStreamReader reader) {
    StringBuilder text = new StringBuilder();
    try {
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamReader.CHARACTERS) {
          text.append(reader.getText());
        }
      }
    } catch (XMLStreamException refused) {
      text.append(" refused: ").append(refused.getMessage());
    }
    return text.toString();
  }

  @Test
  void the_recording_server_sees_the_fetch_of_a_parser_that_does_load_external_dtds() throws Exception {
    XMLInputFactory careless = XMLInputFactory.newDefaultFactory();
    careless.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "all");
    readAll(careless.createXMLStreamReader(new StringReader(payloads().get(1))));

    assertThat(fetched).containsExactly("/evil.dtd");
  }

  @Test
  void the_parser_alone_reads_no_file_fetches_nothing_and_expands_no_entity() throws Exception {
    for (String payload : payloads()) {
      String read = readAll(SafeXml.reader(payload));

      assertThat(read).as(payload).doesNotContain("root:").doesNotContain("lollol").hasSizeLessThan(400);
    }
    assertThat(fetched).isEmpty();
  }

  @Test
  void every_payload_declares_a_doctype_and_text_that_only_mentions_one_does_not() {
    assertThat(payloads()).allMatch(SafeXml::declaresDoctype);
    assertThat(SafeXml.declaresDoctype(" <?xml version=\"1.0\"?>\n<!-- a comment --><!DocType xml><xml/>")).isTrue();
    assertThat(SafeXml.declaresDoctype("<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>")).isFalse();
    assertThat(SafeXml.declaresDoctype("<!-- <!DOCTYPE xml> --><xml/>")).isFalse();
  }

  @Test
  void a_push_whose_text_mentions_a_doctype_is_read() {
    String push = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
        + "<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + "<Content><![CDATA[<!DOCTYPE html> is how my page starts]]></Content><MsgId>7</MsgId></xml>";

    assertThat(PushDocument.event(((PushDocument.Read.Fields) PushDocument.read(push)).values()))
        .isEqualTo(new PushDocument.Typed.Known(new PushEvent.Text("gh_1", "o1", 1,
            "<!DOCTYPE html> is how my page starts", 7)));
  }

  @Test
  void a_push_carrying_a_payload_is_refused_and_fetches_nothing() {
    for (String payload : payloads()) {
      PushDocument.Read read = PushDocument.read(payload);

      assertThat(read).as(payload).isInstanceOf(PushDocument.Read.Bad.class);
      assertThat(((PushDocument.Read.Bad) read).reason()).contains("DOCTYPE").doesNotContain("root:");
    }
    assertThat(fetched).isEmpty();
  }

  @Test
  void a_developer_reply_carrying_a_payload_plain_or_encrypted_is_abnormal_and_fetches_nothing() {
    PushSettings plain = new PushSettings("https://dev.example/push", DOC_TOKEN, DOC_KEY, PushFormat.XML,
        PushMode.PLAIN, true);
    PushSettings secure = new PushSettings("https://dev.example/push", DOC_TOKEN, DOC_KEY, PushFormat.XML,
        PushMode.SECURE, true);
    WxCryptUtil developer = new WxCryptUtil(DOC_TOKEN, DOC_KEY, DOC_APPID);
    for (String payload : payloads()) {
      DeveloperReply asIs = DeveloperReply.parse(payload.getBytes(UTF_8), plain, DOC_APPID, false);
      DeveloperReply encrypted = DeveloperReply.parse(developer.encrypt(payload).getBytes(UTF_8), secure, DOC_APPID,
          false);

      for (DeveloperReply reply : List.of(asIs, encrypted)) {
        assertThat(reply).as(payload).isInstanceOf(DeveloperReply.Abnormal.class);
        assertThat(((DeveloperReply.Abnormal) reply).reason()).contains("DOCTYPE").doesNotContain("root:");
      }
    }
    assertThat(fetched).isEmpty();
  }
}
