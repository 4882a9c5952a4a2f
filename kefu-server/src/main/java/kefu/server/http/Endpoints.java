package kefu.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import kefu.protocol.Json;
import kefu.protocol.Rid;
import kefu.protocol.WxError;
import kefu.store.JournalEntry;
import kefu.store.Store;

/**
 * The routing edge: turns an {@link Endpoint} (call in, {@link Reply} out) into a Helidon handler, renders the reply
 * in WeChat's shape and, for the WeChat API, runs the endpoint through {@link Around} (fault injection) and records
 * the call in the journal.
 */
public final class Endpoints {
  public static final String JSON_CONTENT_TYPE = "application/json; encoding=utf-8";

  /** An endpoint: decides, given the call; never writes the response itself. */
  @FunctionalInterface
  public interface Endpoint {
    Reply handle(WxCall call);
  }

  /** What runs a WeChat-API endpoint: it may answer instead of the endpoint, or change its answer. */
  @FunctionalInterface
  public interface Around {
    Reply run(WxCall call, Endpoint endpoint);
  }

  private final Clock clock;
  private final Store store;
  private final Around around;

  public Endpoints(Clock clock, Store store, Around around) {
    this.clock = clock;
    this.store = store;
    this.around = around;
  }

  /** A WeChat-API endpoint: rendered and journaled. */
  public Handler wechat(Endpoint endpoint) {
    return (req, res) -> {
      long started = System.nanoTime();
      WxCall call = begin(req);
      Reply reply = around.run(call, endpoint);
      long micros = (System.nanoTime() - started) / 1000;
      JournalEntry entry = new JournalEntry(0, call.now(), call.method().text(), req.path().path(),
          call.appid(), call.openid(), reply.errcode(), micros, call.rid(), call.fault());
      // queued before the answer goes out, so a journal read that follows the answer finds it (see Store.flush)
      store.submit(tx -> tx.journal().append(entry));
      render(call, reply, res);
    };
  }

  /** A platform-API endpoint: rendered, not journaled. */
  public Handler platform(Endpoint endpoint) {
    return (req, res) -> {
      WxCall call = begin(req);
      render(call, endpoint.handle(call), res);
    };
  }

  public WxCall begin(ServerRequest req) {
    Instant now = clock.instant();
    return new WxCall(req, now, Rid.of(now, ThreadLocalRandom.current()));
  }

  /** Sends the reply; a {@link Reply.Dropped} closes the connection instead, without an answer. */
  public static void render(WxCall call, Reply reply, ServerResponse res) {
    if (reply instanceof Reply.Dropped) {
      throw new CloseConnectionException("fault injection: connection dropped (rid " + call.rid() + ")");
    }
    if (reply instanceof Reply.Attachment a) {
      res.header(HeaderNames.CONTENT_TYPE, a.contentType());
      res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + a.filename() + "\"");
      res.header(HeaderNames.CACHE_CONTROL, "no-cache, must-revalidate");
      res.send(a.bytes());
      return;
    }
    ObjectNode body;
    if (reply instanceof Reply.Json j) {
      body = j.body();
    } else if (reply instanceof Reply.Code c) {
      body = Json.newObject().put("errcode", c.errcode()).put("errmsg", c.errmsg() + " rid: " + call.rid());
    } else if (reply instanceof Reply.Error e) {
      body = errorBody(e.error(), e.detail(), call.rid());
      res.status(statusOf(e.error()));
    } else {
      body = Json.newObject().put("errcode", 0).put("errmsg", WxError.OK.message());
    }
    res.header(HeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
    res.send(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  public static ObjectNode errorBody(WxError error, String detail, String rid) {
    String text = detail == null ? error.errmsg(rid) : error.message() + ": " + detail + " rid: " + rid;
    return Json.newObject().put("errcode", error.code()).put("errmsg", text);
  }

  private static Status statusOf(WxError error) {
    return switch (error) {
      case NO_SUCH_PATH -> Status.NOT_FOUND_404;
      case ADMIN_TOKEN_REQUIRED -> Status.UNAUTHORIZED_401;
      case CONFLICT -> Status.CONFLICT_409;
      default -> Status.OK_200;
    };
  }
}
