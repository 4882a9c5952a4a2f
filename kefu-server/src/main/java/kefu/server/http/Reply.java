package kefu.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import kefu.protocol.WxError;

/** What an endpoint answers, as a value; {@link Endpoints} renders it. */
public sealed interface Reply {
  /** The errcode the journal records for this reply. */
  int errcode();

  /** {@code {"errcode":0,"errmsg":"ok"}}. */
  record Ok() implements Reply {
    @Override
    public int errcode() {
      return 0;
    }
  }

  /** A data answer (token, upload, platform API): the body as given, no errcode added. */
  record Json(ObjectNode body) implements Reply {
    public Json {
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int errcode() {
      return 0;
    }
  }

  /** An error in WeChat's shape. {@code detail}, when not null, follows the errmsg text (platform API only). */
  record Error(WxError error, String detail) implements Reply {
    public Error {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public int errcode() {
      return error.code();
    }
  }

  /**
   * An answer in WeChat's shape with any errcode and errmsg text (the rid is added), HTTP 200: an injected fault,
   * which may carry a code {@link WxError} does not know.
   */
  record Code(int errcode, String errmsg) implements Reply {
    public Code {
      Objects.requireNonNull(errmsg, "errmsg");
    }
  }

  /**
   * No answer at all: the connection is closed (an injected fault). {@code errcode} is what the journal records:
   * the answer the call would have had, or -1 when it did not run.
   */
  record Dropped(int errcode) implements Reply {}

  /** Bytes downloaded as an attachment ({@code media/get}). */
  record Attachment(byte[] bytes, String contentType, String filename) implements Reply {
    @Override
    public int errcode() {
      return 0;
    }
  }

  Reply OK = new Ok();

  static Reply error(WxError error) {
    return new Error(error, null);
  }

  static Reply error(WxError error, String detail) {
    return new Error(error, detail);
  }

  static Reply json(ObjectNode body) {
    return new Json(body);
  }
}
