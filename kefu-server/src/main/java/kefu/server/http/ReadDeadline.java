package kefu.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow clients (slow loris): a request must arrive in full, head and body, within {@code timeout} of its request
 * line, else kefu closes its connection. Helidon 4.5 applies no read timeout to the connections it accepts (its
 * idle timeout interrupts a connection only while it waits for a request line), so a client trickling its headers
 * or its body a byte at a time held a connection for as long as it liked.
 *
 * <p>As a receive listener of Helidon's HTTP/1 connections it notes each request line ({@link #prologue}) and the
 * end of the head ({@link #headers}: a request without a body has then arrived); as the routing's first filter it
 * notes the request, whose content says when the body has been read: by the endpoint (the request is done with when
 * the filter returns), or drained by Helidon after the answer. A thread named {@code slow-clients} sweeps the
 * requests still arriving every quarter of the timeout and closes the connection of any still arriving at the fifth
 * sweep (between 1 and 1.25 timeouts): a request's own path only adds itself to a set and takes itself out, and no
 * request reads a clock.
 *
 * <p>Thread-safety: the set of arriving requests is concurrent. An {@link Arrival} is created and completed by its
 * connection's thread (the listener and the filter run on it, one request at a time) and read by the sweeper, through
 * volatile fields; only the sweeper counts its sweeps.
 */
public final class ReadDeadline implements Http1ConnectionListener, Filter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadDeadline.class);
  private static final int SWEEPS = 4;

  /** A request on its way in. */
  private static final class Arrival {
    final ConnectionContext connection;
    final HttpPrologue prologue;
    volatile ServerRequest request;
    int sweeps;

    Arrival(ConnectionContext connection, HttpPrologue prologue) {
      this.connection = connection;
      this.prologue = prologue;
    }

    /** Whether it is all in: the head has been read, and the body (there is one) too. */
    boolean arrived() {
      ServerRequest r = request;
      return r != null && r.content().consumed();
    }
  }

  private final Duration timeout;
  private final Set<Arrival> arriving = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<Arrival> current = new ThreadLocal<>();
  private final ScheduledExecutorService sweeper;

  public ReadDeadline(Duration timeout) {
    this.timeout = timeout;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("slow-clients")
        .daemon(true).unstarted(r));
    long period = Math.max(1, timeout.toMillis() / SWEEPS);
    sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    Arrival previous = current.get();
    if (previous != null) {
      arriving.remove(previous);
    }
    Arrival next = new Arrival(ctx, prologue);
    current.set(next);
    arriving.add(next);
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    Arrival a = current.get();
    if (a != null && !announcesBody(headers)) {
      arriving.remove(a);
      current.remove();
    }
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    Arrival a = current.get();
    if (a != null) {
      a.request = req;
    }
    chain.proceed();
    if (a != null && a.arrived()) {
      arriving.remove(a);
      current.remove();
    }
  }

  private static boolean announcesBody(Headers headers) {
    if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
      return true;
    }
    try {
      return headers.contentLength().orElse(0) != 0;
    } catch (RuntimeException notANumber) {
      return true;
    }
  }

  private void sweep() {
    for (Arrival a : arriving) {
      if (a.arrived()) {
        arriving.remove(a);
      } else if (++a.sweeps > SWEEPS) {
        arriving.remove(a);
        close(a);
      }
    }
  }

  private void close(Arrival a) {
    try {
      if (a.connection.serverSocket().isConnected()) {
        LOG.info("closed the connection of {} {} from {}: the request was not in after {} ms",
            a.prologue.method().text(), a.prologue.uriPath().path(), a.connection.remotePeer().host(),
            timeout.toMillis());
        a.connection.serverSocket().close();
      }
    } catch (RuntimeException alreadyGone) {
      // the client closed it first
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
