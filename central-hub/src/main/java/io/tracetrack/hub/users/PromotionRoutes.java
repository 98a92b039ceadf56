package io.tracetrack.hub.users;

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
import io.tracetrack.web.Form;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/promotion-requests}: asking for a role, and deciding.
 *
 * <pre>
 * route                                    who        does
 * POST /promotion-requests                 any role   ask {role, reason, area? (for DISPATCHER)}; one pending at a time
 * GET  /promotion-requests                 ADMIN      list; ?status=PENDING|APPROVED|REJECTED&amp;before=&lt;id&gt;&amp;limit=
 * POST /promotion-requests/{id}/approve    ADMIN      approve {area?}: the role change passes every guard or nothing happens
 * POST /promotion-requests/{id}/reject     ADMIN      reject {note?}
 * </pre>
 */
public final class PromotionRoutes implements HttpService {

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private final Promotions promotions;
  private final Access access;

  public PromotionRoutes(Promotions promotions, Access access) {
    this.promotions = promotions;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/", access.allow(Access.ANYONE, this::ask))
        .get("/", access.allow(ADMIN, this::list))
        .post("/{id}/approve", access.allow(ADMIN, this::approve))
        .post("/{id}/reject", access.allow(ADMIN, this::reject));
  }

  private void ask(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("role", "reason", "area"));
    Role role = UserRoutes.role(f, true);
    String reason = f.required("reason", Promotions.MAX_REASON);
    String area = f.optional("area", 40);
    f.check();
    Replies.answer(res, promotions.request(caller, role, area, reason), 201);
  }

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    var q = req.query();
    Optional<Promotions.Status> status;
    try {
      status = q.first("status").asOptional().map(s -> Promotions.Status.valueOf(s.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("status is PENDING, APPROVED or REJECTED");
    }
    String before = q.first("before").asOptional().orElse(null);
    String limit = q.first("limit").asOptional().orElse("50");
    if ((before != null && !before.matches("[0-9]{1,18}")) || !limit.matches("[0-9]{1,3}")
        || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > Promotions.MAX_PAGE) {
      throw ApiProblem.invalid("before is a request id; limit is 1.." + Promotions.MAX_PAGE);
    }
    Http.json(res, 200, Map.of("items",
        promotions.list(status, Optional.ofNullable(before).map(Long::parseLong), Integer.parseInt(limit))));
  }

  private void approve(ServerRequest req, ServerResponse res, Caller caller) {
    Replies.answer(res, promotions.approve(id(req), optionalField(req, "area", 40), caller), 200);
  }

  private void reject(ServerRequest req, ServerResponse res, Caller caller) {
    Replies.answer(res, promotions.reject(id(req), optionalField(req, "note", Promotions.MAX_REASON), caller), 200);
  }

  /** A body is optional here and may hold only {@code field}; {@code null} when absent. */
  private static String optionalField(ServerRequest req, String field, int max) {
    if (req.headers().contentLength().orElse(0) == 0) {
      return null;
    }
    Form f = Http.form(req).only(Set.of(field));
    String value = f.optional(field, max);
    f.check();
    return value;
  }

  private static long id(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    if (!id.matches("[0-9]{1,18}")) {
      throw new ApiProblem(404, ErrorCode.REQUEST_NOT_FOUND, "no such request");
    }
    return Long.parseLong(id);
  }
}
