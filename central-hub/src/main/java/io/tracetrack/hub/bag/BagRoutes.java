package io.tracetrack.hub.bag;

import io.tracetrack.model.ErrorCode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/bags} and {@code /api/v1/links}. A refused change is a 409 (400 for a code that
 * is not a code, 404 for a bag that is not there) whose problem {@code code} is the same stable
 * reason a dock shows.
 */
public final class BagRoutes implements HttpService {

  /** Who changes bags and links: the floor, and admins. */
  private static final Set<Role> ON_THE_FLOOR = Set.of(Role.ADMIN, Role.DISPATCHER);
  /** Who may look a bag up. */
  private static final Set<Role> ANY_DESK = Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER);

  private final BagService bags;
  private final Access access;

  public BagRoutes(BagService bags, Access access) {
    this.bags = bags;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/bags", access.allow(ON_THE_FLOOR, this::create))
        .get("/bags/{code}", access.allow(ANY_DESK, this::get))
        .post("/links", access.allow(ON_THE_FLOOR, this::link))
        .delete("/links/{child}", access.allow(ON_THE_FLOOR, this::unlink));
  }

  private void create(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String code = f.required("code", 256);
    f.check();
    answer(res, bags.create(code, caller));
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    String code = req.path().pathParameters().get("code");
    Long historyBefore = req.query().first("historyBefore").asOptional().map(BagRoutes::cursor).orElse(null);
    Http.json(res, 200, bags.get(code, caller, historyBefore).orElseThrow(() ->
        new ApiProblem(404, ErrorCode.BAG_NOT_FOUND, "no bag " + printable(code) + " (in your area)")));
  }

  private void link(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String parent = f.required("parent", 256);
    String child = f.required("child", 256);
    f.check();
    answer(res, bags.link(parent, child, caller));
  }

  private void unlink(ServerRequest req, ServerResponse res, Caller caller) {
    String parent = req.query().first("parent").asOptional().orElseThrow(() ->
        ApiProblem.invalid("say which parent the child is expected on: ?parent=CODE"));
    answer(res, bags.unlink(req.path().pathParameters().get("child"), parent, caller));
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

  /** A history cursor: the {@code historyBefore} a previous page gave, a positive entry id. */
  private static Long cursor(String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below, as any other bad cursor
    }
    throw ApiProblem.invalid("historyBefore must be the positive number a previous page gave");
  }

  private static String printable(String code) {
    return code.length() > 64 ? code.substring(0, 64) + "…" : code.replaceAll("\\p{Cntrl}", "?");
  }
}
