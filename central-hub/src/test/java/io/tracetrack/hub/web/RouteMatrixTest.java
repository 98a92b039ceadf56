package io.tracetrack.hub.web;

import static io.tracetrack.hub.db.jooq.Tables.PROMOTION_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route the hub serves × every role × anonymous, on a real server: anonymous gets 401, a role
 * the route does not allow gets 403, an allowed role reaches the handler and gets an answer about a
 * resource that exists (so neither 401, 403, 404, 405 nor 500). Public routes answer anonymous.
 *
 * <p>The route list is not kept here: it is read from the hub's own mounts ({@link RegisteredRoutes}),
 * and {@link #everyRegisteredRoute_hasASample} fails for a route without a sample below, so a new
 * route cannot escape the matrix. Each cell gets fresh resources (a new user, bill, bag...) from its
 * sample, so one cell's change (a deleted user, a finalized bill) never decides another's answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RouteMatrixTest {

  private final String kind;

  protected RouteMatrixTest(String kind) {
    this.kind = kind;
  }

  HubTestServer server;
  private final AtomicInteger next = new AtomicInteger(100);

  /**
   * One request for a cell.
   *
   * @param token the bearer token to send instead of the role's usual one (routes that end the
   *     token they are called with get a throwaway one), or {@code null}
   */
  record Request(String path, String body, String token) {
    Request(String path, String body) {
      this(path, body, null);
    }
  }

  /** Builds a cell's request, creating what it needs first; {@code role} is null for anonymous. */
  @FunctionalInterface
  interface Sample {
    Request prepare(RouteMatrixTest t, String role) throws Exception;
  }

  /** Who may call a route, and how to call it. An empty {@code allowed} means public (no token). */
  record Expectation(Set<String> allowed, Sample sample) {}

  static final Set<String> PUBLIC = Set.of();
  /** The old system's routes: a 308 to their successor for anyone (who may call that is the successor's rule). */
  static final Set<String> MOVED = Set.of("(moved)");
  static final Set<String> ALL = Set.of("admin", "biller", "dispatcher");
  static final Set<String> ADMIN = Set.of("admin");
  static final Set<String> WRITERS = Set.of("admin", "dispatcher");
  static final Set<String> BILLERS = Set.of("admin", "biller");

  private static Expectation on(Set<String> allowed, String path) {
    return new Expectation(allowed, (t, role) -> new Request(path, null));
  }

  private static Expectation on(Set<String> allowed, Sample sample) {
    return new Expectation(allowed, sample);
  }

  /** Every route, keyed as {@link RegisteredRoutes} names them. */
  static final Map<String, Expectation> EXPECTED = withPages(Map.ofEntries(
      Map.entry("GET /health", on(PUBLIC, "/health")),
      Map.entry("GET /health/live", on(PUBLIC, "/health/live")),
      Map.entry("GET /health/ready", on(PUBLIC, "/health/ready")),
      Map.entry("GET /metrics", on(PUBLIC, "/metrics")),
      // the old system's routes: a 308 to anyone; the successor checks the caller (LegacyRoutesTest)
      Map.entry("GET /api/bag/{code}", on(MOVED, "/api/bag/P7-5")),
      Map.entry("GET /api/bills", on(MOVED, "/api/bills")),
      Map.entry("POST /api/bills", on(MOVED, (t, role) -> new Request("/api/bills", "{}"))),
      Map.entry("GET /api/health", on(MOVED, "/api/health")),
      Map.entry("GET /api/system_health", on(MOVED, "/api/system_health")),
      Map.entry("GET /eod_summary_preview", on(MOVED, "/eod_summary_preview")),
      Map.entry("GET /openapi", on(PUBLIC, "/openapi")),
      Map.entry("POST /api/v1/auth/token", on(PUBLIC, (t, role) -> {
        String user = t.freshUser(Role.BILLER, null);
        return new Request("/api/v1/auth/token",
            "{\"username\":\"" + user + "\",\"password\":\"" + HubTestServer.PASSWORD + "\"}");
      })),
      Map.entry("POST /api/v1/auth/logout", on(ALL, (t, role) -> new Request("/api/v1/auth/logout", null, t.throwawayToken(role)))),
      Map.entry("GET /api/v1/bags/{code}", on(ALL, "/api/v1/bags/P7-5")),
      Map.entry("POST /api/v1/bags", on(WRITERS, (t, role) -> new Request("/api/v1/bags", "{\"code\":\"P" + t.next() + "-5\"}"))),
      Map.entry("POST /api/v1/links", on(WRITERS, (t, role) -> {
        String parent = t.parent();
        return new Request("/api/v1/links", "{\"parent\":\"" + parent + "\",\"child\":\"C" + t.next() + "\"}");
      })),
      Map.entry("DELETE /api/v1/links/{child}", on(WRITERS, (t, role) -> {
        String parent = t.parent();
        String child = "C" + t.next();
        t.ok("POST", "/api/v1/links", "{\"parent\":\"" + parent + "\",\"child\":\"" + child + "\"}", "dispatcher");
        return new Request("/api/v1/links/" + child + "?parent=" + parent, null);
      })),
      Map.entry("GET /api/v1/stats", on(ALL, "/api/v1/stats")),
      Map.entry("GET /api/v1/audit", on(ADMIN, "/api/v1/audit")),
      Map.entry("GET /api/v1/audit/scans", on(ADMIN, "/api/v1/audit/scans")),
      Map.entry("POST /api/v1/audit/verify", on(ADMIN, "/api/v1/audit/verify")),
      Map.entry("GET /api/v1/search", on(ALL, "/api/v1/search?q=P7")),
      Map.entry("GET /api/v1/exports/bags.csv", on(ALL, "/api/v1/exports/bags.csv")),
      Map.entry("GET /api/v1/exports/scans.csv", on(ALL, "/api/v1/exports/scans.csv")),
      Map.entry("GET /api/v1/exports/bills.csv", on(BILLERS, "/api/v1/exports/bills.csv")),
      Map.entry("GET /api/v1/exports/bags.xlsx", on(ALL, "/api/v1/exports/bags.xlsx")),
      Map.entry("GET /api/v1/exports/scans.xlsx", on(ALL, "/api/v1/exports/scans.xlsx")),
      Map.entry("GET /api/v1/exports/bills.xlsx", on(BILLERS, "/api/v1/exports/bills.xlsx")),
      Map.entry("GET /api/v1/exports/user-activity.csv", on(ADMIN, "/api/v1/exports/user-activity.csv")),
      Map.entry("GET /api/v1/exports/user-activity.xlsx", on(ADMIN, "/api/v1/exports/user-activity.xlsx")),
      Map.entry("GET /api/v1/eod/mail", on(ADMIN, "/api/v1/eod/mail")),
      Map.entry("GET /api/v1/eod/{day}", on(BILLERS, "/api/v1/eod/2026-11-22.xlsx")),
      Map.entry("POST /api/v1/eod/{day}/mail", on(ADMIN, "/api/v1/eod/2026-11-22/mail")),
      Map.entry("POST /api/v1/imports/bags", on(ADMIN, (t, role) -> new Request("/api/v1/imports/bags?mode=dry-run", "code\nC1\n"))),
      Map.entry("POST /api/v1/imports/bills", on(ADMIN, (t, role) -> new Request("/api/v1/imports/bills?mode=dry-run", "bill_id\nBILL001\n"))),
      Map.entry("GET /api/v1/system/health", on(ADMIN, "/api/v1/system/health")),
      Map.entry("GET /api/v1/eod", on(BILLERS, "/api/v1/eod?date=2026-11-22&tz=Asia/Kolkata")),
      Map.entry("POST /api/v1/bills", on(BILLERS, (t, role) -> new Request("/api/v1/bills",
          "{\"id\":\"BILL" + t.next() + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}"))),
      Map.entry("GET /api/v1/bills", on(BILLERS, "/api/v1/bills")),
      Map.entry("GET /api/v1/bills/{id}", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill(), null))),
      Map.entry("PATCH /api/v1/bills/{id}", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill(), "{\"capacity\":6}"))),
      Map.entry("POST /api/v1/bills/{id}/parents", on(BILLERS, (t, role) ->
          new Request("/api/v1/bills/" + t.bill() + "/parents", "{\"parent\":\"" + t.parent() + "\",\"force\":true,\"reason\":\"empty on purpose\"}"))),
      Map.entry("DELETE /api/v1/bills/{id}/parents/{parent}", on(BILLERS, (t, role) -> {
        String bill = t.bill();
        String parent = t.parent();
        t.ok("POST", "/api/v1/bills/" + bill + "/parents", "{\"parent\":\"" + parent + "\",\"force\":true,\"reason\":\"empty on purpose\"}", "biller");
        return new Request("/api/v1/bills/" + bill + "/parents/" + parent, null);
      })),
      Map.entry("POST /api/v1/bills/{id}/finalize", on(BILLERS, (t, role) ->
          new Request("/api/v1/bills/" + t.bill() + "/finalize", "{\"shortClose\":false}"))),
      Map.entry("POST /api/v1/bills/{id}/reopen", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill() + "/reopen", null))),
      Map.entry("GET /api/v1/bills/{id}/manifest", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill() + "/manifest", null))),
      Map.entry("GET /api/v1/bills/{id}/qr.png", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill() + "/qr.png", null))),
      Map.entry("GET /api/v1/bills/{id}/receipts", on(BILLERS, (t, role) -> new Request("/api/v1/bills/" + t.bill() + "/receipts", null))),
      Map.entry("GET /api/v1/areas", on(ADMIN, "/api/v1/areas")),
      Map.entry("GET /api/v1/events", on(ALL, "/api/v1/events?limit=5")),
      Map.entry("POST /api/v1/webhooks", on(ADMIN, (t, role) -> new Request("/api/v1/webhooks", RouteMatrixTest.WEBHOOK))),
      Map.entry("GET /api/v1/webhooks", on(ADMIN, "/api/v1/webhooks")),
      Map.entry("GET /api/v1/webhooks/{id}", on(ADMIN, (t, role) -> new Request("/api/v1/webhooks/" + t.webhook(), null))),
      Map.entry("DELETE /api/v1/webhooks/{id}", on(ADMIN, (t, role) -> new Request("/api/v1/webhooks/" + t.webhook(), null))),
      Map.entry("GET /api/v1/webhooks/{id}/deliveries", on(ADMIN, (t, role) ->
          new Request("/api/v1/webhooks/" + t.webhook() + "/deliveries?status=FAILED", null))),
      Map.entry("GET /api/v1/webhooks/{id}/deliveries/{delivery}", on(ADMIN, (t, role) -> {
        String hook = t.webhook();
        return new Request("/api/v1/webhooks/" + hook + "/deliveries/" + t.deadDelivery(hook), null);
      })),
      Map.entry("POST /api/v1/webhooks/{id}/deliveries/{delivery}/retry", on(ADMIN, (t, role) -> {
        String hook = t.webhook();
        return new Request("/api/v1/webhooks/" + hook + "/deliveries/" + t.deadDelivery(hook) + "/retry", null);
      })),
      Map.entry("POST /api/v1/areas", on(ADMIN, (t, role) -> new Request("/api/v1/areas",
          "{\"id\":\"EAST" + t.next() + "\",\"name\":\"East " + t.next() + "\"}"))),
      Map.entry("GET /api/v1/users", on(ADMIN, "/api/v1/users")),
      Map.entry("POST /api/v1/users", on(ADMIN, (t, role) -> new Request("/api/v1/users",
          "{\"username\":\"newbie" + t.next() + "\",\"role\":\"BILLER\",\"password\":\"Newbie-Passw0rd!\"}"))),
      Map.entry("GET /api/v1/users/{username}", on(ADMIN, (t, role) -> new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null), null))),
      Map.entry("PATCH /api/v1/users/{username}", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null), "{\"disabled\":false}"))),
      Map.entry("DELETE /api/v1/users/{username}", on(ADMIN, (t, role) -> new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null), null))),
      Map.entry("PUT /api/v1/users/{username}/role", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null) + "/role", "{\"role\":\"ADMIN\"}"))),
      Map.entry("PUT /api/v1/users/{username}/password", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null) + "/password", "{\"password\":\"Ghost-Passw0rd!\"}"))),
      Map.entry("POST /api/v1/users/{username}/unlock", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null) + "/unlock", null))),
      Map.entry("POST /api/v1/users/{username}/dock-access", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null) + "/dock-access", "{\"area\":\"NORTH\"}"))),
      Map.entry("DELETE /api/v1/users/{username}/dock-access/{area}", on(ADMIN, (t, role) ->
          new Request("/api/v1/users/" + t.freshUser(Role.BILLER, null) + "/dock-access/NORTH", null))),
      Map.entry("GET /api/v1/me", on(ALL, "/api/v1/me")),
      Map.entry("PUT /api/v1/me/password", on(ALL, (t, role) -> new Request("/api/v1/me/password",
          "{\"oldPassword\":\"not-the-password\",\"newPassword\":\"Brand-New-Passw0rd!\"}"))),
      Map.entry("GET /api/v1/me/notifications", on(ALL, "/api/v1/me/notifications")),
      Map.entry("POST /api/v1/me/totp", on(ADMIN, "/api/v1/me/totp")),
      Map.entry("GET /api/v1/me/totp/qr", on(ADMIN, (t, role) -> {
        if ("admin".equals(role)) {
          t.ok("POST", "/api/v1/me/totp", null, "admin"); // a pending enrolment to draw
        }
        return new Request("/api/v1/me/totp/qr", null);
      })),
      Map.entry("POST /api/v1/me/totp/verify", on(ADMIN, (t, role) -> new Request("/api/v1/me/totp/verify", "{\"code\":\"000000\"}"))),
      Map.entry("POST /api/v1/me/totp/disable", on(ADMIN, (t, role) -> new Request("/api/v1/me/totp/disable",
          "{\"password\":\"not-the-password\"}"))),
      Map.entry("POST /api/v1/me/logout-all", on(ALL, (t, role) -> new Request("/api/v1/me/logout-all", null, t.throwawayToken(role)))),
      Map.entry("POST /api/v1/promotion-requests", on(ALL, (t, role) -> new Request("/api/v1/promotion-requests",
          "{\"role\":\"ADMIN\",\"reason\":\"cover nights\"}"))),
      Map.entry("GET /api/v1/promotion-requests", on(ADMIN, "/api/v1/promotion-requests")),
      Map.entry("POST /api/v1/promotion-requests/{id}/approve", on(ADMIN, (t, role) ->
          new Request("/api/v1/promotion-requests/" + t.promotionRequest() + "/approve", null))),
      Map.entry("POST /api/v1/promotion-requests/{id}/reject", on(ADMIN, (t, role) ->
          new Request("/api/v1/promotion-requests/" + t.promotionRequest() + "/reject", null))),
      Map.entry("GET /api/v1/docks", on(ADMIN, "/api/v1/docks")),
      Map.entry("POST /api/v1/docks", on(ADMIN, (t, role) -> new Request("/api/v1/docks",
          "{\"name\":\"DOCK-" + t.next() + "\",\"area\":\"NORTH\"}"))),
      Map.entry("GET /api/v1/docks/{name}", on(ADMIN, (t, role) -> new Request("/api/v1/docks/" + t.dock(), null))),
      Map.entry("POST /api/v1/docks/{name}/code", on(ADMIN, (t, role) -> new Request("/api/v1/docks/" + t.dock() + "/code", null))),
      Map.entry("POST /api/v1/docks/{name}/revoke", on(ADMIN, (t, role) -> new Request("/api/v1/docks/" + t.dock() + "/revoke", null))),
      Map.entry("POST /api/v1/sync/enroll", on(PUBLIC, (t, role) -> new Request("/api/v1/sync/enroll",
          "{\"code\":\"" + t.enrollmentCode(t.dock()) + "\",\"edgeId\":\"edge-" + t.next() + "\"}"))),
      // a dock's route, not a user's: every "role" cell presents a fresh device credential instead
      // of its user token, and anonymous must get 401 like everywhere else
      Map.entry("GET /api/v1/sync/hello", on(ALL, (t, role) -> new Request("/api/v1/sync/hello", null,
          role == null ? null : t.deviceCredential()))),
      Map.entry("POST /api/v1/sync/push", on(ALL, (t, role) -> t.emptyPush(role))),
      Map.entry("POST /api/v1/sync/receipts", on(ALL, (t, role) -> t.receipt(role))),
      Map.entry("GET /api/v1/sync/changes", on(ALL, (t, role) -> new Request("/api/v1/sync/changes?after=0", null,
          role == null ? null : t.deviceCredential()))),
      Map.entry("GET /api/v1/sync/snapshot", on(ALL, (t, role) -> new Request("/api/v1/sync/snapshot", null,
          role == null ? null : t.deviceCredential()))),
      Map.entry("POST /api/v1/sync/conflicts/{id}/ack", on(ALL, (t, role) -> {
        String dock = t.dock();
        long id = io.tracetrack.hub.sync.ConflictFixture.link(t.server.db, dock, "P7-5", "C" + t.next());
        return new Request("/api/v1/sync/conflicts/" + id + "/ack", null, role == null ? null : t.deviceCredential(dock));
      })),
      Map.entry("GET /api/v1/conflicts", on(BILLERS, "/api/v1/conflicts?status=OPEN")),
      Map.entry("GET /api/v1/conflicts/{id}", on(BILLERS, (t, role) -> new Request("/api/v1/conflicts/" + t.conflict(), null))),
      Map.entry("POST /api/v1/conflicts/{id}/resolve", on(ADMIN, (t, role) ->
          new Request("/api/v1/conflicts/" + t.conflict() + "/resolve", "{\"action\":\"DISMISS\"}"))),
      Map.entry("POST /api/v1/auth/session", on(PUBLIC, (t, role) -> new Request("/api/v1/auth/session",
          "{\"username\":\"" + t.freshUser(Role.BILLER, null) + "\",\"password\":\"" + HubTestServer.PASSWORD + "\"}"))),
      Map.entry("GET /api/v1/auth/session", on(ALL, "/api/v1/auth/session")),
      // a bearer token is no browser session: allowed roles get 400 (not refreshable), never 401/403
      Map.entry("POST /api/v1/auth/session/refresh", on(ALL, "/api/v1/auth/session/refresh")),
      // signing out answers 204 to anyone, so a page can always get back to sign-in
      Map.entry("DELETE /api/v1/auth/session", on(PUBLIC, "/api/v1/auth/session"))));

  /** The web UI's files: public, like the pages of any site (they hold no data; the API does). */
  private static Map<String, Expectation> withPages(Map<String, Expectation> routes) {
    Map<String, Expectation> all = new java.util.HashMap<>(routes);
    io.tracetrack.hub.ui.UiRoutes.paths().forEach(path -> all.put("GET " + path, on(PUBLIC, path)));
    return Map.copyOf(all);
  }

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start(kind);
    ok("POST", "/api/v1/bags", "{\"code\":\"P7-5\"}", "dispatcher");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Stream<Arguments> matrix() {
    List<Arguments> cells = new ArrayList<>();
    for (String route : RegisteredRoutes.of(server.hub.mounts())) {
      cells.add(Arguments.of(route, null));
      for (String role : new TreeSet<>(ALL)) {
        cells.add(Arguments.of(route, role));
      }
    }
    return cells.stream();
  }

  @Test
  void everyRegisteredRoute_hasASample_andEverySampleARoute() {
    Set<String> registered = RegisteredRoutes.of(server.hub.mounts());
    assertThat(registered).as("routes the hub serves without a sample in RouteMatrixTest.EXPECTED")
        .containsAll(EXPECTED.keySet());
    assertThat(EXPECTED.keySet()).as("samples in RouteMatrixTest.EXPECTED for routes the hub no longer serves")
        .containsAll(registered);
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("matrix")
  void route_answersByRole(String route, String role) throws Exception {
    Expectation expected = EXPECTED.get(route);
    assertThat(expected).as("a sample for " + route + " in RouteMatrixTest.EXPECTED").isNotNull();
    Request request = expected.sample().prepare(this, role);
    String token = role == null ? null : request.token() != null ? request.token() : server.tokens.get(role);
    HubTestServer.Answer res = server.send(RegisteredRoutes.method(route), request.path(), token,
        request.body() == null ? null : "application/json", request.body());
    if (expected.allowed() == MOVED) {
      assertThat(res.status()).as(res.text()).isEqualTo(308);
    } else if (expected.allowed().isEmpty()) {
      assertThat(res.status()).as(res.text()).isBetween(200, 299);
    } else if (role == null) {
      assertThat(res.status()).as(res.text()).isEqualTo(401);
      assertThat(res.json().get("code").asText()).isEqualTo("UNAUTHENTICATED");
    } else if (!expected.allowed().contains(role)) {
      assertThat(res.status()).as(res.text()).isEqualTo(403);
      assertThat(res.json().get("code").asText()).isEqualTo("FORBIDDEN");
    } else {
      // the sample names a resource that exists, so a 404 means the route did not find it: a failure
      assertThat(res.status()).as(res.text()).isNotIn(401, 403, 404, 405, 500);
    }
  }

  // ---- fixtures: each call makes something new ----

  int next() {
    return next.incrementAndGet();
  }

  /** A new parent bag in the NORTH area (visible to the NORTH dispatcher and to admins). */
  String parent() throws Exception {
    String code = "P" + next() + "-5";
    ok("POST", "/api/v1/bags", "{\"code\":\"" + code + "\"}", "dispatcher");
    return code;
  }

  /** A new open bill. */
  String bill() throws Exception {
    String id = "BILL" + next();
    ok("POST", "/api/v1/bills", "{\"id\":\"" + id + "\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}", "biller");
    return id;
  }

  String freshUser(Role role, String area) {
    String name = "user" + next();
    server.addUser(name, role, area);
    return name;
  }

  /** A token of a new user with the role's rights, for routes that end the token they are called with. */
  String throwawayToken(String role) throws Exception {
    if (role == null) {
      return null;
    }
    return switch (role) {
      case "admin" -> server.tokenFor("user" + next(), Role.ADMIN, null);
      case "biller" -> server.tokenFor("user" + next(), Role.BILLER, null);
      case "dispatcher" -> server.tokenFor("user" + next(), Role.DISPATCHER, "NORTH");
      default -> throw new IllegalArgumentException(role);
    };
  }

  /** A new pending promotion request, straight into the store. */
  long promotionRequest() {
    String user = freshUser(Role.BILLER, null);
    return server.db.dsl().insertInto(PROMOTION_REQUEST)
        .set(PROMOTION_REQUEST.USERNAME, user).set(PROMOTION_REQUEST.REQUESTED_ROLE, "ADMIN")
        .set(PROMOTION_REQUEST.REASON, "cover nights").set(PROMOTION_REQUEST.STATUS, "PENDING")
        .set(PROMOTION_REQUEST.CREATED_AT, OffsetDateTime.ofInstant(server.clock.instant(), ZoneOffset.UTC))
        .returningResult(PROMOTION_REQUEST.ID).fetchOne().value1();
  }

  /** A new dock in the NORTH area, not enrolled. */
  String dock() throws Exception {
    String name = "DOCK-" + next();
    ok("POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"NORTH\"}", "admin");
    return name;
  }

  /** A fresh enrolment code for the dock. */
  String enrollmentCode(String dock) throws Exception {
    var res = server.send("POST", "/api/v1/docks/" + dock + "/code", null, "admin");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return HubTestServer.json(res).get("enrollmentCode").asText();
  }

  /** The device credential of a newly enrolled dock. */
  String deviceCredential() throws Exception {
    return deviceCredential(dock());
  }

  /** A new open conflict of some dock (a refused link), straight into the store. */
  long conflict() throws Exception {
    return io.tracetrack.hub.sync.ConflictFixture.link(server.db, "DOCK-X", "P7-5", "C" + next());
  }

  /** The device credential of {@code dock}, enrolled now. */
  String deviceCredential(String dock) throws Exception {
    var res = server.send("POST", "/api/v1/sync/enroll",
        "{\"code\":\"" + enrollmentCode(dock) + "\",\"edgeId\":\"edge-" + next() + "\"}", null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return HubTestServer.json(res).get("credential").asText();
  }

  /** A receipt of an empty load of a new bill, closed at a newly enrolled dock; anonymous sends no credential. */
  Request receipt(String role) throws Exception {
    java.time.Instant at = server.clock.instant();
    String body = new io.tracetrack.sync.WireCodec().encode(new io.tracetrack.sync.ReceiptReport("r-" + next(), bill(),
        "gate-1", java.util.List.of(), "dana", at, "dana", at, java.util.List.of()));
    return new Request("/api/v1/sync/receipts", body, role == null ? null : deviceCredential(dock()));
  }

  /** An empty push (a heartbeat) of a newly enrolled edge, with its credential; anonymous sends none. */
  Request emptyPush(String role) throws Exception {
    var res = server.send("POST", "/api/v1/sync/enroll",
        "{\"code\":\"" + enrollmentCode(dock()) + "\",\"edgeId\":\"edge-" + next() + "\"}", null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    var enrolled = HubTestServer.json(res);
    String body = new io.tracetrack.sync.WireCodec().encode(new io.tracetrack.sync.PushBatch(enrolled.get("edgeId").asText(),
        enrolled.get("dock").asText(), new io.tracetrack.sync.Hlc(server.clock.millis(), 0), 0, null, "matrix", java.util.List.of()));
    return new Request("/api/v1/sync/push", body, role == null ? null : enrolled.get("credential").asText());
  }

  /**
   * A webhook to an address nothing answers on (TEST-NET-1, public by the rule), for an event type
   * these tests never make: it exists, and the sender has nothing to send it.
   */
  static final String WEBHOOK = "{\"url\":\"http://192.0.2.1/hook\",\"types\":[\"conflict.resolved.v1\"]}";

  /** A new webhook's id. */
  String webhook() throws Exception {
    var res = server.send("POST", "/api/v1/webhooks", WEBHOOK, "admin");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    return HubTestServer.json(res).get("id").asText();
  }

  /** A dead-lettered delivery of {@code webhook}, written as the sender leaves one; its id. */
  long deadDelivery(String webhook) {
    var now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    return server.db.dsl().insertInto(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY)
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.WEBHOOK_ID, webhook)
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.EVENT_ID, (long) next())
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.EVENT_TYPE, "io.tracetrack.conflict.resolved.v1")
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.BODY, "{\"specversion\":\"1.0\"}")
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.STATUS, "FAILED")
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.ATTEMPTS, 7)
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.LAST_ERROR, "answered 500")
        .set(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.CREATED_AT, now)
        .returning(io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY.ID).fetchOne().getId();
  }

  void ok(String method, String path, String body, String who) throws Exception {
    var res = server.send(method, path, body, who);
    assertThat(res.statusCode()).as("setup " + method + " " + path + ": " + res.body()).isBetween(200, 299);
  }
}
