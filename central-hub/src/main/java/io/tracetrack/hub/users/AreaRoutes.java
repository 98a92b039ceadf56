package io.tracetrack.hub.users;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.Form;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/areas}: dispatch areas.
 *
 * <pre>
 * route              who     does
 * GET  /areas        ADMIN   list areas with taken/maximum dispatcher seats
 * POST /areas        ADMIN   create {id, name, maxDispatchers?=10}
 * </pre>
 */
public final class AreaRoutes implements HttpService {

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private final UserAdmin users;
  private final Access access;

  public AreaRoutes(UserAdmin users, Access access) {
    this.users = users;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", access.allow(ADMIN, this::list))
        .post("/", access.allow(ADMIN, this::create));
  }

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    Http.json(res, 200, Map.of("items", users.areas()));
  }

  private void create(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("id", "name", "maxDispatchers"));
    String id = f.required("id", 40);
    String name = f.required("name", UserAdmin.MAX_NAME);
    Integer max = f.integer("maxDispatchers", 0, 1000);
    f.check();
    Replies.answer(res, users.createArea(id, name, max, caller), 201);
  }
}
