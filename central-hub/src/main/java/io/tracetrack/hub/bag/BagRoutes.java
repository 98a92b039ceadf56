package io.tracetrack.hub.bag;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/bags} and {@code /api/v1/links}. A refused change is a 409 (400 for a code that
 * is not a code, 404 for a bag that is not there) whose problem {@code code} is the same stable
 * reason a dock shows.
 */
public final class BagRoutes implements HttpService {

  private final BagService bags;
  private final Access access;

  public BagRoutes(BagService bags, Access access) {
    this.bags = bags;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/bags", this::create)
        .get("/bags/{code}", this::get)
        .post("/links", this::link)
        .delete("/links/{child}", this::unlink);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Optional<String> code = Http.text(body.get(), "code", 256, res);
    if (code.isEmpty()) {
      return;
    }
    answer(res, bags.create(code.get(), caller.get()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.BILLER, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    String code = req.path().pathParameters().get("code");
    bags.get(code, caller.get()).ifPresentOrElse(
        bag -> Http.json(res, 200, bag),
        () -> Http.problem(res, 404, ErrorCode.BAG_NOT_FOUND, "no bag " + printable(code) + " (in your area)"));
  }

  private void link(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Optional<String> parent = Http.text(body.get(), "parent", 256, res);
    if (parent.isEmpty()) {
      return;
    }
    Optional<String> child = Http.text(body.get(), "child", 256, res);
    if (child.isEmpty()) {
      return;
    }
    answer(res, bags.link(parent.get(), child.get(), caller.get()));
  }

  private void unlink(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    Optional<String> parent = req.query().first("parent").asOptional();
    if (parent.isEmpty()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "say which parent the child is expected on: ?parent=CODE");
      return;
    }
    answer(res, bags.unlink(req.path().pathParameters().get("child"), parent.get(), caller.get()));
  }

  private static void answer(ServerResponse res, BagService.Outcome outcome) {
    switch (outcome) {
      case BagService.Outcome.Applied a -> Http.json(res, a.created() ? 201 : 200, a.bag());
      case BagService.Outcome.Rejected r -> {
        Rejection rejection = r.rejection();
        int status = switch (rejection.code()) {
          case INVALID_CODE -> 400;
          case UNKNOWN_PARENT -> 404;
          default -> 409;
        };
        Map<String, Object> extra = new LinkedHashMap<>();
        if (rejection.otherBag() != null) {
          extra.put("otherBag", rejection.otherBag());
        }
        if (rejection.detail() != null) {
          extra.put("reasonDetail", rejection.detail().name());
        }
        Http.problem(res, status, rejection.code(), rejection.message(), extra);
      }
    }
  }

  private static String printable(String code) {
    return code.length() > 64 ? code.substring(0, 64) + "…" : code.replaceAll("\\p{Cntrl}", "?");
  }
}
