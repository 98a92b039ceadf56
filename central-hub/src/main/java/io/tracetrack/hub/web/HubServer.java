package io.tracetrack.hub.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.tracetrack.web.HostPolicy;
import io.tracetrack.web.WebServers;
import io.tracetrack.web.WebSettings;
import java.util.List;

/** The hub's web server: the kit's guard and error mapping around the features' routes. */
public final class HubServer {

  private HubServer() {}

  /** Largest request body of every route but the imports and a dock's push. */
  public static final long MAX_PAYLOAD = Http.MAX_BODY * 4L;

  /** Where docks push their ops: a full batch of long but valid ops is far over {@link #MAX_PAYLOAD}. */
  static final String PUSH_PATH = "/api/v1/sync/push";

  /** A feature's routes and the path prefix they are mounted under (several may share one). */
  public record Mount(String prefix, HttpService service) {}

  /**
   * @param allowedHosts the Host names answered; empty answers any (the hub runs behind proxies
   *     that choose the name), so the Host check is off unless configured
   */
  public static WebSettings settings(String bind, int port, List<String> allowedHosts) {
    HostPolicy hosts = allowedHosts.isEmpty() ? HostPolicy.any() : HostPolicy.loopbackAnd(bind, allowedHosts);
    // bearer tokens are not sent by browsers on their own, so other sites may call the API
    // the server reads up to an import file; every other route keeps MAX_PAYLOAD (see routing)
    return new WebSettings("hub", bind, port, io.tracetrack.hub.io.ImportRoutes.DEFAULT_MAX_BYTES, hosts, false,
        WebSettings.DEFAULT_READ_TIMEOUT);
  }

  public static void routing(HttpRouting.Builder routing, WebSettings settings, List<Mount> mounts, List<Filter> filters) {
    filters.forEach(routing::addFilter);
    WebServers.routing(settings, r -> {
      r.addFilter((chain, req, res) -> {
        res.header(HeaderNames.create("X-Request-Id"), Http.requestId(req));
        // Helidon's payload limit is server-wide and raised for imports: a declared body past the
        // old limit is refused here for every other route, before anything reads it (a chunked one
        // meets the JSON reader's own limit)
        long length = req.headers().contentLength().orElse(-1L);
        long limit = limit(req.path().path());
        if (length > limit) {
          res.header(HeaderNames.CONNECTION, "close");
          io.tracetrack.web.Problems.send(res, 413, io.tracetrack.model.ErrorCode.BODY_TOO_LARGE,
              "the body is larger than " + limit + " bytes");
          return;
        }
        chain.proceed();
      });
      mounts.forEach(m -> r.register(m.prefix(), m.service()));
    }).accept(routing);
  }

  /**
   * The largest body a route takes: an import file, a dock's push (the edge cuts its batches by
   * bytes to stay under {@link io.tracetrack.sync.WireCodec#MAX_PUSH_BYTES}, so the two must agree),
   * or {@link #MAX_PAYLOAD}.
   */
  static long limit(String path) {
    if (path.startsWith(io.tracetrack.hub.io.ImportRoutes.PATH_PREFIX)) {
      return Long.MAX_VALUE;
    }
    return path.equals(PUSH_PATH) ? io.tracetrack.sync.WireCodec.MAX_PUSH_BYTES : MAX_PAYLOAD;
  }

  public static WebServer start(String bind, int port, List<Mount> mounts, List<Filter> filters) {
    return start(settings(bind, port, List.of()), mounts, filters);
  }

  public static WebServer start(WebSettings settings, List<Mount> mounts, List<Filter> filters) {
    List<Mount> m = List.copyOf(mounts);
    List<Filter> f = List.copyOf(filters);
    return WebServers.start(settings, routing -> routing(routing, settings, m, f));
  }
}
