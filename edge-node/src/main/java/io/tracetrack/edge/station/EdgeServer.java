package io.tracetrack.edge.station;

import io.helidon.webserver.WebServer;
import io.tracetrack.web.HostPolicy;
import io.tracetrack.web.JsonBody;
import io.tracetrack.web.WebServers;
import io.tracetrack.web.WebSettings;
import java.util.List;

/** The dock's web server: the kit's guard (loopback Host names, same origin only) around the station routes. */
public final class EdgeServer {

  /** Large enough for a 100,000-character scan (so it gets the same answer as on the terminal). */
  static final JsonBody BODY = new JsonBody(256 * 1024, 16);

  private EdgeServer() {}

  /**
   * @param allowedHosts host names the dock answers besides loopback and its bind address
   *     ({@code --allowed-hosts}, for a dock opened to the network on purpose)
   */
  public static WebSettings settings(String bind, int port, List<String> allowedHosts) {
    return new WebSettings("dock", bind, port, BODY.maxBytes() * 2L, HostPolicy.loopbackAnd(bind, allowedHosts), true,
        WebSettings.DEFAULT_READ_TIMEOUT);
  }

  public static WebServer start(String bind, int port, StationApi api, PageRoutes pages) {
    return start(settings(bind, port, List.of()), api, pages);
  }

  public static WebServer start(WebSettings settings, StationApi api, PageRoutes pages) {
    return WebServers.start(settings, WebServers.routing(settings, routing -> routing
        .register("/api", api)
        .register("/", pages)));
  }
}
