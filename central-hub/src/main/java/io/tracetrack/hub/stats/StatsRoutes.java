package io.tracetrack.hub.stats;

import io.tracetrack.model.ErrorCode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.util.Set;

/** {@code GET /api/v1/stats}: the dashboard; a dispatcher gets their own area's figures only. */
public final class StatsRoutes implements HttpService {

  private static final Set<Role> ANY_DESK = Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER);

  private final Stats stats;
  private final Access access;

  public StatsRoutes(Stats stats, Access access) {
    this.stats = stats;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/stats", access.allow(ANY_DESK, this::dashboard));
  }

  private void dashboard(ServerRequest req, ServerResponse res, Caller caller) {
    boolean dispatcher = caller.principal().role() == Role.DISPATCHER;
    if (dispatcher && caller.principal().area() == null) {
      throw new ApiProblem(403, ErrorCode.NO_AREA, "a dispatcher without an area sees no figures");
    }
    Http.json(res, 200, stats.current(dispatcher ? caller.principal().area() : null));
  }
}
