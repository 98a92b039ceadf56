package io.tracetrack.hub.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Builds the routing and the server: security headers on every answer, errors mapped once. */
public final class HubServer {

  private static final Logger LOG = Logger.getLogger(HubServer.class.getName());

  private HubServer() {}

  /** A feature's routes and the path prefix they are mounted under (several may share one). */
  public record Mount(String prefix, HttpService service) {}

  public static void routing(HttpRouting.Builder routing, List<Mount> mounts, List<Filter> filters) {
    filters.forEach(routing::addFilter);
    routing.addFilter((chain, req, res) -> {
      res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
      res.header(HeaderNames.create("X-Frame-Options"), "DENY");
      res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
      res.header(HeaderNames.create("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'");
      res.header(HeaderNames.CACHE_CONTROL, "no-store");
      res.header(HeaderNames.create("X-Request-Id"), Http.requestId(req));
      chain.proceed();
    });
    mounts.forEach(m -> routing.register(m.prefix(), m.service()));
    routing
        .error(HttpException.class, (req, res, e) -> {
          int status = e.status().code();
          Http.problem(res, status, switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "BODY_TOO_LARGE";
            default -> "HTTP_" + status;
          }, e.status().reasonPhrase());
        })
        .error(Exception.class, (req, res, e) -> {
          LOG.log(Level.SEVERE, "unhandled error on " + req.prologue().method() + " " + req.path().path(), e);
          if (!res.isSent()) {
            Http.problem(res, 500, "INTERNAL_ERROR", "something went wrong on the hub; the log has details");
          }
        });
  }

  public static WebServer start(String bind, int port, List<Mount> mounts, List<Filter> filters) {
    return WebServer.builder()
        .host(bind)
        .port(port)
        .maxPayloadSize(Http.MAX_BODY * 4L)
        .shutdownHook(true)
        .routing(routing -> routing(routing, List.copyOf(mounts), List.copyOf(filters)))
        .build()
        .start();
  }
}
