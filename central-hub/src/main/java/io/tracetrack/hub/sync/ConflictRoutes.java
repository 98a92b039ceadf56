package io.tracetrack.hub.sync;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/conflicts}: sync conflicts for people. Admins and billers read them (a biller
 * decides nothing here, but a conflict may hold up a bill); only an admin resolves one.
 */
public final class ConflictRoutes implements HttpService {

  private static final Set<Role> READERS = Set.of(Role.ADMIN, Role.BILLER);
  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private final Conflicts conflicts;
  private final Access access;

  public ConflictRoutes(Conflicts conflicts, Access access) {
    this.conflicts = conflicts;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/conflicts", access.allow(READERS, this::list))
        .get("/conflicts/{id}", access.allow(READERS, this::get))
        .post("/conflicts/{id}/resolve", access.allow(ADMIN, this::resolve));
  }

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    var q = req.query();
    Optional<String> status = q.first("status").asOptional().map(s -> s.toUpperCase(Locale.ROOT));
    if (status.isPresent() && !List.of("OPEN", "RESOLVED").contains(status.get())) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "status is OPEN or RESOLVED");
    }
    Optional<String> dock = q.first("dock").asOptional();
    if (dock.isPresent() && !Docks.validName(dock.get())) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "dock must be a dock name");
    }
    long after = SyncRoutes.number(q.first("after").asOptional(), "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) SyncRoutes.number(q.first("limit").asOptional(), "limit", 100, 1, Conflicts.MAX_PAGE);
    List<ConflictStore.View> items = conflicts.list(status, dock, after, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conflicts", items);
    out.put("next", items.size() == limit ? items.getLast().conflict().id() : null);
    Http.json(res, 200, out);
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    long id = id(req);
    Http.json(res, 200, conflicts.get(id).orElseThrow(() -> notFound(id)));
  }

  private void resolve(ServerRequest req, ServerResponse res, Caller caller) {
    long id = id(req);
    Form f = Http.form(req).only(Set.of("action"));
    Conflicts.Action action = f.oneOf("action", Conflicts.Action.class, true, ErrorCode.INVALID_REQUEST);
    f.check();
    switch (conflicts.resolve(id, action, caller)) {
      case Conflicts.Resolution.Done d -> Http.json(res, 200, d.conflict());
      case Conflicts.Resolution.Refused r -> Http.problem(res, r.status(), r.code(), r.message());
    }
  }

  /** A conflict id from the path; anything but a positive whole number is no conflict of ours. */
  static long id(ServerRequest req) {
    String text = req.path().pathParameters().get("id");
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // falls through: no such conflict
    }
    throw new ApiProblem(404, ErrorCode.CONFLICT_NOT_FOUND, "no conflict "
        + (text.length() > 20 ? text.substring(0, 20) + "…" : text).replaceAll("[^\\p{Alnum}._-]", "?"));
  }

  static ApiProblem notFound(long id) {
    return new ApiProblem(404, ErrorCode.CONFLICT_NOT_FOUND, "no conflict " + id);
  }
}
