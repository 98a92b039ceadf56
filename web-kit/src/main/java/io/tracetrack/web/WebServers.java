package io.tracetrack.web;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.tracetrack.model.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds a web server the way both apps want it: security headers on every answer, the Host
 * allow-list and the same-origin check before any route, strict HTTP/1 parsing with read
 * timeouts, and every refusal — also those the server makes before routing (a broken request
 * line, headers too large, a bad Content-Length) — as problem+json with a stable code.
 */
public final class WebServers {

  private static final Logger LOG = Logger.getLogger(WebServers.class.getName());

  /**
   * No inline script or style, nothing from elsewhere; pages are not framed, forms post home only.
   */
  public static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** Request line (method, path, version) longer than this: 414. */
  public static final int MAX_PROLOGUE = 4096;
  /** All request headers together larger than this: 431. */
  public static final int MAX_HEADERS = 16 * 1024;

  /** How often idle connections are looked for, at most. */
  static final java.time.Duration IDLE_CHECK = java.time.Duration.ofSeconds(5);

  /**
   * How often idle connections are looked for: every {@link #IDLE_CHECK}, or every half read timeout
   * when that is shorter, so a short timeout is not stretched by the sweep (a stalled request line
   * under a 2 s read timeout, idle after 4 s, waited for a 5 s sweep to be closed at about 9.7 s);
   * never more often than once a second.
   */
  static java.time.Duration idleCheck(java.time.Duration readTimeout) {
    java.time.Duration half = readTimeout.dividedBy(2);
    java.time.Duration second = java.time.Duration.ofSeconds(1);
    return half.compareTo(second) < 0 ? second : half.compareTo(IDLE_CHECK) < 0 ? half : IDLE_CHECK;
  }

  private static final java.util.regex.Pattern CONTENT_LENGTH = java.util.regex.Pattern.compile("[0-9]{1,18}");

  /** Where the guard leaves the read timeout for body readers. */
  static final String READ_TIMEOUT = "tracetrack.read-timeout";

  private WebServers() {}

  /** How long a body read of this request may stall: the server's setting, or the default outside one. */
  static java.time.Duration readTimeout(io.helidon.webserver.http.ServerRequest req) {
    return req.context().get(READ_TIMEOUT, java.time.Duration.class).orElse(WebSettings.DEFAULT_READ_TIMEOUT);
  }

  /**
   * The filter every request passes first: security headers, then the Host allow-list, then (when
   * asked for) the same-origin check. Answers {@code no-store} unless a handler says otherwise.
   */
  public static Filter guard(WebSettings settings) {
    return (chain, req, res) -> {
      securityHeaders(res.headers());
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      req.context().register(READ_TIMEOUT, settings.readTimeout()); // JsonBody reads the body within it
      String host = req.headers().value(HeaderNames.HOST).orElse(null);
      if (!settings.hosts().allows(host)) {
        // 421: "this server does not answer for that name"; nothing behind it runs
        Problems.send(res, 421, ErrorCode.HOST_NOT_ALLOWED,
            "this server does not answer for that host name; see --allowed-hosts");
        return;
      }
      String contentLengths = String.join(",", req.headers().all(HeaderNames.CONTENT_LENGTH, List::of));
      if (!contentLengths.isEmpty() && !CONTENT_LENGTH.matcher(contentLengths).matches()
          || req.headers().contains(HeaderNames.TRANSFER_ENCODING) && req.headers().contains(HeaderNames.CONTENT_LENGTH)) {
        // two framings of one body (a proxy in front may have read it the other way: request
        // smuggling), or a length that is no length (-1 once left the handler waiting forever)
        res.header(HeaderNames.CONNECTION, "close");
        Problems.send(res, 400, ErrorCode.BAD_REQUEST, "one Content-Length of 0 or more, or Transfer-Encoding; not both");
        return;
      }
      String origin = req.headers().value(HeaderNames.ORIGIN).orElse(null);
      if (settings.sameOriginOnly() && origin != null && !sameOrigin(origin, host)) {
        Problems.send(res, 403, ErrorCode.CROSS_ORIGIN, "requests from other sites are refused");
        return;
      }
      chain.proceed();
    };
  }

