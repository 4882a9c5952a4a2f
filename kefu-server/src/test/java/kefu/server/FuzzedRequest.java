package kefu.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.protocol.Json;

/**
 * A request being made for the fuzzer: first a valid-looking one for a route, then changed by {@link Mutation}s
 * (method, path parameters, query, headers, the JSON tree, the body's bytes, the framing) and written as the bytes
 * of one HTTP/1.1 request. Mutable, used by one thread.
 */
final class FuzzedRequest {
  /** How the body is framed: a true Content-Length, none, one that lies, or chunked. */
  enum Framing { TRUE_LENGTH, NO_LENGTH, SHORT_LENGTH, LONG_LENGTH, CHUNKED, BAD_CHUNKS }

  private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

  String method;
  String version = "HTTP/1.1";
  final String template;
  final Map<String, String> pathParams = new LinkedHashMap<>();
  String pathSuffix = "";
  /** Query parameters as written on the wire: name and value, or a value of null for a bare name. */
  final List<String[]> query = new ArrayList<>();
  final List<String> headers = new ArrayList<>();
  /** The body as a JSON tree while the mutations treat it as one; null once it is only bytes. */
  JsonNode json;
  byte[] bytes = new byte[0];
  Framing framing = Framing.TRUE_LENGTH;

  FuzzedRequest(String method, String template, Map<String, String> pathParams) {
    this.method = method;
    this.template = template;
    this.pathParams.putAll(pathParams);
  }

  FuzzedRequest query(String name, String value) {
    query.add(new String[] {name, value});
    return this;
  }

  FuzzedRequest header(String header) {
    headers.add(header);
    return this;
  }

  FuzzedRequest json(JsonNode body) {
    json = body;
    headers.add("Content-Type: application/json");
    return this;
  }

  FuzzedRequest bytes(byte[] body, String contentType) {
    bytes = body;
    headers.add("Content-Type: " + contentType);
    return this;
  }

  /** The body's bytes; from here on mutations see bytes only. */
  byte[] body() {
    if (json != null) {
      bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
      json = null;
    }
    return bytes;
  }

  String target() {
    Matcher m = PARAM.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(pathParams.getOrDefault(m.group(1), m.group(1))));
    }
    m.appendTail(path);
    path.append(pathSuffix);
    for (int i = 0; i < query.size(); i++) {
      String[] q = query.get(i);
      path.append(i == 0 ? '?' : '&').append(q[0]);
      if (q[1] != null) {
        path.append('=').append(q[1]);
      }
    }
    return path.toString();
  }

  byte[] toBytes() {
    byte[] body = body();
    List<String> all = new ArrayList<>(headers);
    byte[] sent = body;
    switch (framing) {
      case TRUE_LENGTH -> all.add("Content-Length: " + body.length);
      case NO_LENGTH -> { }
      case SHORT_LENGTH -> all.add("Content-Length: " + body.length / 2);
      case LONG_LENGTH -> all.add("Content-Length: " + (body.length + 17));
      case CHUNKED -> {
        all.add("Transfer-Encoding: chunked");
        sent = chunked(body, "");
      }
      case BAD_CHUNKS -> {
        all.add("Transfer-Encoding: chunked");
        sent = chunked(body, "zz\r\n");
      }
    }
    return RawHttp.raw(method + " " + target() + " " + version, all, sent);
  }

  private static byte[] chunked(byte[] body, String garbage) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += 1000) {
      byte[] chunk = Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000));
      out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(chunk);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes((garbage + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Every object and array in the JSON tree, the root first: the places a JSON mutation may act on. */
  List<JsonNode> containers() {
    List<JsonNode> found = new ArrayList<>();
    if (json != null) {
      collect(json, found);
    }
    return found;
  }

  private static void collect(JsonNode node, List<JsonNode> found) {
    if (node.isContainerNode()) {
      found.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), found);
      }
    }
  }

  /** Removes the n-th element (n wraps around), if there is any. */
  static <T> void removeNth(List<T> list, int n) {
    if (!list.isEmpty()) {
      list.remove(n % list.size());
    }
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }
}
