package io.tracetrack.edge.station;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.web.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dock's guard over raw sockets (a browser or HttpClient would not send these): DNS rebinding,
 * strict JSON and broken framing, on a real server with a real SQLite store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHttpGuardTest {

  private static final String PASSWORD = "Guarded-dock-1";

  @TempDir static Path dir;
  TestEdge edge;
  WebServer server;

  @BeforeAll
  void start() {
    edge = new TestEdge(dir);
    server = EdgeServer.start(EdgeServer.settings("127.0.0.1", 0, List.of("dock7.example")),
        new StationApi(edge.scans, edge.users, edge.db), new PageRoutes(edge.db));
  }

  @AfterAll
  void stop() {
    server.stop();
    edge.close();
  }

  private String signIn(String host, String origin, String body) throws IOException {
    String request = "POST /api/session HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n\r\n" + body;
    return raw(request);
  }

  /** Over a raw socket (these are what a well-behaved client never sends): the answer as received. */
  private String raw(String request) throws IOException {
    return RawHttp.send(server.port(), request).raw();
  }

  private long users(String name) {
    return edge.count("select count(*) from local_user where name = '" + name + "'");
  }

  @Test
  void rebindingPage_signIn_refused421_noUserCreated() throws IOException {
    int port = server.port();
    String answer = signIn("evil.example:" + port, "http://evil.example:" + port,
        "{\"station\":\"s1\",\"user\":\"rebound\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(answer).startsWith("HTTP/1.1 421").contains("application/problem+json").contains("\"code\":\"HOST_NOT_ALLOWED\"");
    assertThat(users("rebound")).isZero();
  }

  @Test
  void dockOpenedOnPurpose_allowedHost_signsIn() throws IOException {
    int port = server.port();
    String answer = signIn("dock7.example:" + port, "http://dock7.example:" + port,
        "{\"station\":\"s1\",\"user\":\"opened\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(users("opened")).isOne();
  }

  @Test
  void allowedHost_foreignOrigin_refused403() throws IOException {
    String answer = signIn("localhost:" + server.port(), "http://evil.example",
        "{\"station\":\"s1\",\"user\":\"crossed\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(answer).startsWith("HTTP/1.1 403").contains("\"code\":\"CROSS_ORIGIN\"");
    assertThat(users("crossed")).isZero();
  }

  @Test
  void duplicateKey_refused400_noUserCreated() throws IOException {
    String answer = signIn("127.0.0.1:" + server.port(), null,
        "{\"station\":\"s1\",\"user\":\"twice\",\"user\":\"other\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"MALFORMED_JSON\"");
    assertThat(users("twice") + users("other")).isZero();
  }

  @Test
  void trailingData_refused400() throws IOException {
    String answer = signIn("127.0.0.1:" + server.port(), null,
        "{\"station\":\"s1\",\"user\":\"trail\",\"password\":\"" + PASSWORD + "\"}{}");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"MALFORMED_JSON\"");
    assertThat(users("trail")).isZero();
  }

  @Test
  void negativeContentLength_answered400() throws IOException {
    String answer = raw("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: -1\r\nConnection: close\r\n\r\n{}");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
  }

  @Test
  void userNames_caseInsensitive_andNoFlagLikeNames() throws IOException {
    String first = signIn("127.0.0.1", null, "{\"station\":\"s1\",\"user\":\"Mixed.Case\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(first).startsWith("HTTP/1.1 200").contains("\"user\":\"mixed.case\"");
    assertThat(signIn("127.0.0.1", null, "{\"station\":\"s2\",\"user\":\"MIXED.CASE\",\"password\":\"wrong-Password-1\"}"))
        .startsWith("HTTP/1.1 401");
    assertThat(signIn("127.0.0.1", null, "{\"station\":\"s1\",\"user\":\"-cmd\",\"password\":\"" + PASSWORD + "\"}"))
        .startsWith("HTTP/1.1 400").contains("INVALID_REQUEST");
    assertThat(edge.users.addLocalDispatcher("--help", PASSWORD)).hasValueSatisfying(p -> assertThat(p).contains("letter or digit"));
    assertThat(edge.users.admitTerminalUser("Mixed.CASE")).isEmpty();
    assertThat(users("mixed.case")).isOne();
  }

  @Test
  void weakPassword_byTheSharedPolicy_refused() throws IOException {
    assertThat(signIn("127.0.0.1", null, "{\"station\":\"s1\",\"user\":\"eightch\",\"password\":\"abcdefgh\"}"))
        .startsWith("HTTP/1.1 400").contains("WEAK_PASSWORD");
    assertThat(users("eightch")).isZero();
  }
}
