package io.tracetrack.hub.sync;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.helidon.http.HeaderNames;
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
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/docks}: the admin's view of the dock fleet. Registering a dock and issuing a code
 * answer the enrolment code once; nothing ever answers it again, nor a credential.
 */
public final class DockRoutes implements HttpService {

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private final Docks docks;
  private final Clock clock;
  private final Duration silentAfter;
  private final Access access;

  public DockRoutes(Docks docks, Access access, Clock clock, Duration silentAfter) {
    this.docks = docks;
    this.clock = clock;
    this.silentAfter = silentAfter;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/docks", access.allow(ADMIN, this::register))
        .get("/docks", access.allow(ADMIN, this::list))
        .get("/docks/{name}", access.allow(ADMIN, this::get))
        .post("/docks/{name}/code", access.allow(ADMIN, this::issueCode))
        .post("/docks/{name}/revoke", access.allow(ADMIN, this::revoke));
  }

  private void register(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String name = f.required("name", 64);
    String area = f.required("area", 40);
    f.check();
    if (!Docks.validName(name)) {
      throw ApiProblem.invalid("name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (as the edge's --dock)");
    }
    answer(res, docks.register(name, area, caller.actor()));
  }

  /**
   * A dock in the fleet listing: its view, and whether it is silent (enrolled, not revoked, and not
   * heard from within {@code --dock-silent-minutes} by the hub's clock, not the browser's).
   */
  record FleetDock(@JsonUnwrapped DockView dock, boolean silent) {}

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(silentAfter);
    List<FleetDock> fleet = docks.list().stream().map(d -> new FleetDock(d, d.enrolled()
        && (d.lastSeenAt() == null || d.lastSeenAt().isBefore(cutoff)))).toList();
    Http.json(res, 200, Map.of("docks", fleet, "silentAfterSeconds", silentAfter.toSeconds()));
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    String name = req.path().pathParameters().get("name");
    Http.json(res, 200, docks.get(name).orElseThrow(() -> notFound(name)));
  }

  private void issueCode(ServerRequest req, ServerResponse res, Caller caller) {
    answer(res, docks.issueCode(req.path().pathParameters().get("name"), caller.actor()));
  }

  private void revoke(ServerRequest req, ServerResponse res, Caller caller) {
    answer(res, docks.revoke(req.path().pathParameters().get("name"), caller.actor()));
  }

  private static void answer(ServerResponse res, Docks.Change change) {
    switch (change) {
      case Docks.Change.Done d -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dock", d.dock());
        if (d.code() != null) {
          out.put("enrollmentCode", d.code());
          out.put("codeExpiresAt", d.dock().codeExpiresAt());
        }
        if (d.created()) {
          res.header(HeaderNames.LOCATION, "/api/v1/docks/" + d.dock().name());
        }
        // a code is a credential-to-be: no cache may keep this answer
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Http.json(res, d.created() ? 201 : 200, out);
      }
      case Docks.Change.Refused r -> Http.problem(res, r.status(), r.code(), r.message());
    }
  }

  private static ApiProblem notFound(String name) {
    String shown = name.length() > 20 ? name.substring(0, 20) + "…" : name;
    return new ApiProblem(404, ErrorCode.DOCK_NOT_FOUND, "no dock " + shown.replaceAll("[^\\p{Alnum}._-]", "?"));
  }
}
