package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route × every role × anonymous, on a real server: anonymous gets 401, a role the route
 * does not allow gets 403, an allowed role gets neither. Add each new route here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouteMatrixTest {

  private final String kind;

  protected RouteMatrixTest(String kind) {
    this.kind = kind;
  }

  private HubTestServer server;

  /** A route, a body that is valid for it, and the roles that may call it. */
  record Route(String method, String path, String body, Set<String> allowed) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final Set<String> ALL = Set.of("admin", "biller", "dispatcher");
  static final Set<String> ADMIN = Set.of("admin");
  static final Set<String> WRITERS = Set.of("admin", "dispatcher");
  static final Set<String> BILLERS = Set.of("admin", "biller");

  static List<Route> routes() {
    return List.of(
        new Route("GET", "/api/v1/bags/P7-5", null, ALL),
        new Route("POST", "/api/v1/bags", "{\"code\":\"P8-5\"}", WRITERS),
        new Route("POST", "/api/v1/links", "{\"parent\":\"P7-5\",\"child\":\"C71\"}", WRITERS),
        new Route("DELETE", "/api/v1/links/C71?parent=P7-5", null, WRITERS),
        new Route("GET", "/api/v1/stats", null, ALL),
        new Route("GET", "/api/v1/audit", null, ADMIN),
        new Route("POST", "/api/v1/audit/verify", null, ADMIN),
        new Route("GET", "/api/v1/search?q=P7", null, ALL),
        new Route("GET", "/api/v1/exports/bags.csv", null, ALL),
        new Route("GET", "/api/v1/exports/scans.csv", null, ALL),
        new Route("GET", "/api/v1/system/health", null, ADMIN),
        new Route("GET", "/api/v1/exports/bills.csv", null, BILLERS),
        new Route("GET", "/api/v1/eod?date=2026-11-22&tz=Asia/Kolkata", null, BILLERS),
        new Route("POST", "/api/v1/bills", "{\"id\":\"BILL001\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}", BILLERS),
        new Route("GET", "/api/v1/bills", null, BILLERS),
        new Route("GET", "/api/v1/bills/BILL001", null, BILLERS),
        new Route("PATCH", "/api/v1/bills/BILL001", "{\"capacity\":6}", BILLERS),
        new Route("POST", "/api/v1/bills/BILL001/parents", "{\"parent\":\"P7-5\"}", BILLERS),
        new Route("DELETE", "/api/v1/bills/BILL001/parents/P7-5", null, BILLERS),
        new Route("POST", "/api/v1/bills/BILL001/finalize", "{\"shortClose\":false}", BILLERS),
        new Route("POST", "/api/v1/bills/BILL001/reopen", null, BILLERS),
        new Route("GET", "/api/v1/bills/BILL001/manifest", null, BILLERS),
        new Route("GET", "/api/v1/areas", null, ADMIN),
        new Route("POST", "/api/v1/areas", "{\"id\":\"EAST\",\"name\":\"East\"}", ADMIN),
        new Route("GET", "/api/v1/users", null, ADMIN),
        new Route("POST", "/api/v1/users", "{\"username\":\"newbie\",\"role\":\"BILLER\",\"password\":\"Newbie-Passw0rd!\"}", ADMIN),
        new Route("GET", "/api/v1/users/bella", null, ADMIN),
        new Route("PATCH", "/api/v1/users/ghost", "{\"disabled\":false}", ADMIN),
        new Route("DELETE", "/api/v1/users/ghost", null, ADMIN),
        new Route("PUT", "/api/v1/users/ghost/role", "{\"role\":\"BILLER\"}", ADMIN),
        new Route("PUT", "/api/v1/users/ghost/password", "{\"password\":\"Ghost-Passw0rd!\"}", ADMIN),
        new Route("GET", "/api/v1/me", null, ALL),
        new Route("GET", "/api/v1/me/notifications", null, ALL),
        new Route("POST", "/api/v1/promotion-requests", "{\"role\":\"ADMIN\",\"reason\":\"cover nights\"}", ALL),
        new Route("GET", "/api/v1/promotion-requests", null, ADMIN),
        new Route("POST", "/api/v1/promotion-requests/999/approve", null, ADMIN),
        new Route("POST", "/api/v1/promotion-requests/999/reject", null, ADMIN));
  }

  Stream<Arguments> matrix() {
    List<Arguments> cells = new ArrayList<>();
    for (Route route : routes()) {
      cells.add(Arguments.of(route, null));
      for (String role : ALL) {
        cells.add(Arguments.of(route, role));
      }
    }
    return cells.stream();
  }

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start(kind);
    server.send("POST", "/api/v1/bags", "{\"code\":\"P7-5\"}", "dispatcher");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("matrix")
  void route_answersByRole(Route route, String role) throws Exception {
    HttpResponse<String> res = server.send(route.method(), route.path(), route.body(), role);
    if (role == null) {
      assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
      assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("UNAUTHENTICATED");
    } else if (!route.allowed().contains(role)) {
      assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
      assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("FORBIDDEN");
    } else {
      assertThat(res.statusCode()).as(res.body()).isNotIn(401, 403, 500);
    }
  }
}
