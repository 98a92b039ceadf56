package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
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

  private final Promotions promotions;
  private final Access access;

  public PromotionRoutes(Promotions promotions, Access access) {
    this.promotions = promotions;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/", this::ask)
        .get("/", this::list)
        .post("/{id}/approve", this::approve)
        .post("/{id}/reject", this::reject);
  }

  private void ask(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.values());
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    f.only(Set.of("role", "reason", "area"));
    Role role = f.role("role", true);
    String reason = f.required("reason", Promotions.MAX_REASON);
    String area = f.optional("area", 40);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, promotions.request(caller.get(), role, area, reason), 201);
  }

  private void list(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN).isEmpty()) {
      return;
    }
    var q = req.query();
    Optional<Promotions.Status> status;
    try {
      status = q.first("status").asOptional().map(s -> Promotions.Status.valueOf(s.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "status is PENDING, APPROVED or REJECTED");
      return;
    }
    String before = q.first("before").asOptional().orElse(null);
    String limit = q.first("limit").asOptional().orElse("50");
    if ((before != null && !before.matches("[0-9]{1,18}")) || !limit.matches("[0-9]{1,3}")
        || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > Promotions.MAX_PAGE) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "before is a request id; limit is 1.." + Promotions.MAX_PAGE);
      return;
    }
    Http.json(res, 200, Map.of("items",
        promotions.list(status, Optional.ofNullable(before).map(Long::parseLong), Integer.parseInt(limit))));
  }

  private void approve(ServerRequest req, ServerResponse res) {
    decide(req, res, "area", 40, (id, area, caller) -> promotions.approve(id, area, caller));
  }

  private void reject(ServerRequest req, ServerResponse res) {
    decide(req, res, "note", Promotions.MAX_REASON, (id, note, caller) -> promotions.reject(id, note, caller));
  }

  /** What approving or rejecting does, given the request id, the optional body field and the admin. */
  @FunctionalInterface
  private interface Decision {
    Outcome<Promotions.Request> apply(long id, String field, Caller caller);
  }

  /** Admin only; the id from the path; a body is optional and may hold only {@code field}. */
  private void decide(ServerRequest req, ServerResponse res, String field, int max, Decision decision) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<Long> id = id(req, res);
    if (id.isEmpty()) {
      return;
    }
    String value = null;
    if (req.headers().contentLength().orElse(0) > 0) {
      Optional<JsonNode> body = Http.body(req, res);
      if (body.isEmpty()) {
        return;
      }
      Form f = new Form(body.get());
      f.only(Set.of(field));
      value = f.optional(field, max);
      if (!f.ok(res)) {
        return;
      }
    }
    Replies.answer(res, decision.apply(id.get(), value, caller.get()), 200);
  }

  private static Optional<Long> id(ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().get("id");
    if (!id.matches("[0-9]{1,18}")) {
      Http.problem(res, 404, ErrorCode.REQUEST_NOT_FOUND, "no such request");
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(id));
  }
}
