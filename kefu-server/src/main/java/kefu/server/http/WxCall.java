package kefu.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import kefu.protocol.fault.FaultMark;

/**
 * One request as an endpoint sees it: the instant read once from the clock (every rule in the request sees the
 * same one), its rid, its query and body. Confined to the request's thread; {@link #identify} records who the call
 * was about, and {@link #fault(FaultMark)} the fault injected into it, for the journal.
 */
public final class WxCall {
  private final ServerRequest request;
  private final Instant now;
  private final String rid;
  private String appid = "";
  private String openid = "";
  private FaultMark fault = FaultMark.NONE;
  /**
   * The entity, opened by the first {@link #readBody}; what has been read of it; whether that is all of it, or it
   * could not be read.
   */
  private InputStream entity;
  private byte[] read = new byte[0];
  private boolean complete;
  private boolean unreadable;

  public WxCall(ServerRequest request, Instant now, String rid) {
    this.request = request;
    this.now = now;
    this.rid = rid;
  }

  public ServerRequest request() {
    return request;
  }

  public Instant now() {
    return now;
  }

  public String rid() {
    return rid;
  }

  public Method method() {
    return request.prologue().method();
  }

  public boolean isPost() {
    return Method.POST.equals(method());
  }

  /** The first value of a query parameter. */
  public Optional<String> query(String name) {
    return request.query().first(name).asOptional();
  }

  public String pathParam(String name) {
    return request.path().pathParameters().get(name);
  }

  public Optional<String> header(String name) {
    return request.headers().first(io.helidon.http.HeaderNames.create(name));
  }

  /** What reading the body gave: its bytes, or why there are none. */
  public sealed interface Body {
    record Read(byte[] bytes) implements Body {}

    /** Larger than the limit; the rest is left for the server to discard. */
    record TooLarge() implements Body {}

    /** Framing that cannot be read (a chunk size that is not hex), or the client stopped before its Content-Length. */
    record Unreadable() implements Body {}
  }

  /**
   * The body, at most {@code limit} bytes. A request without a body reads as zero bytes. It may be read again, with
   * any limit: the bytes read are kept (fault injection looks into a body before the endpoint reads it).
   */
  public Body readBody(int limit) {
    if (!request.content().hasEntity()) {
      return new Body.Read(new byte[0]);
    }
    if (!unreadable && !complete && read.length <= limit) {
      try {
        if (entity == null) {
          entity = request.content().inputStream();
        }
        int wanted = limit + 1 - read.length;
        byte[] more = entity.readNBytes(wanted);
        read = Arrays.copyOf(read, read.length + more.length);
        System.arraycopy(more, 0, read, read.length - more.length, more.length);
        complete = more.length < wanted;
        if (complete) {
          entity.close();
        }
      } catch (IOException | RuntimeException brokenByTheClient) {
        // Helidon reports a broken chunked framing or an early end of the stream with unchecked exceptions
        unreadable = true;
      }
    }
    if (unreadable) {
      return new Body.Unreadable();
    }
    return read.length > limit ? new Body.TooLarge() : new Body.Read(read);
  }

  /** The body, at most {@code limit} bytes; empty when it is larger or cannot be read (see {@link #readBody}). */
  public Optional<byte[]> body(int limit) {
    return readBody(limit) instanceof Body.Read read ? Optional.of(read.bytes()) : Optional.empty();
  }

  public void identify(String appid, String openid) {
    this.appid = appid == null ? "" : appid;
    this.openid = openid == null ? "" : openid;
  }

  public String appid() {
    return appid;
  }

  public String openid() {
    return openid;
  }

  /** Marks the call with the fault injected into it. */
  public void fault(FaultMark mark) {
    this.fault = mark;
  }

  public FaultMark fault() {
    return fault;
  }
}
