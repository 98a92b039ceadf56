package io.tracetrack.edge.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.station.EdgeServer;
import io.tracetrack.edge.station.PageRoutes;
import io.tracetrack.edge.station.StationApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may sign in at a station and how long a session lasts, over real HTTP on a real SQLite
 * store. Account changes are made the way the {@code users} CLI makes them: through another
 * {@link LocalUsers} on its own connection to the same file (the CLI is another process), or by
 * plain SQL (as a later sync step could).
 */
class SignInAndSessionRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  TestEdge edge;
  WebServer server;
  EdgeDatabase cliDb;
  LocalUsers cli;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    edge = new TestEdge(dir);
    server = EdgeServer.start("127.0.0.1", 0, new StationApi(edge.scans, edge.users, edge.db), new PageRoutes(edge.db));
    cliDb = EdgeDatabase.open(dir.resolve("edge.db"), Duration.ofSeconds(5));
    cli = new LocalUsers(cliDb, edge.clock);
  }

  @AfterEach
  void stop() {
    server.stop();
    cliDb.close();
    edge.close();
  }

  private HttpResponse<String> post(String path, Object body, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signIn(String user, String password) throws Exception {
    return post("/api/session", Map.of("station", "s1", "user", user, "password", password), null);
  }

  private String token(String user, String password) throws Exception {
    HttpResponse<String> res = signIn(user, password);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("token").asText();
  }

  private HttpResponse<String> scan(String token, String code) throws Exception {
    edge.clock.advance(Duration.ofSeconds(1));
    return post("/api/scan", Map.of("code", code), token);
  }

  private static JsonNode problem(HttpResponse<String> res, int status, String code) throws IOException {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    return body;
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("edge.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  @Nested
  class UserWithoutPassword {
    @Test
    void terminalUser_cannotBeClaimedOnThePage_withAnyPassword() throws Exception {
      assertThat(edge.users.admitTerminalUser("termu")).isEmpty(); // `scan --user termu`

      JsonNode body = problem(signIn("termu", "whatever-i-like"), 400, "NO_PASSWORD");
      assertThat(body.get("detail").asText()).contains("termu has no password").contains("users passwd termu");
      assertThat(edge.users.list()).singleElement().satisfies(u -> assertThat(u.hasPassword()).isFalse());
      // nor on a second try with the same password: nothing was stored by the first
      problem(signIn("termu", "whatever-i-like"), 400, "NO_PASSWORD");
    }

    @Test
    void afterAnAdminSetsThePassword_signInWorksWithThatPasswordOnly() throws Exception {
      edge.users.admitTerminalUser("termu");
      assertThat(cli.setPassword("termu", "set-by-admin-1")).isEmpty();
      problem(signIn("termu", "whatever-i-like"), 401, "BAD_CREDENTIALS");
      assertThat(scan(token("termu", "set-by-admin-1"), "P1-3").statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class SessionsEndWithTheAccount {
    @Test
    void disablingTheUser_endsTheSessionAtOnce_andSignInIsRefused() throws Exception {
      String token = token("asha", "asha-secret-1");
      assertThat(scan(token, "P1-3").statusCode()).isEqualTo(200);

      assertThat(cli.disable("asha")).isEmpty();
      problem(scan(token, "C1"), 401, "NOT_SIGNED_IN");
      problem(signIn("asha", "asha-secret-1"), 403, "DISABLED");
      assertThat(edge.count("select count(*) from bag where code = 'C1'")).isZero();

      assertThat(cli.enable("asha")).isEmpty();
      problem(scan(token, "C1"), 401, "NOT_SIGNED_IN"); // enabling again does not revive old sessions
      assertThat(scan(token("asha", "asha-secret-1"), "C1").statusCode()).isEqualTo(200);
    }

    @Test
    void changingThePassword_endsTheSession_andOnlyTheNewPasswordSignsIn() throws Exception {
      String token = token("asha", "asha-secret-1");
      assertThat(scan(token, "P1-3").statusCode()).isEqualTo(200);

      assertThat(cli.setPassword("asha", "asha-secret-2")).isEmpty();
      problem(scan(token, "C1"), 401, "NOT_SIGNED_IN");
      problem(signIn("asha", "asha-secret-1"), 401, "BAD_CREDENTIALS");
      assertThat(scan(token("asha", "asha-secret-2"), "C1").statusCode()).isEqualTo(200);
    }

    @Test
    void disabledOrRepasswordedByPlainSql_isNoticedOnTheNextRequest_notCached() throws Exception {
      String first = token("asha", "asha-secret-1");
      assertThat(scan(first, "P1-3").statusCode()).isEqualTo(200);
      sql("update local_user set disabled = 1 where name = 'asha'"); // sessions left in place
      problem(scan(first, "C1"), 401, "NOT_SIGNED_IN");

      sql("update local_user set disabled = 0 where name = 'asha'");
      assertThat(scan(first, "C1").statusCode()).isEqualTo(200);
      sql("update local_user set password_hash = (select password_hash from local_user where name = 'asha') || 'x' "
          + "where name = 'asha'");
      problem(scan(first, "C2"), 401, "NOT_SIGNED_IN");
    }

    @Test
    void otherUsersSessions_areUntouched() throws Exception {
      String asha = token("asha", "asha-secret-1");
      String ben = post("/api/session", Map.of("station", "s2", "user", "ben", "password", "ben-secret-1"), null)
          .body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
      cli.disable("asha");
      problem(scan(asha, "P1-3"), 401, "NOT_SIGNED_IN");
      assertThat(scan(ben, "P1-3").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unknownUser_cannotBeDisabledOrGivenAPassword() {
    assertThat(cli.disable("nobody")).hasValueSatisfying(m -> assertThat(m).contains("not known"));
    assertThat(cli.setPassword("nobody", "long-enough-1")).hasValueSatisfying(m -> assertThat(m).contains("not known"));
    assertThat(cli.setPassword("nobody", "short")).hasValueSatisfying(m -> assertThat(m).contains("at least 12"));
  }
}
