package kefu.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kefu.protocol.Json;

/**
 * One change the fuzzer makes to a valid-looking request. Each is a value (printed in a failure report) and acts on
 * a {@link FuzzedRequest}; {@link #phase} orders them: request line and headers, then the JSON tree, then the bytes,
 * then the framing.
 */
sealed interface Mutation {
  void apply(FuzzedRequest r);

  default int phase() {
    return 0;
  }

  private static List<String> names(ObjectNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  record Method(String method) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.method = method;
    }
  }

  record Version(String version) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.version = version;
    }
  }

  /** The n-th path parameter takes {@code value} as written; a route without parameters gets it as a suffix. */
  record PathParam(int n, String value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      if (r.pathParams.isEmpty()) {
        r.pathSuffix = value;
        return;
      }
      String name = new ArrayList<>(r.pathParams.keySet()).get(n % r.pathParams.size());
      r.pathParams.put(name, value);
    }
  }

  record QueryDrop(int n) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      FuzzedRequest.removeNth(r.query, n);
    }
  }

  /** The n-th query parameter takes {@code value} (null: a bare name). */
  record QuerySet(int n, String value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      if (!r.query.isEmpty()) {
        r.query.get(n % r.query.size())[1] = value;
      }
    }
  }

  /** The n-th query parameter again, with another value; or a new parameter when there is none. */
  record QueryRepeat(int n, String value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      String name = r.query.isEmpty() ? "access_token" : r.query.get(n % r.query.size())[0];
      r.query.add(new String[] {name, value});
    }
  }

  record QueryRaw(String raw) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.query.add(new String[] {raw, null});
    }
  }

  record HeaderAdd(String header) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.headers.add(header);
    }
  }

  record HeaderDrop(int n) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      FuzzedRequest.removeNth(r.headers, n);
    }
  }

  /** The n-th object's member or array's element is removed. */
  record JsonRemove(int n, int member) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      List<JsonNode> places = r.containers();
      if (places.isEmpty()) {
        return;
      }
      JsonNode place = places.get(n % places.size());
      if (place instanceof ObjectNode o && !o.isEmpty()) {
        o.remove(names(o).get(member % o.size()));
      } else if (place instanceof ArrayNode a && !a.isEmpty()) {
        a.remove(member % a.size());
      }
    }

    @Override
    public int phase() {
      return 1;
    }
  }

  /** The n-th object's member (or array's element) is replaced by {@code value}. */
  record JsonReplace(int n, int member, JsonNode value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      List<JsonNode> places = r.containers();
      if (places.isEmpty()) {
        return;
      }
      JsonNode place = places.get(n % places.size());
      if (place instanceof ObjectNode o && !o.isEmpty()) {
        o.set(names(o).get(member % o.size()), value.deepCopy());
      } else if (place instanceof ArrayNode a && !a.isEmpty()) {
        a.set(member % a.size(), value.deepCopy());
      }
    }

    @Override
    public int phase() {
      return 1;
    }
  }

  /** The n-th object gains a member. */
  record JsonAdd(int n, String name, JsonNode value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      List<JsonNode> objects = r.containers().stream().filter(JsonNode::isObject).toList();
      if (!objects.isEmpty()) {
        ((ObjectNode) objects.get(n % objects.size())).set(name, value.deepCopy());
      }
    }

    @Override
    public int phase() {
      return 1;
    }
  }

  /** The whole body becomes {@code value} (an array, a string, null…). */
  record JsonRoot(JsonNode value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      if (r.json != null) {
        r.json = value.deepCopy();
      }
    }

    @Override
    public int phase() {
      return 1;
    }
  }

  /** The body's first member is written twice, the second time with another value. */
  record DuplicateMember(String value) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      if (r.json instanceof ObjectNode o && !o.isEmpty()) {
        String first = o.fieldNames().next();
        String text = new String(r.body(), StandardCharsets.UTF_8);
        String member = Json.write(FuzzedRequest.object().put(first, value));
        r.bytes = (member.substring(0, member.length() - 1) + "," + text.substring(1))
            .getBytes(StandardCharsets.UTF_8);
      }
    }

    @Override
    public int phase() {
      return 2;
    }
  }

  /** The body is cut to {@code percent}% of its length. */
  record Truncate(int percent) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      byte[] body = r.body();
      r.bytes = Arrays.copyOf(body, body.length * percent / 100);
    }

    @Override
    public int phase() {
      return 3;
    }
  }

  /** {@code bytes} go in at {@code percent}% of the body (invalid UTF-8, NULs, a BOM, garbage). */
  record Insert(int percent, byte[] bytes) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      byte[] body = r.body();
      int at = body.length * percent / 100;
      byte[] out = new byte[body.length + bytes.length];
      System.arraycopy(body, 0, out, 0, at);
      System.arraycopy(bytes, 0, out, at, bytes.length);
      System.arraycopy(body, at, out, at + bytes.length, body.length - at);
      r.bytes = out;
    }

    @Override
    public int phase() {
      return 3;
    }

    @Override
    public String toString() {
      return "Insert[percent=" + percent + ", bytes=" + (bytes.length > 40 ? bytes.length + " bytes"
          : Arrays.toString(bytes)) + "]";
    }
  }

  /** The body is replaced by {@code bytes}. */
  record Replace(byte[] bytes) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.body();
      r.bytes = bytes;
    }

    @Override
    public int phase() {
      return 3;
    }

    @Override
    public String toString() {
      return "Replace[" + (bytes.length > 40 ? bytes.length + " bytes" : Arrays.toString(bytes)) + "]";
    }
  }

  record Frame(FuzzedRequest.Framing framing) implements Mutation {
    @Override
    public void apply(FuzzedRequest r) {
      r.framing = framing;
    }

    @Override
    public int phase() {
      return 4;
    }
  }
}
