package io.tracetrack.edge.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.tracetrack.edge.TestEdge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The station API over real HTTP, on a real server and a real SQLite store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StationApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  TestEdge edge;
  WebServer server;
  HttpClient http = HttpClient.newHttpClient();
  String token;
  int nextChild = 100;

  @BeforeAll
  void start() {
    edge = new TestEdge(dir);
    server = EdgeServer.start("127.0.0.1", 0, new StationApi(edge.scans, edge.users, edge.db), new PageRoutes(edge.db));
  }

  @AfterAll
  void stop() {
    server.stop();
    edge.close();
  }

  @BeforeEach
  void signIn() throws Exception {
    if (token == null) {
      HttpResponse<String> res = post("/api/session", "{\"station\":\"s1\",\"user\":\"asha\",\"password\":\"Correct-horse-1\"}", null);
      assertThat(res.statusCode()).isEqualTo(200);
      token = JSON.readTree(res.body()).get("token").asText();
    }
    edge.clock.advance(Duration.ofSeconds(2));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> post(String path, String body, String bearer) throws IOException, InterruptedException {
    return send(path, body, bearer, "application/json");
  }

  private HttpResponse<String> send(String path, String body, String bearer, String contentType) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode scan(String code) throws Exception {
    edge.clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> res = post("/api/scan", JSON.writeValueAsString(Map.of("code", code)), token);
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  private static void assertProblem(HttpResponse<String> res, int status, String code) throws IOException {
    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("detail").asText()).isNotBlank();
  }

  @Test
  void scanEndpoint_sameAnswersAsTheTerminal() throws Exception {
    assertThat(scan("P900-2").get("accepted").asBoolean()).isTrue();
    assertThat(scan("C900").get("count").asInt()).isEqualTo(1);
    JsonNode complete = scan("C901");
    assertThat(complete.get("complete").asBoolean()).isTrue();
    JsonNode refused = scan("C902");
    assertThat(refused.get("accepted").asBoolean()).isFalse();
    assertThat(refused.get("reason").asText()).isEqualTo("PARENT_COMPLETE");
    assertThat(refused.get("parent").asText()).isEqualTo("P900-2");
    assertThat(refused.get("limit").asInt()).isEqualTo(2);
  }

  @Test
  void stationView_restoresParentAndRecentScans() throws Exception {
    scan("P910-5");
    scan("C910");
    HttpResponse<String> res = get("/api/station", token);
    JsonNode view = JSON.readTree(res.body());
    assertThat(view.get("parent").asText()).isEqualTo("P910-5");
    assertThat(view.get("count").asInt()).isEqualTo(1);
    assertThat(view.get("recent").get(0).get("code").asText()).isEqualTo("C910");
    assertThat(view.get("bounceMillis").asInt()).isEqualTo(800);
  }

  @Test
  void status_reportsEdgeIdDockPendingOpsAndLastSeq() throws Exception {
    scan("P920-5");
    JsonNode status = JSON.readTree(get("/api/status", null).body());
    assertThat(status.get("edgeId").asText()).startsWith("edge-");
    assertThat(status.get("dock").asText()).isEqualTo("DOCK-T");
    assertThat(status.get("pendingOps").asLong()).isEqualTo(status.get("lastSeq").asLong()).isPositive();
  }

  @Nested
  class SignIn {
    @Test
    void wrongPassword_is401_andLocksAfterFiveFailures() throws Exception {
      post("/api/session", "{\"station\":\"s9\",\"user\":\"lockme\",\"password\":\"Right-password-1\"}", null);
      for (int i = 0; i < 5; i++) {
        assertProblem(post("/api/session", "{\"station\":\"s9\",\"user\":\"lockme\",\"password\":\"wrong-guess\"}", null), 401, "BAD_CREDENTIALS");
      }
      assertProblem(post("/api/session", "{\"station\":\"s9\",\"user\":\"lockme\",\"password\":\"Right-password-1\"}", null), 423, "ACCOUNT_LOCKED");
      edge.clock.advance(Duration.ofMinutes(16));
      assertThat(post("/api/session", "{\"station\":\"s9\",\"user\":\"lockme\",\"password\":\"Right-password-1\"}", null).statusCode()).isEqualTo(200);
    }

    @Test
    void newUserWithShortPassword_isRefused_andNotCreated() throws Exception {
      assertProblem(post("/api/session", "{\"station\":\"s9\",\"user\":\"shorty\",\"password\":\"123\"}", null), 400, "WEAK_PASSWORD");
      assertThat(edge.count("select count(*) from local_user where name = 'shorty'")).isZero();
    }

    @Test
    void passwordIsStoredOnlyAsArgon2idHash() throws Exception {
      post("/api/session", "{\"station\":\"s9\",\"user\":\"hashme\",\"password\":\"Plain-text-secret-1\"}", null);
      assertThat(edge.count("select count(*) from local_user where name = 'hashme' and password_hash like '$argon2id$%'")).isEqualTo(1);
      assertThat(edge.count("select count(*) from local_user where password_hash like '%Plain-text-secret-1%'")).isZero();
    }

    @Test
    void scanWithoutOrWithBadToken_is401() throws Exception {
      assertProblem(post("/api/scan", "{\"code\":\"C1\"}", null), 401, "NOT_SIGNED_IN");
      assertProblem(post("/api/scan", "{\"code\":\"C1\"}", "x".repeat(43)), 401, "NOT_SIGNED_IN");
      assertProblem(get("/api/station", "nonsense"), 401, "NOT_SIGNED_IN");
    }

    @Test
    void signOut_invalidatesTheToken() throws Exception {
      HttpResponse<String> res = post("/api/session", "{\"station\":\"s8\",\"user\":\"leaver\",\"password\":\"long-enough-1\"}", null);
      String t = JSON.readTree(res.body()).get("token").asText();
      HttpRequest delete = HttpRequest.newBuilder(uri("/api/session")).DELETE().header("Authorization", "Bearer " + t).build();
      assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
      assertProblem(get("/api/station", t), 401, "NOT_SIGNED_IN");
    }
  }

  @Nested
  class HostileRequests {
    static Stream<Arguments> badBodies() {
      return Stream.of(
          Arguments.of("malformed JSON", "{\"code\": [1", "MALFORMED_JSON"),
          Arguments.of("empty body", "", "MALFORMED_JSON"),
          Arguments.of("not an object", "[\"C1\"]", "INVALID_REQUEST"),
          Arguments.of("JSON null", "null", "INVALID_REQUEST"),
          Arguments.of("code is a number", "{\"code\": 12}", "INVALID_REQUEST"),
          Arguments.of("code is an object", "{\"code\": {\"$ne\": null}}", "INVALID_REQUEST"),
          Arguments.of("code missing", "{\"cod\": \"C1\"}", "INVALID_REQUEST"),
          Arguments.of("deeply nested", "{\"code\":\"C1\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "JSON_LIMIT_EXCEEDED"),
          Arguments.of("huge number", "{\"code\":\"C1\",\"n\":" + "9".repeat(5000) + "}", "JSON_LIMIT_EXCEEDED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBody_is400ProblemJson_andChangesNothing(String name, String body, String code) throws Exception {
      String before = edge.fingerprint();
      assertProblem(post("/api/scan", body, token), 400, code);
      assertThat(edge.fingerprint()).isEqualTo(before);
    }

    @Test
    void unknownFields_areIgnored() throws Exception {
      scan("P930-5");
      edge.clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> res = post("/api/scan", "{\"code\":\"C930\",\"extra\":{\"a\":1}}", token);
      assertThat(JSON.readTree(res.body()).get("accepted").asBoolean()).isTrue();
    }

    @Test
    void bodyOverTheLimit_is413() throws Exception {
      assertProblem(post("/api/scan", "{\"code\":\"" + "C".repeat(300_000) + "\"}", token), 413, "BODY_TOO_LARGE");
    }

    @Test
    void wrongContentType_is415() throws Exception {
      assertProblem(send("/api/scan", "{\"code\":\"C1\"}", token, "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
      assertProblem(send("/api/session", "station=s1&user=a&password=b", null, "application/x-www-form-urlencoded"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void crossOriginRequest_is403() throws Exception {
      HttpRequest req = HttpRequest.newBuilder(uri("/api/scan"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"C1\"}"))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + token)
          .header("Origin", "http://evil.example")
          .build();
      assertProblem(http.send(req, HttpResponse.BodyHandlers.ofString()), 403, "CROSS_ORIGIN");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tracetrack.edge.HostileInputs#table")
    void hostileScanText_getsAClearRejection_storesNothing_nextScanWorks(String name, String input, String detail) throws Exception {
      scan("P940-30");
      String before = edge.fingerprint();
      JsonNode r = scan(input);
      assertThat(r.get("accepted").asBoolean()).isFalse();
      assertThat(r.get("reason").asText()).isEqualTo("INVALID_CODE");
      assertThat(r.get("detail").asText()).isEqualTo(detail);
      assertThat(edge.fingerprint()).isEqualTo(before);
      assertThat(scan("C94" + nextChild++).get("accepted").asBoolean()).isTrue();
    }

    @Test
    void unknownRoute_is404ProblemJson_notA500() throws Exception {
      assertProblem(get("/api/nope", token), 404, "NOT_FOUND");
      assertThat(get("/../../etc/passwd", null).statusCode()).isIn(400, 404);
    }
  }

  @Nested
  class Page {
    @Test
    void stationPage_isServedWithStrictSecurityHeaders_andNoExternalResources() throws Exception {
      HttpResponse<String> res = get("/", null);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'");
      assertThat(res.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(res.body()).contains("scan-input").doesNotContain("http://").doesNotContain("https://").doesNotContain("alert(");
      for (String asset : new String[] {"/station/main.js", "/scan-kit.js", "/station.css", "/commands.html"}) {
        HttpResponse<String> a = get(asset, null);
        assertThat(a.statusCode()).as(asset).isEqualTo(200);
        assertThat(a.body()).as(asset).doesNotContain("https://").doesNotContain("alert(");
      }
    }

    /** Module scripts run only with a JavaScript type; every one is revalidated like the page. */
    @Test
    void everyStationModule_isServedAsJavaScript_revalidatedEachTime() throws Exception {
      for (String asset : Stream.concat(PageRoutes.ASSETS.stream().filter(n -> n.endsWith(".js")), Stream.of("scan-kit.js"))
          .toList()) {
        HttpResponse<String> a = get("/" + asset, null);
        assertThat(a.statusCode()).as(asset).isEqualTo(200);
        assertThat(a.headers().firstValue("Content-Type")).as(asset).hasValue("text/javascript; charset=utf-8");
        assertThat(a.headers().firstValue("Cache-Control")).as(asset).hasValue("no-cache");
        assertThat(a.body()).as(asset).doesNotContain("innerHTML").doesNotContain("eval(");
      }
    }

    /** A module in web/station/ that PageRoutes does not list would be a 404 only a browser finds. */
    @Test
    void everyModuleInTheStationFolder_isListedToBeServed() throws IOException {
      try (Stream<Path> files = java.nio.file.Files.list(Path.of("src/main/resources/web/station"))) {
        assertThat(files.map(f -> "station/" + f.getFileName()).toList())
            .containsExactlyInAnyOrderElementsOf(PageRoutes.ASSETS.stream().filter(n -> n.startsWith("station/")).toList());
      }
    }

    @Test
    void commandBarcodes_areSvg_andOnlyForCodeText() throws Exception {
      HttpResponse<String> res = get("/barcode/CMD-UNDO.svg", null);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
      assertThat(res.body()).startsWith("<svg").contains("<path");
      assertProblem(get("/barcode/%3Cscript%3E.svg", null), 400, "INVALID_CODE");
    }

    /**
     * A full disk (SQLite's page cap stands in for it): the refused scan reports where the station
     * stands, not "no parent, 0", and /health says DOWN with the reason until a write succeeds again.
     */
    @Test
    void diskFull_refusedScanKeepsTheStationsParentAndCount_healthDown_untilAWriteSucceeds() throws Exception {
      signIn();
      scan("P9600-30");
      scan("C96000");
      long pages = edge.db.write(dsl -> dsl.fetchSingle("pragma page_count").get(0, Long.class));
      edge.db.write(dsl -> dsl.fetch("pragma max_page_count = " + pages));

      // children until a write needs a page the cap does not allow (a new parent when one is full)
      JsonNode refused = null;
      String parent = "P9600-30";
      for (int i = 96001; i < 96400 && refused == null; i++) {
        JsonNode r = scan("C" + i);
        if (r.get("accepted").asBoolean() && r.get("complete").asBoolean()) {
          parent = "P" + i + "-30";
          r = scan(parent);
        }
        if (!r.get("accepted").asBoolean()) {
          refused = r;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(refused.get("reason").asText()).isEqualTo("STORE_UNAVAILABLE");
      assertThat(refused.get("parent").asText()).isEqualTo(parent);
      HttpResponse<String> down = get("/health", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"DOWN\"").contains("disk is full");

      edge.db.write(dsl -> dsl.fetch("pragma max_page_count = 1073741823"));
      assertThat(scan("C96999").get("accepted").asBoolean()).isTrue();
      assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void health_isUp() throws Exception {
      HttpResponse<String> res = get("/health", null);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(res.body()).get("status").asText()).isEqualTo("UP");
    }
  }
}
