package kefu.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.protocol.Json;

/**
 * An HTTP/1.1 client on a bare socket, for requests no well-behaved client sends: any method, target, header and
 * framing bytes, a body shorter or longer than its Content-Length. The request is written whole, the sending side
 * is then shut (so a body promised but not sent ends in EOF), and the answer is read until the server closes, its
 * Content-Length or chunked framing ends, or, for an event stream, the first event has arrived.
 */
final class RawHttp {
  private RawHttp() {}

  /** What came back: the status (-1 when the connection ended without an answer), headers and body. */
  record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    static final Answer NONE = new Answer(-1, Map.of(), new byte[0]);

    Optional<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, when it is one. */
    Optional<JsonNode> json() {
      return Json.object(body).map(o -> o);
    }

    boolean isJson() {
      return header("Content-Type").map(t -> t.startsWith("application/json")).orElse(false);
    }

    @Override
    public String toString() {
      String t = text();
      return status + " " + headers + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
    }
  }

  /** Sends {@code request} as given and reads the answer; gives up reading after {@code timeout} of silence. */
  static Answer exchange(int port, byte[] request, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException serverStoppedReading) {
        // the server answered early and closed: its answer may still be readable
      }
      return read(socket.getInputStream(), isHead(request));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + timeout + " to " + preview(request), e);
    } catch (IOException e) {
      return Answer.NONE;
    }
  }

  /** A request with the usual framing: Host, Connection: close and a Content-Length that tells the truth. */
  static byte[] request(String method, String target, List<String> headers, byte[] body) {
    List<String> all = new ArrayList<>(headers);
    all.add("Content-Length: " + body.length);
    return raw(method + " " + target + " HTTP/1.1", all, body);
  }

  /** The request line, {@code Host: 127.0.0.1}, {@code Connection: close}, the headers given and the body. */
  static byte[] raw(String requestLine, List<String> headers, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  static boolean isHead(byte[] request) {
    return new String(request, 0, Math.min(5, request.length), StandardCharsets.US_ASCII).equals("HEAD ");
  }

  private static Answer read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      headBytes.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    if (matched < 4) {
      return Answer.NONE;
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    Answer shell = new Answer(status, headers, new byte[0]);
    byte[] body;
    if (head || status == 304 || status == 204) {
      body = new byte[0];
    } else if (shell.header("Content-Type").orElse("").startsWith("text/event-stream")) {
      body = firstEvent(in);
    } else if (shell.header("Transfer-Encoding").orElse("").equalsIgnoreCase("chunked")) {
      body = dechunk(in);
    } else if (shell.header("Content-Length").isPresent()) {
      body = in.readNBytes(Integer.parseInt(shell.header("Content-Length").get()));
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, body);
  }

  private static byte[] firstEvent(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int previous = -1;
    int b;
    while ((b = in.read()) >= 0 && !(b == '\n' && previous == '\n')) {
      out.write(b);
      previous = b;
    }
    return out.toByteArray();
  }

  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.writeBytes(in.readNBytes(n));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }

  static String preview(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 400), StandardCharsets.UTF_8);
    return s + (request.length > 400 ? "… (" + request.length + " bytes)" : "");
  }
}
