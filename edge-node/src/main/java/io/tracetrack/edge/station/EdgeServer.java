package io.tracetrack.edge.station;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Builds the routing and the web server; security headers and the cross-origin guard live here. */
public final class EdgeServer {

  private static final Logger LOG = Logger.getLogger(EdgeServer.class.getName());

  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private EdgeServer() {}

  /** The routing, shared by the real server and tests. */
  public static void routing(HttpRouting.Builder routing, StationApi api, PageRoutes pages) {
    routing
        .addFilter((chain, req, res) -> {
          res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
          res.header(HeaderNames.create("X-Frame-Options"), "DENY");
          res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
          res.header(HeaderNames.create("Content-Security-Policy"), CSP);
          if (req.path().path().startsWith("/api/")) {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
          }
          // A page from another site open on the dock machine must not drive the station.
          String origin = req.headers().value(HeaderNames.ORIGIN).orElse(null);
          String host = req.headers().value(HeaderNames.HOST).orElse("");
          if (origin != null && !origin.toLowerCase(Locale.ROOT).equals("http://" + host.toLowerCase(Locale.ROOT))) {
            Problem.send(res, 403, "CROSS_ORIGIN", "requests from other sites are refused");
            return;
          }
          chain.proceed();
        })
        .register("/api", api)
        .register("/", pages)
        .error(HttpException.class, (req, res, e) -> {
          // Helidon's own refusals (no such route, bad request line): same problem+json shape
          int status = e.status().code();
          Problem.send(res, status, switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "BODY_TOO_LARGE";
            default -> "HTTP_" + status;
          }, e.getMessage() == null ? e.status().reasonPhrase() : e.getMessage());
        })
        .error(Exception.class, (req, res, e) -> {
          LOG.log(Level.SEVERE, "unhandled error on " + req.prologue().method() + " " + req.path().path(), e);
          if (!res.isSent()) {
            Problem.send(res, 500, "INTERNAL_ERROR", "something went wrong on the dock; the log has details");
          }
        });
  }

  public static WebServer start(String bind, int port, StationApi api, PageRoutes pages) {
    return WebServer.builder()
        .host(bind)
        .port(port)
        .maxPayloadSize(RequestBody.MAX_BYTES * 2L)
        .shutdownHook(true)
        .routing(routing -> routing(routing, api, pages))
        .build()
        .start();
  }
}
