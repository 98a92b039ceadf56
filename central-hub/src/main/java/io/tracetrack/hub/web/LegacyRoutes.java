package io.tracetrack.hub.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * The old system's routes, so that an integrator moving over is pointed to the new one instead of
 * meeting a bare 404: {@code 308 Permanent Redirect} (which keeps the method and the body, unlike
 * 301/302) to the {@code /api/v1} route that does the same job, with the standard deprecation
 * headers — {@code Deprecation} (RFC 9745: the date the route was deprecated, the day this hub
 * took over) and {@code Link} (RFC 8288, {@code rel="successor-version"}). A redirect asks nothing
 * of the caller: the target decides who may see what, as if called directly.
 *
 * <ul>
 *   <li>{@code /api/bag/<qr>} → {@code /api/v1/bags/<qr>} (a bag, its children, bill and history);</li>
 *   <li>{@code /api/bills} → {@code /api/v1/bills} (list with {@code GET}, create with {@code POST});</li>
 *   <li>{@code /api/health} → {@code /health} (the database check, public as it was);</li>
 *   <li>{@code /api/system_health} → {@code /api/v1/system/health} (pool, caches and fleet; admins);</li>
 *   <li>{@code /eod_summary_preview} → {@code /#/eod} (the end-of-day page in the web UI).</li>
 * </ul>
 */
public final class LegacyRoutes implements HttpService {

  /** 2026-12-05T00:00:00Z, as RFC 9745's structured date: when the old routes were deprecated. */
  static final String DEPRECATED = "@1796428800";

  /**
   * The old path and its successor; a path under the old one keeps its tail (a bag code). {@code post}:
   * the old route also took a POST, which the 308 carries over with its body.
   */
  private record Move(String from, String to, boolean keepsTail, boolean post) {}

  private static final List<Move> MOVES = List.of(
      new Move("/api/bag/", "/api/v1/bags/", true, false),
      new Move("/api/bills", "/api/v1/bills", false, true),
      new Move("/api/health", "/health", false, false),
      new Move("/api/system_health", "/api/v1/system/health", false, false),
      new Move("/eod_summary_preview", "/#/eod", false, false));

  @Override
  public void routing(HttpRules rules) {
    for (Move move : MOVES) {
      String path = move.keepsTail() ? move.from() + "{code}" : move.from();
      rules.get(path, (req, res) -> redirect(req, res, move));
      if (move.post()) {
        rules.post(path, (req, res) -> redirect(req, res, move));
      }
    }
  }

  private static void redirect(ServerRequest req, ServerResponse res, Move move) {
    // the raw path keeps the caller's percent-encoding of the code; the query goes along unchanged
    String raw = req.path().rawPath();
    String target = move.keepsTail() ? move.to() + raw.substring(move.from().length()) : move.to();
    String query = req.query().rawValue();
    if (!query.isEmpty() && !target.contains("#")) {
      target = target + "?" + query;
    }
    res.status(Status.PERMANENT_REDIRECT_308);
    res.header(HeaderNames.LOCATION, target);
    res.header(HeaderNames.create("Deprecation"), DEPRECATED);
    res.header(HeaderNames.create("Link"), "<" + target + ">; rel=\"successor-version\"");
    res.send();
  }
}
