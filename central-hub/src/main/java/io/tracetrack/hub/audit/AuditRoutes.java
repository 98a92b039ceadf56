package io.tracetrack.hub.audit;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/audit} (filters: actor, entityType, entityId; keyset paging with
 * {@code before}) and {@code POST /api/v1/audit/verify}. Admins only.
 */
public final class AuditRoutes implements HttpService {

  private static final int PAGE = 200;

  private final AuditLog audit;
  private final Access access;

  public AuditRoutes(AuditLog audit, Access access) {
    this.audit = audit;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/audit", this::query).post("/audit/verify", this::verify);
  }

  private void query(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    var q = req.query();
    Optional<Long> before;
    int limit;
    try {
      before = q.first("before").asOptional().map(Long::parseLong);
      limit = q.first("limit").asOptional().map(Integer::parseInt).orElse(50);
    } catch (NumberFormatException e) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "before and limit must be whole numbers");
      return;
    }
    if (limit < 1 || limit > PAGE) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "limit must be 1.." + PAGE);
      return;
    }
    List<AuditLog.Entry> entries = audit.query(q.first("actor").asOptional(), q.first("entityType").asOptional(),
        q.first("entityId").asOptional(), before, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entries", entries);
    out.put("next", entries.size() == limit ? entries.getLast().id() : null);
    Http.json(res, 200, out);
  }

  private void verify(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN).isEmpty()) {
      return;
    }
    Http.json(res, 200, audit.verify());
  }
}
