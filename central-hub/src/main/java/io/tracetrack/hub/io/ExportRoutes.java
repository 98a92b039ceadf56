package io.tracetrack.hub.io;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code GET /api/v1/exports/{bags,scans,bills,user-activity}.{csv,xlsx}}: every row the filters let
 * through, streamed from a database cursor straight into the response (no row cap, constant memory).
 * Filters: {@code from}/{@code to} (days in the deployment's zone, both included), {@code area},
 * {@code status}. Admins and billers; dispatchers get their own area's bags and scans only; user
 * activity is for admins.
 */
public final class ExportRoutes implements HttpService {

  private static final Set<Role> ANY_DESK = Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER);
  private static final Set<Role> BILLING = Set.of(Role.ADMIN, Role.BILLER);
  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private static final Set<String> RANGE_AREA_STATUS = Set.of("from", "to", "area", "status");
  private static final Set<String> RANGE_STATUS = Set.of("from", "to", "status");
  private static final Set<String> BAG_ROLES = Set.of("PARENT", "CHILD");
  private static final Set<String> EVENT_KINDS = Set.of("CREATE_PARENT", "CREATE_CHILD", "LINK", "UNLINK", "FINISH");
  private static final Set<String> BILL_STATUSES = Set.of("OPEN", "FINALIZED");
  private static final Set<String> ROLES = Set.of("ADMIN", "BILLER", "DISPATCHER");

  private final ExportStore store;
  private final Access access;
  private final ZoneId zone;

  public ExportRoutes(HubDatabase db, Access access, ZoneId zone) {
    this.store = new ExportStore(db);
    this.access = access;
    this.zone = zone;
  }

  /** One export: who may have it, which filters it takes, its columns and its query. */
  private record Export(String name, Set<Role> roles, Set<String> filters, Set<String> statuses, boolean areaScoped,
      List<String> columns, BiConsumer<ExportFilter, ExportStore.Rows> query) {}

  @Override
  public void routing(HttpRules rules) {
    for (Export e : List.of(
        new Export("bags", ANY_DESK, RANGE_AREA_STATUS, BAG_ROLES, true, ExportStore.BAG_COLUMNS, store::bags),
        new Export("scans", ANY_DESK, RANGE_AREA_STATUS, EVENT_KINDS, true, ExportStore.SCAN_COLUMNS, store::scans),
        new Export("bills", BILLING, RANGE_STATUS, BILL_STATUSES, false, ExportStore.BILL_COLUMNS, store::bills),
        new Export("user-activity", ADMIN, RANGE_AREA_STATUS, ROLES, false, ExportStore.USER_ACTIVITY_COLUMNS,
            store::userActivity))) {
      for (ExportFormat format : ExportFormat.values()) {
        rules.get("/exports/" + e.name() + "." + format.extension(),
            access.allow(e.roles(), (req, res, caller) -> export(req, res, caller, e, format)));
      }
    }
  }

  private void export(ServerRequest req, ServerResponse res, Caller caller, Export e, ExportFormat format) {
    ExportFilter filter = ExportFilter.parse(query(req), zone, e.filters(), e.statuses());
    if (e.areaScoped() && caller.principal().role() == Role.DISPATCHER) {
      String own = caller.principal().area();
      if (filter.area() != null && !filter.area().equals(own)) {
        throw new ApiProblem(403, ErrorCode.FORBIDDEN, "a dispatcher exports their own area (" + own + ") only");
      }
      filter = filter.inArea(own);
    }
    ExportFilter f = filter;
    Download.stream(res, e.name() + "." + format.extension(), format, e.columns(), rows -> e.query().accept(f, rows));
  }

  /** The query parameters, each once: a repeated one is ambiguous, so refused. */
  static Map<String, String> query(ServerRequest req) {
    Map<String, String> out = new HashMap<>();
    for (String name : req.query().names()) {
      List<String> values = req.query().all(name);
      if (values.size() != 1) {
        throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "give each filter once");
      }
      out.put(name, values.getFirst());
    }
    return out;
  }
}