  /**
   * Maps what no handler answered, once: refused requests ({@link ApiProblem}, thrown by the
   * parsing helpers and the role checks), Helidon's own refusals, and unexpected failures.
   */
  public static void errors(HttpRouting.Builder routing, String app) {
    routing
        .error(ApiProblem.class, (req, res, e) -> Problems.send(res, e))
        .error(HttpException.class, (req, res, e) -> {
          int status = e.status().code();
          Problems.send(res, status, ErrorCode.forStatus(status), e.status().reasonPhrase());
        })
        .error(Exception.class, (req, res, e) -> {
          if (clientGone(e)) {
            // a client that hangs up mid-request is ordinary on dock Wi-Fi, not a server fault
            LOG.log(Level.FINE, () -> "client left during " + req.prologue().method() + " " + req.path().path() + ": " + e);
            return;
          }
          LOG.log(Level.SEVERE, "unhandled error on " + req.prologue().method() + " " + req.path().path(), e);
          if (!res.isSent()) {
            Problems.send(res, 500, ErrorCode.INTERNAL_ERROR, "something went wrong on the " + app + "; the log has details");
          }
        });
  }

  /** Starts a server with {@code routes} behind the guard, on the settings' address. */
  public static WebServer start(WebSettings settings, Consumer<HttpRouting.Builder> routes) {
    return WebServer.builder()
        .host(settings.bind())
        .port(settings.port())
        .maxPayloadSize(settings.maxPayload())
        .shutdownHook(true)
        // A connection waiting for a request line (a new one, or kept alive) is closed after this
        // long, checked every few seconds; Helidon interrupts such a wait itself. Stalls after the
        // request line are StallGuard's (headers) and JsonBody's (body).
        .idleConnectionTimeout(settings.readTimeout().multipliedBy(2))
        .idleConnectionPeriod(idleCheck(settings.readTimeout()))
        .addProtocol(Http1Config.builder()
            .maxPrologueLength(MAX_PROLOGUE)
            .maxHeadersSize(MAX_HEADERS)
            .validateRequestHeaders(true)
            .validateRequestHostHeader(true)
            .validatePath(true)
            .addReceiveListener(new StallGuard(settings.readTimeout()))
            .build())
        .directHandlers(directHandlers())
        .routing(routes)
        .build()
        .start();
  }

  /** The routing both apps build: guard first, then the app's routes, then error mapping. */
  public static Consumer<HttpRouting.Builder> routing(WebSettings settings, Consumer<HttpRouting.Builder> routes) {
    return routing -> {
      routing.addFilter(guard(settings));
      routes.accept(routing);
      errors(routing, settings.app());
    };
  }

  static DirectHandlers directHandlers() {
    DirectHandler problems = (request, event, status, headers, message) -> {
      securityHeaders(headers);
      headers.set(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE);
      headers.set(HeaderNames.CACHE_CONTROL, "no-store");
      int code = status.code();
      return DirectHandler.TransportResponse.builder()
          .status(status)
          .headers(headers)
          .entity(Problems.body(code, ErrorCode.forStatus(code), detail(status, message), Map.of()))
          // after a framing error the rest of the stream cannot be trusted to be the next request
          .keepAlive(false)
          .build();
    };
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
      builder.addHandler(type, problems);
    }
    return builder.build();
  }

  private static void securityHeaders(ServerResponseHeaders headers) {
    headers.set(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    headers.set(HeaderNames.create("X-Frame-Options"), "DENY");
    headers.set(HeaderNames.create("Referrer-Policy"), "no-referrer");
    headers.set(HeaderNames.create("Content-Security-Policy"), CSP);
  }

  private static String detail(Status status, String message) {
    if (message == null || message.isBlank()) {
      return status.reasonPhrase();
    }
    // the server's message may quote the request; keep it short and printable
    String shown = message.length() > 200 ? message.substring(0, 200) : message;
    return shown.codePoints().map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    return o.equals("http://" + h) || o.equals("https://" + h);
  }

  /**
   * Whether a failure means the client closed or broke the connection (not our fault). Only socket
   * failures count: any other I/O error in a handler (a full disk, say) is ours and gets a 500.
   */
  static boolean clientGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketException
          || t instanceof StallGuard.Stalled
          || t instanceof io.helidon.common.buffers.DataReader.InsufficientDataAvailableException
          || t.getClass().getName().equals("io.helidon.common.socket.SocketClosedException")) {
        return true;
      }
    }
    return false;
  }

}
