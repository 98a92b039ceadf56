package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.tracetrack.hub.web.ClientAddresses;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.users.Users;
import io.tracetrack.hub.web.HubServer;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.Form;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The role a route declares ({@code access.allow(roles, handler)}) is checked before the handler
 * runs: no token is a 401 with {@code WWW-Authenticate}, the wrong role a 403, and the handler
 * (which here would also refuse the body) never sees either request. A real hub server and a real
 * H2 database; the tokens are real ones from a real sign-in.
 */
class AccessRoutingTest {

  private static final String PASSWORD = "Admin-Passw0rd!";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger ran = new AtomicInteger();
  private static HubDatabase db;
  private static WebServer server;
  private static String adminToken;

  @BeforeAll
  static void start() {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T06:00:00Z"));
    db = TestDatabases.fresh("h2", 4);
    Users users = new Users(db, clock);
    users.ensureFirstAdmin(PASSWORD);
    Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), clock,
        Duration.ofMinutes(15));
    Access access = new Access(tokens, new AccountCheck(db, clock), ClientAddresses.direct());
    Users.SignIn.Ok ok = (Users.SignIn.Ok) users.signIn("admin", PASSWORD);
    adminToken = tokens.issue(ok.principal(), ok.passwordStamp(), ok.tokenEpoch()).token();
    server = HubServer.start("127.0.0.1", 0, List.of(new HubServer.Mount("/t", rules -> rules
        .post("/billers", access.allow(Set.of(Role.BILLER), (req, res, caller) -> {
          ran.incrementAndGet();
          Http.form(req).check();
          res.send("ran");
        }))
        .post("/admins", access.allow(Set.of(Role.ADMIN), (req, res, caller) -> {
          ran.incrementAndGet();
          Form f = Http.form(req);
          String name = f.required("name", 10);
          f.check();
          Http.json(res, 200, Map.of("name", name, "by", caller.principal().username()));
        })))), List.of());
  }

  @AfterAll
  static void stop() {
    server.stop();
    db.close();
  }

  private static HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode problem(HttpResponse<String> res, int status, String code) throws Exception {
    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).contains("application/problem+json");
    // the hub's own filter ran before the refusal: the answer still names its request
    assertThat(res.headers().firstValue("X-Request-Id")).isPresent();
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    return body;
  }

  @Test
  void noToken_is401_withTheChallenge_beforeTheHandlerRuns() throws Exception {
    int before = ran.get();
    HttpResponse<String> res = post("/t/admins", null, "not even JSON");
    problem(res, 401, "UNAUTHENTICATED");
    assertThat(res.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"tracetrack\"");
    assertThat(ran.get()).isEqualTo(before);
  }

  @Test
  void forgedToken_is401() throws Exception {
    problem(post("/t/admins", adminToken + "x", "{\"name\":\"a\"}"), 401, "UNAUTHENTICATED");
  }

  @Test
  void wrongRole_is403_beforeTheHandlerRuns() throws Exception {
    int before = ran.get();
    problem(post("/t/billers", adminToken, "not even JSON"), 403, "FORBIDDEN");
    assertThat(ran.get()).isEqualTo(before);
  }

  @Test
  void allowedRole_reachesTheHandler_withTheCaller() throws Exception {
    HttpResponse<String> res = post("/t/admins", adminToken, "{\"name\":\"dock\"}");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).get("by").asText()).isEqualTo("admin");
  }

  @Test
  void allowedRole_badBody_isTheFormsProblem() throws Exception {
    JsonNode body = problem(post("/t/admins", adminToken, "{\"name\":7}"), 400, "INVALID_REQUEST");
    assertThat(body.get("detail").asText()).isEqualTo("name must be a string");
  }
}
