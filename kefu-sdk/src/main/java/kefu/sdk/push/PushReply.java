package kefu.sdk.push;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PushReceiver} answers, as a value: write {@link #status()}, {@link #contentType()} and
 * {@link #body()} with whatever HTTP server you use. The variants tell what happened, for logs and tests.
 */
public sealed interface PushReply {
  String SUCCESS = "success";
  String TEXT_PLAIN = "text/plain; charset=utf-8";

  int status();

  String contentType();

  String body();

  default byte[] bodyBytes() {
    return body().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The handler saw the push. {@code reaction} is what was rendered: {@code success}, or the transfer reply (in the
   * push's format; encrypted in secure mode). {@code warning} says why the handler's reaction was not followed (a
   * transfer asked for an event, spec §7).
   */
  record Answered(Inbound inbound, Reaction reaction, String contentType, String body, Optional<String> warning)
      implements PushReply {
    public Answered {
      Objects.requireNonNull(inbound, "inbound");
      Objects.requireNonNull(reaction, "reaction");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(warning, "warning");
    }

    @Override
    public int status() {
      return 200;
    }
  }

  /** The same push (same {@link Inbound#dedupKey()}) was handled within the TTL: {@code success}, no handler call. */
  record Duplicate(Inbound inbound, String key) implements PushReply {
    @Override
    public int status() {
      return 200;
    }

    @Override
    public String contentType() {
      return TEXT_PLAIN;
    }

    @Override
    public String body() {
      return SUCCESS;
    }
  }

  /** The URL check (spec §6.2) passed: the echostr, verbatim. */
  record Echo(String echostr) implements PushReply {
    public Echo {
      Objects.requireNonNull(echostr, "echostr");
    }

    @Override
    public int status() {
      return 200;
    }

    @Override
    public String contentType() {
      return TEXT_PLAIN;
    }

    @Override
    public String body() {
      return echostr;
    }
  }

  /** Refused, with the kind of problem (which decides the answer) and a detail for logs. */
  record Rejected(Rejection rejection, String detail) implements PushReply {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public int status() {
      return rejection.status();
    }

    @Override
    public String contentType() {
      return TEXT_PLAIN;
    }

    @Override
    public String body() {
      return rejection.answer();
    }
  }
}
