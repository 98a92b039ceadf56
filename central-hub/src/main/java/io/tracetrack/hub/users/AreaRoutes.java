package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import java.util.Map;
import java.util.Optional;
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

  private final UserAdmin users;
  private final Access access;

  public AreaRoutes(UserAdmin users, Access access) {
    this.users = users;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/", this::create);
  }

  private void list(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN).isEmpty()) {
      return;
    }
    Http.json(res, 200, Map.of("items", users.areas()));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    f.only(Set.of("id", "name", "maxDispatchers"));
    String id = f.required("id", 40);
    String name = f.required("name", UserAdmin.MAX_NAME);
    Integer max = f.integer("maxDispatchers", 0, 1000);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, users.createArea(id, name, max, caller.get()), 201);
  }
}
