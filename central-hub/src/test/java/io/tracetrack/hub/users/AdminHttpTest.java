package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubConfig;
import io.tracetrack.hub.Main;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.auth.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * F-ADMIN over HTTP on a real hub (Main.Hub, port 0, H2 in a temp folder): every route as admin,
 * biller, dispatcher and anonymous; hostile bodies; the sign-in rate limit; TOTP sign-in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminHttpTest {

  private static final String ADMIN_PASSWORD = "Admin-Password-1";
  private static final String PASSWORD = "Good-Password-42";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:10Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private Main.Hub hub;
  private String admin;
  private String biller;
  private String dispatcher;

  record Reply(int status, String type, String body, byte[] bytes, HttpResponse<byte[]> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String code() {
      assertThat(type).as("problem content type for " + body).isEqualTo("application/problem+json");
      return json().path("code").asText();
    }
  }

  @BeforeAll
  void start() throws Exception {
    HubConfig config = HubConfig.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--data",
        Files.createTempDirectory("hub-admin-http-").toString(), "--pool-size", "5"}, Map.of("HUB_ADMIN_PASSWORD", ADMIN_PASSWORD));
    hub = Main.Hub.start(config, clock);
    admin = signIn("admin", ADMIN_PASSWORD);
    assertThat(call("POST", "/areas", admin, "{\"id\":\"NORTH\",\"name\":\"North dock\"}").status()).isEqualTo(201);
    assertThat(call("POST", "/users", admin, "{\"username\":\"bea\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}").status())
        .isEqualTo(201);
    assertThat(call("POST", "/users", admin,
        "{\"username\":\"dan\",\"role\":\"DISPATCHER\",\"area\":\"NORTH\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(201);
    biller = signIn("bea", PASSWORD);
    dispatcher = signIn("dan", PASSWORD);
  }

  @AfterAll
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private Reply call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.server().port() + "/api/v1" + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), new String(r.body(), StandardCharsets.UTF_8),
        r.body(), r);
  }

  private String signIn(String user, String password) throws Exception {
    Reply r = call("POST", "/auth/token", null, JSON.writeValueAsString(Map.of("username", user, "password", password)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  private long users() throws Exception {
    return hub.database().dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.APP_USER);
  }

  /** Each route, a body good enough to pass validation, and who may call it. */
  record Route(String method, String path, String body, boolean anyRole) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Route> adminRoutes() {
    return List.of(
        new Route("GET", "/areas", null, false),
        new Route("POST", "/areas", "{\"id\":\"SOUTH\",\"name\":\"South\"}", false),
        new Route("GET", "/users", null, false),
        new Route("POST", "/users", "{\"username\":\"newbie\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", false),
        new Route("GET", "/users/bea", null, false),
        new Route("PATCH", "/users/bea", "{\"disabled\":false}", false),
        new Route("PUT", "/users/bea/role", "{\"role\":\"BILLER\"}", false),
        new Route("PUT", "/users/bea/password", "{\"password\":\"" + PASSWORD + "\"}", false),
        new Route("POST", "/users/bea/unlock", null, false),
        new Route("DELETE", "/users/nobody-here", null, false),
        new Route("GET", "/promotion-requests", null, false),
        new Route("POST", "/promotion-requests/999/approve", null, false),
        new Route("POST", "/promotion-requests/999/reject", null, false),
        new Route("POST", "/me/totp", null, false),
        new Route("GET", "/me/totp/qr", null, false),
        new Route("POST", "/me/totp/verify", "{\"code\":\"000000\"}", false),
        new Route("POST", "/me/totp/disable", "{\"password\":\"x\"}", false),
        new Route("GET", "/me", null, true),
        new Route("GET", "/me/notifications", null, true),
        new Route("PUT", "/me/password", "{\"oldPassword\":\"wrong\",\"newPassword\":\"Whatever-Else-1\"}", true),
        new Route("POST", "/promotion-requests", "{\"role\":\"ADMIN\",\"reason\":\"\"}", true));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("adminRoutes")
  void everyRoute_anonymous_401(Route route) throws Exception {
    Reply r = call(route.method(), route.path(), null, route.body());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
    assertThat(call(route.method(), route.path(), "not-a-token", route.body()).code()).isEqualTo("UNAUTHENTICATED");
  }

  @Order(2)
  @ParameterizedTest(name = "{0}")
  @MethodSource("adminRoutes")
  void everyRoute_billerAndDispatcher_403UnlessItIsTheirOwn(Route route) throws Exception {
    for (String token : List.of(biller, dispatcher)) {
      Reply r = call(route.method(), route.path(), token, route.body());
      if (route.anyRole()) {
        assertThat(r.status()).as(route + " " + r.body()).isNotIn(401, 403, 500);
      } else {
        assertThat(r.status()).as(route + " " + r.body()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("FORBIDDEN");
      }
    }
  }

  @Order(3)
  @ParameterizedTest(name = "{0}")
  @MethodSource("adminRoutes")
  void everyRoute_admin_isAnsweredWithoutAuthError(Route route) throws Exception {
    Reply r = call(route.method(), route.path(), admin, route.body());
    assertThat(r.status()).as(route + " " + r.body()).isNotIn(401, 403, 405, 500);
    if (r.status() >= 400) {
      assertThat(r.code()).isNotBlank();
    }
  }

  @Order(4)
  @Test
  void adminFlow_createEditRoleDelete_answersWithStableCodes() throws Exception {
    Reply created = call("POST", "/users", admin, "{\"username\":\"carl\",\"role\":\"biller\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("role").asText()).isEqualTo("BILLER");
    assertThat(created.body()).doesNotContain("argon2").doesNotContain("password");
    assertThat(call("POST", "/users", admin, "{\"username\":\"carl\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}").code())
        .isEqualTo("USER_EXISTS");
    assertThat(call("PUT", "/users/carl/role", admin, "{\"role\":\"DISPATCHER\"}").code()).isEqualTo("AREA_REQUIRED");
    assertThat(call("PUT", "/users/admin/role", admin, "{\"role\":\"BILLER\"}").code()).isEqualTo("OWN_ROLE");
    Reply moved = call("PUT", "/users/carl/role", admin, "{\"role\":\"DISPATCHER\",\"area\":\"NORTH\"}");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().path("area").asText()).isEqualTo("NORTH");
    assertThat(call("PATCH", "/users/carl", admin, "{\"disabled\":true}").json().path("disabled").asBoolean()).isTrue();
    assertThat(call("PATCH", "/users/carl", admin, "{\"role\":\"ADMIN\"}").code()).isEqualTo("INVALID_REQUEST");
    assertThat(call("GET", "/users?disabled=true", admin, null).json().path("items").get(0).path("username").asText()).isEqualTo("carl");
    assertThat(call("GET", "/users?limit=201", admin, null).code()).isEqualTo("INVALID_REQUEST");
    assertThat(call("GET", "/users?role=KING", admin, null).code()).isEqualTo("INVALID_ROLE");
    Reply page = call("GET", "/users?limit=1", admin, null);
    assertThat(page.json().path("items")).hasSize(1);
    assertThat(page.json().path("next").asText()).isEqualTo("admin");
    Reply deleted = call("DELETE", "/users/carl", admin, null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().path("pseudonym").asText()).startsWith("deleted-user-");
    assertThat(call("GET", "/users/carl", admin, null).code()).isEqualTo("USER_NOT_FOUND");
    assertThat(call("DELETE", "/users/admin", admin, null).code()).isEqualTo("OWN_ACCOUNT");
  }

  @Order(5)
  @Test
  void promotion_askApprove_notifiesOverHttp() throws Exception {
    // the admin routes above reset bea's password, which ended her token on the next request
    assertThat(call("GET", "/me", biller, null).status()).isEqualTo(401);
    biller = signIn("bea", PASSWORD);
    Reply asked = call("POST", "/promotion-requests", biller, "{\"role\":\"ADMIN\",\"reason\":\"I cover the night shift\"}");
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    long id = asked.json().path("id").asLong();
    assertThat(call("GET", "/promotion-requests?status=PENDING", admin, null).json().path("items").get(0).path("id").asLong()).isEqualTo(id);
    assertThat(call("POST", "/promotion-requests/" + id + "/reject", admin, "{\"note\":\"not yet\"}").json().path("status").asText())
        .isEqualTo("REJECTED");
    assertThat(call("POST", "/promotion-requests/" + id + "/approve", admin, null).code()).isEqualTo("NOT_PENDING");
    JsonNode notes = call("GET", "/me/notifications", biller, null).json().path("items");
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).path("kind").asText()).isEqualTo("PROMOTION_REJECTED");
  }

  static List<String[]> hostileBodies() {
    String huge = "A".repeat(70_000);
    return List.of(
        new String[] {"{\"username\":", "MALFORMED_JSON"},
        new String[] {"[1,2,3]", "INVALID_REQUEST"},
        new String[] {"{\"username\":123,\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_REQUEST"},
        new String[] {"{\"username\":\"ok-name\",\"role\":[\"ADMIN\"],\"password\":\"" + PASSWORD + "\"}", "INVALID_REQUEST"},
        new String[] {"{\"username\":\"ok-name\",\"role\":\"ROOT\",\"password\":\"" + PASSWORD + "\"}", "INVALID_ROLE"},
        new String[] {"{\"username\":\"ok-name\",\"role\":\"BILLER\",\"password\":true}", "INVALID_REQUEST"},
        new String[] {"{\"username\":\"" + "x".repeat(5000) + "\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_REQUEST"},
        new String[] {"{\"username\":\"" + huge + "\"}", "BODY_TOO_LARGE"},
        new String[] {"{\"username\":\"x'; drop table app_user;--\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_USERNAME"},
        new String[] {"{\"username\":\"<script>alert(1)</script>\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_USERNAME"},
        new String[] {"{\"username\":\"robert\\u0000\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_USERNAME"},
        new String[] {"{\"username\":\"deleted-user-1\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\"}", "INVALID_USERNAME"},
        new String[] {"{\"username\":\"weakling\",\"role\":\"BILLER\",\"password\":\"password\"}", "WEAK_PASSWORD"},
        new String[] {"{\"username\":\"ok-name\",\"role\":\"BILLER\",\"area\":\"' or 1=1 --\",\"password\":\"" + PASSWORD + "\"}", "AREA_NOT_ALLOWED"},
        new String[] {"{\"username\":\"ok-name\",\"role\":\"DISPATCHER\",\"area\":\"' or 1=1 --\",\"password\":\"" + PASSWORD + "\"}", "AREA_NOT_FOUND"},
        new String[] {"{\"username\":\"ok-name\",\"role\":\"BILLER\",\"password\":\"" + PASSWORD + "\",\"isAdmin\":true}", "INVALID_REQUEST"});
  }

  @Order(6)
  @ParameterizedTest(name = "{1}")
  @MethodSource("hostileBodies")
  void createUser_hostileBody_4xxProblemAndNothingChanged(String body, String code) throws Exception {
    long before = users();
    Reply r = call("POST", "/users", admin, body);
    assertThat(r.status()).as(r.body()).isBetween(400, 499);
    assertThat(r.code()).isEqualTo(code);
    assertThat(users()).isEqualTo(before);
  }

  @Order(7)
  @Test
  void otherRoutes_hostileBodies_4xxProblemAndNothingChanged() throws Exception {
    long areas = hub.database().dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.AREA);
    assertThat(call("POST", "/areas", admin, "{\"id\":\"<b>X</b>\",\"name\":\"x\"}").code()).isEqualTo("INVALID_AREA");
    assertThat(call("POST", "/areas", admin, "{\"id\":\"X1\",\"name\":\"a\\u0007b\"}").code()).isEqualTo("INVALID_TEXT");
    assertThat(call("POST", "/areas", admin, "{\"id\":\"X1\",\"name\":\"x\",\"maxDispatchers\":\"ten\"}").code()).isEqualTo("INVALID_REQUEST");
    assertThat(call("POST", "/areas", admin, "{\"id\":\"X1\",\"name\":\"x\",\"maxDispatchers\":1e30}").code()).isEqualTo("INVALID_REQUEST");
    assertThat(hub.database().dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.AREA)).isEqualTo(areas);
    assertThat(call("PATCH", "/users/bea", admin, "{\"disabled\":\"yes\"}").code()).isEqualTo("INVALID_REQUEST");
    assertThat(call("PUT", "/users/bea/role", admin, "not json").code()).isEqualTo("MALFORMED_JSON");
    assertThat(call("PUT", "/users/%3Cscript%3E/role", admin, "{\"role\":\"ADMIN\"}").code()).isEqualTo("USER_NOT_FOUND");
    assertThat(call("POST", "/promotion-requests/1%20or%201=1/approve", admin, null).code()).isEqualTo("REQUEST_NOT_FOUND");
    assertThat(call("POST", "/promotion-requests", dispatcher, "{\"role\":\"ADMIN\",\"reason\":\"" + "r".repeat(501) + "\"}").code())
        .isEqualTo("INVALID_REQUEST");
    assertThat(call("PUT", "/me/password", dispatcher, "{\"oldPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}").code())
        .isEqualTo("WEAK_PASSWORD");
    assertThat(call("GET", "/users/bea", admin, null).json().path("role").asText()).isEqualTo("BILLER");
  }

  @Order(8)
  @Test
  void totp_enrolOverHttp_thenSignInNeedsTheCode() throws Exception {
    assertThat(call("POST", "/users", admin, "{\"username\":\"tina\",\"role\":\"ADMIN\",\"password\":\"" + PASSWORD + "\"}").status())
        .isEqualTo(201);
    String tina = signIn("tina", PASSWORD);
    assertThat(call("GET", "/me/totp/qr", tina, null).code()).isEqualTo("TOTP_NOT_PENDING");
    Reply started = call("POST", "/me/totp", tina, null);
    assertThat(started.status()).isEqualTo(201);
    String uri = started.json().path("provisioningUri").asText();
    assertThat(uri).startsWith("otpauth://totp/TraceTrack:tina?secret=");
    String secret = uri.replaceAll(".*[?&]secret=([A-Z2-7]+).*", "$1");
    Reply qr = call("GET", "/me/totp/qr", tina, null);
    assertThat(qr.type()).isEqualTo("image/png");
    assertThat(qr.bytes()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    Totp totp = new Totp(clock);
    assertThat(call("POST", "/me/totp/verify", tina, "{\"code\":\"12345\"}").code()).isEqualTo("BAD_TOTP");
    Reply verified = call("POST", "/me/totp/verify", tina, "{\"code\":\"" + totp.codeAt(secret, clock.instant().minusSeconds(30)) + "\"}");
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    assertThat(verified.body()).doesNotContain(secret);
    assertThat(call("GET", "/me/totp/qr", tina, null).code()).isEqualTo("TOTP_ALREADY_ENABLED");
    assertThat(call("GET", "/me", tina, null).body()).doesNotContain(secret).contains("\"totpEnabled\":true");

    Reply missing = call("POST", "/auth/token", null, "{\"username\":\"tina\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.code()).isEqualTo("TOTP_REQUIRED");
    Reply wrongType = call("POST", "/auth/token", null, "{\"username\":\"tina\",\"password\":\"" + PASSWORD + "\",\"totp\":123456}");
    assertThat(wrongType.code()).isEqualTo("INVALID_REQUEST");
    String right = totp.codeAt(secret, clock.instant());
    Reply ok = call("POST", "/auth/token", null, "{\"username\":\"tina\",\"password\":\"" + PASSWORD + "\",\"totp\":\"" + right + "\"}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    Reply replay = call("POST", "/auth/token", null, "{\"username\":\"tina\",\"password\":\"" + PASSWORD + "\",\"totp\":\"" + right + "\"}");
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.code()).isEqualTo("BAD_TOTP");
    assertThat(call("POST", "/me/totp/disable", tina, "{\"password\":\"nope\"}").code()).isEqualTo("WRONG_PASSWORD");
    assertThat(call("POST", "/me/totp/disable", tina, "{\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(200);
  }

  @Order(9)
  @Test
  void signIn_pastTheLimitForOneName_429WithRetryAfter() throws Exception {
    String body = "{\"username\":\"mallory\",\"password\":\"Guess-Number-0001\"}";
    for (int i = 0; i < 5; i++) {
      assertThat(call("POST", "/auth/token", null, body).code()).isEqualTo("BAD_CREDENTIALS");
    }
    Reply limited = call("POST", "/auth/token", null, body);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.code()).isEqualTo("TOO_MANY_REQUESTS");
    assertThat(limited.raw().headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    // another name from the same address still gets through
    assertThat(call("POST", "/auth/token", null, "{\"username\":\"bea\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(200);
  }
}
