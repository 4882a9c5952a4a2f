package kefu.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import kefu.protocol.Json;
import kefu.protocol.Rid;
import kefu.protocol.WxError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helidon's own answers, to requests that never reach the routing (a malformed request line or header, a framing
 * that cannot be read, a body over the listener's cap, an HTTP version other than 1.x), in WeChat's shape:
 * {@code {"errcode":47001,"errmsg":"data format error: malformed HTTP request (…) rid: …"}} with Helidon's 4xx
 * status. What Helidon would answer with a 5xx is a request it could not read as well (it calls a control character
 * in the method or an end of stream inside the headers an internal error): HTTP 400, and a warning in the log.
 */
public final class TransportErrors implements DirectHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TransportErrors.class);

  private final Clock clock;

  private TransportErrors(Clock clock) {
    this.clock = clock;
  }

  /** A handler for every kind of event Helidon answers itself. */
  public static DirectHandlers all(Clock clock) {
    TransportErrors errors = new TransportErrors(clock);
    DirectHandlers.Builder handlers = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      handlers.addHandler(type, errors);
    }
    return handlers.build();
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                  ServerResponseHeaders headers, String message) {
    String rid = Rid.of(clock.instant(), ThreadLocalRandom.current());
    Status status = defaultStatus.code() < 500 ? defaultStatus : Status.BAD_REQUEST_400;
    if (defaultStatus.code() >= 500 && defaultStatus.code() != Status.HTTP_VERSION_NOT_SUPPORTED_505.code()) {
      // Helidon reports some unreadable requests (a control character in the method, an end of stream inside the
      // headers) as its own internal error, and it logs nothing once the status is not 500
      LOG.warn("rid {}: {} {} answered 400: Helidon could not read it ({} {})", rid, request.method(), request.path(),
          defaultStatus.code(), message);
    }
    String body = Json.write(Endpoints.errorBody(WxError.DATA_FORMAT_ERROR, detail(defaultStatus, message), rid));
    headers.set(HeaderNames.CONTENT_TYPE, Endpoints.JSON_CONTENT_TYPE);
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .entity(body.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static String detail(Status status, String message) {
    if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
      return "the body is larger than kefu accepts";
    }
    if (status.code() == Status.HTTP_VERSION_NOT_SUPPORTED_505.code()) {
      return "HTTP/1.0 and HTTP/1.1 only";
    }
    return status.code() >= 500 || message == null || message.isBlank() ? "malformed HTTP request"
        : "malformed HTTP request (" + message.strip() + ")";
  }
}
