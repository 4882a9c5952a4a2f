package kefu.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What kefu grants one client, against slow and abusive ones: at most {@code maxConnections} open connections
 * (more wait in the accept queue, in arrival order); a connection with no request for {@code idleTimeout} is
 * closed (also one still sending its request line); a request must arrive in full, head and body, within
 * {@code readTimeout} of its request line ({@link ReadDeadline}); a body over {@code maxBodyBytes} is refused with
 * a 413 before it is read (each endpoint has a lower limit of its own, answered in WeChat's shape).
 */
public record ClientLimits(int maxConnections, Duration idleTimeout, Duration readTimeout, long maxBodyBytes) {
  public static final ClientLimits DEFAULTS = new ClientLimits(1000, Duration.ofSeconds(60), Duration.ofSeconds(30),
      64L * 1024 * 1024);

  public ClientLimits {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max_connections must be positive, was " + maxConnections);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("idle_timeout_seconds must be at least 1");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("read_timeout_seconds must be positive");
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("max_body_bytes must be at least 1024, was " + maxBodyBytes);
    }
  }

  /**
   * How often Helidon looks for idle connections: a quarter of the timeout, so that one is closed between the
   * timeout and 1.25 times it (Helidon's own clock moves once a second).
   */
  public Duration idleCheckPeriod() {
    return idleTimeout.dividedBy(4);
  }
}
