package io.tracetrack.web;

import java.time.Duration;
import java.util.Objects;

/**
 * How an app's web server is set up; each app builds one from its own typed config.
 *
 * @param app the app's name in log lines and 500 answers ("dock", "hub")
 * @param bind listen address
 * @param port listen port (0 = any free port)
 * @param maxPayload largest request body the server reads at all (413 past it, before any handler)
 * @param hosts which Host header values are answered
 * @param sameOriginOnly refuse requests whose {@code Origin} is another site (the dock's page uses
 *     a session token a foreign page could otherwise drive; the hub's API is called cross-site)
 * @param readTimeout how long a read of request headers or body may stall before the connection is closed
 */
public record WebSettings(String app, String bind, int port, long maxPayload, HostPolicy hosts, boolean sameOriginOnly,
    Duration readTimeout) {

  /** Long enough for a scanner on a flaky dock Wi-Fi, short enough that stalled sockets do not pile up. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  public WebSettings {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxPayload < 1) {
      throw new IllegalArgumentException("maxPayload must be positive, got " + maxPayload);
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive, got " + readTimeout);
    }
  }
}
