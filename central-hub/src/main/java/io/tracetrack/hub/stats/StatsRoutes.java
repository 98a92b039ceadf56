package io.tracetrack.hub.stats;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.util.Optional;

/** {@code GET /api/v1/stats}: the dashboard; a dispatcher gets their own area's figures only. */
public final class StatsRoutes implements HttpService {

  private final Stats stats;
  private final Access access;

  public StatsRoutes(Stats stats, Access access) {
    this.stats = stats;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/stats", this::dashboard);
  }

  private void dashboard(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.BILLER, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    String area = caller.get().principal().role() == Role.DISPATCHER ? caller.get().principal().area() : null;
    if (caller.get().principal().role() == Role.DISPATCHER && area == null) {
      Http.problem(res, 403, ErrorCode.NO_AREA, "a dispatcher without an area sees no figures");
      return;
    }
    Http.json(res, 200, stats.current(area));
  }
}
