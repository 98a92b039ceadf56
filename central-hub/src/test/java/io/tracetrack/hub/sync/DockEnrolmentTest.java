package io.tracetrack.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.Concurrently;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Docks, enrolment codes and device credentials over real HTTP on a real hub and database: the
 * happy path, then every way a code or a credential can be wrong, and two edges racing one code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DockEnrolmentTest {

  private final String kind;
  private HubTestServer server;
  private String adminToken;
  private final AtomicInteger next = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();

  DockEnrolmentTest(String kind) {
    this.kind = kind;
  }

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start(kind);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * The enrol route's per-address budget refills with the hub's clock: a minute each test keeps the
   * tests' attempts apart. Moving the clock ages user tokens too, so each test signs in a new admin.
   */
  @BeforeEach
  void refillBudget() throws Exception {
    server.clock.advance(Duration.ofMinutes(1));
    adminToken = server.tokenFor("admin" + next.incrementAndGet(), Role.ADMIN, null);
  }

  @Test
  void register_answersTheCodeOnce_andNothingElseEverShowsIt() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    HubTestServer.Answer created = admin("POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"NORTH\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String code = created.json().get("enrollmentCode").asText();
    assertThat(code).matches("[A-Za-z0-9_-]{24}");
    assertThat(created.json().get("dock").get("enrolled").asBoolean()).isFalse();
    assertThat(created.json().get("codeExpiresAt").asText()).isNotEmpty();

    HubTestServer.Answer list = admin("GET", "/api/v1/docks", null);
    HubTestServer.Answer one = admin("GET", "/api/v1/docks/" + name, null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(one.json().get("area").asText()).isEqualTo("NORTH");
    assertThat(one.json().get("codeExpiresAt").isNull()).isFalse();
    assertThat(list.text() + one.text()).doesNotContain(code).doesNotContain(Secrets.hash(code));
    // the database holds the hash only
    assertThat(server.db.dsl().fetchCount(server.db.dsl().selectFrom("dock").where("code_hash = ?", code))).isZero();
  }

  @Test
  void register_badInput_isRefusedWithAStableCode_andChangesNothing() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"NOWHERE\"}"), 422, "AREA_NOT_FOUND");
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":\"-rm -rf\",\"area\":\"NORTH\"}"), 400, "INVALID_REQUEST");
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":\"" + name + "\"}"), 400, "INVALID_REQUEST");
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":"), 400, "MALFORMED_JSON");
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":\"" + "D".repeat(65) + "\",\"area\":\"NORTH\"}"), 400, "INVALID_REQUEST");
    assertProblem(admin("GET", "/api/v1/docks/" + name, null), 404, "DOCK_NOT_FOUND");
    assertProblem(admin("POST", "/api/v1/docks/" + name + "/code", null), 404, "DOCK_NOT_FOUND");
    assertProblem(admin("POST", "/api/v1/docks/" + name + "/revoke", null), 404, "DOCK_NOT_FOUND");
    register(name);
    assertProblem(admin("POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"SOUTH\"}"), 409, "DOCK_EXISTS");
    assertThat(admin("GET", "/api/v1/docks/" + name, null).json().get("area").asText()).isEqualTo("NORTH");
    // a dispatcher may not register docks
    assertProblem(server.send("POST", "/api/v1/docks",
        server.tokenFor("dispatcher" + next.incrementAndGet(), Role.DISPATCHER, "NORTH"), "application/json",
        "{\"name\":\"X-" + name + "\",\"area\":\"NORTH\"}"), 403, "FORBIDDEN");
  }

  @Test
  void enroll_answersACredential_thatHelloResolvesToTheDockAndEdge() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String code = register(name);
    HubTestServer.Answer enrolled = enroll(code, "edge-0123456789ab");
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    JsonNode body = enrolled.json();
    assertThat(body.get("dock").asText()).isEqualTo(name);
    assertThat(body.get("area").asText()).isEqualTo("NORTH");
    assertThat(body.get("edgeId").asText()).isEqualTo("edge-0123456789ab");
    String credential = body.get("credential").asText();
    assertThat(credential).matches("[A-Za-z0-9_-]{43}");

    HubTestServer.Answer hello = hello(credential, null);
    assertThat(hello.status()).as(hello.text()).isEqualTo(200);
    assertThat(hello.json().get("dock").asText()).isEqualTo(name);
    assertThat(hello.json().get("edgeId").asText()).isEqualTo("edge-0123456789ab");
    assertThat(hello.json().get("hubTime").asText()).isNotEmpty();
    assertThat(hello(credential, "edge-0123456789ab").status()).isEqualTo(200);

    JsonNode listed = admin("GET", "/api/v1/docks/" + name, null).json();
    assertThat(listed.get("enrolled").asBoolean()).isTrue();
    assertThat(listed.get("edgeId").asText()).isEqualTo("edge-0123456789ab");
    assertThat(listed.get("codeExpiresAt").isNull()).isTrue();
    assertThat(admin("GET", "/api/v1/docks", null).text()).doesNotContain(credential).doesNotContain(Secrets.hash(credential));
    assertThat(server.db.dsl().fetchCount(server.db.dsl().selectFrom("audit_entry")
        .where("action = 'DOCK_ENROLLED' and entity_id = ?", name))).isEqualTo(1);
  }

  @Test
  void aDockWithTheLongestName_enrolsAndIsAudited() throws Exception {
    String name = "L" + next.incrementAndGet() + "-" + "x".repeat(64);
    name = name.substring(0, 64);
    HubTestServer.Answer enrolled = enroll(register(name), "edge-long");
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    assertThat(enrolled.json().get("dock").asText()).isEqualTo(name);
    assertThat(server.db.dsl().fetchCount(server.db.dsl().selectFrom("audit_entry")
        .where("action = 'DOCK_ENROLLED' and entity_id = ?", name))).isEqualTo(1);
  }

  @Test
  void hello_refusesMissingForgedOtherEdgeAndUserCredentials() throws Exception {
    String credential = enrolledDock("edge-aaaaaaaaaaaa");
    assertProblem(hello(null, null), 401, "UNAUTHENTICATED");
    assertProblem(hello("A".repeat(43), null), 401, "UNAUTHENTICATED");
    assertProblem(hello("x".repeat(5000), null), 401, "UNAUTHENTICATED");
    assertProblem(hello(adminToken, null), 401, "UNAUTHENTICATED");
    assertProblem(hello(credential, "edge-bbbbbbbbbbbb"), 403, "FORBIDDEN");
    // and a device credential is no user token
    assertProblem(server.send("GET", "/api/v1/docks", credential, null, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void enroll_withAForgedUsedOrMalformedCode_isRefused_andChangesNothing() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String code = register(name);
    assertProblem(enroll((code.charAt(0) == 'A' ? "B" : "A") + code.substring(1), "edge-1-" + name), 401, "ENROLLMENT_CODE_INVALID");
    assertProblem(enroll("", "edge-1-" + name), 400, "INVALID_REQUEST");
    assertProblem(enroll(code, "edge 1; drop table dock"), 400, "INVALID_REQUEST");
    assertProblem(anonymous("POST", "/api/v1/sync/enroll", "{\"code\":\"" + code + "\"}"), 400, "INVALID_REQUEST");
    assertProblem(anonymous("POST", "/api/v1/sync/enroll", "{\"code\":" + code), 400, "MALFORMED_JSON");
    assertProblem(server.send("POST", "/api/v1/sync/enroll", null, "text/plain", code), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertThat(admin("GET", "/api/v1/docks/" + name, null).json().get("enrolled").asBoolean()).isFalse();

    assertThat(enroll(code, "edge-1-" + name).status()).isEqualTo(200);
    assertProblem(enroll(code, "edge-2"), 410, "ENROLLMENT_CODE_USED");
    assertThat(admin("GET", "/api/v1/docks/" + name, null).json().get("edgeId").asText()).isEqualTo("edge-1-" + name);
  }

  @Test
  void enroll_afterTheCodeExpired_isRefused() throws Exception {
    String code = register("DOCK-" + next.incrementAndGet());
    server.clock.advance(Docks.DEFAULT_CODE_LIFETIME.minusSeconds(1));
    adminToken = server.tokenFor("admin" + next.incrementAndGet(), Role.ADMIN, null);
    String name = "DOCK-" + next.incrementAndGet();
    String stillGood = register(name);
    server.clock.advance(Duration.ofSeconds(2));
    assertProblem(enroll(code, "edge-x-" + name), 410, "ENROLLMENT_CODE_EXPIRED");
    assertThat(enroll(stillGood, "edge-x-" + name).status()).isEqualTo(200);
  }

  @Test
  void aFreshCode_replacesTheOldOne_andReEnrolmentEndsTheOldMachinesCredential() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String first = register(name);
    String second = admin("POST", "/api/v1/docks/" + name + "/code", null).json().get("enrollmentCode").asText();
    assertProblem(enroll(first, "edge-old"), 401, "ENROLLMENT_CODE_INVALID");
    String oldCredential = enroll(second, "edge-old").json().get("credential").asText();
    assertThat(hello(oldCredential, null).status()).isEqualTo(200);

    // the dock's machine is replaced: a new code, a new edge
    String third = admin("POST", "/api/v1/docks/" + name + "/code", null).json().get("enrollmentCode").asText();
    String newCredential = enroll(third, "edge-new").json().get("credential").asText();
    assertThat(hello(newCredential, null).json().get("edgeId").asText()).isEqualTo("edge-new");
    assertProblem(hello(oldCredential, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void revoke_stopsTheCredentialAtOnce_onEveryInstance_untilEnrolledAgain() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String credential = enroll(register(name), "edge-r-" + name).json().get("credential").asText();
    try (HubTestServer.Instance other = server.anotherInstance()) {
      assertThat(other.send("GET", "/api/v1/sync/hello", credential, null, null).status()).isEqualTo(200);
      HubTestServer.Answer revoked = admin("POST", "/api/v1/docks/" + name + "/revoke", null);
      assertThat(revoked.status()).as(revoked.text()).isEqualTo(200);
      assertThat(revoked.json().get("dock").get("revokedAt").isNull()).isFalse();
      assertThat(revoked.json().get("dock").get("enrolled").asBoolean()).isFalse();
      assertProblem(hello(credential, null), 401, "DOCK_REVOKED");
      assertProblem(other.send("GET", "/api/v1/sync/hello", credential, null, null), 401, "DOCK_REVOKED");
    }
    // revoking twice is no error
    assertThat(admin("POST", "/api/v1/docks/" + name + "/revoke", null).status()).isEqualTo(200);
    String code = admin("POST", "/api/v1/docks/" + name + "/code", null).json().get("enrollmentCode").asText();
    String again = enroll(code, "edge-r-" + name).json().get("credential").asText();
    assertThat(hello(again, null).status()).isEqualTo(200);
    assertProblem(hello(credential, null), 401, "UNAUTHENTICATED");
  }

  @Test
  void revoke_dropsAPendingCode() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String code = register(name);
    admin("POST", "/api/v1/docks/" + name + "/revoke", null);
    assertProblem(enroll(code, "edge-1"), 401, "ENROLLMENT_CODE_INVALID");
  }

  @Test
  void twoEdgesRacingOneCode_exactlyOneWins() throws Exception {
    String name = "DOCK-" + next.incrementAndGet();
    String code = register(name);
    List<HubTestServer.Answer> answers = Concurrently.run(8, i -> () -> enroll(code, "edge-racer" + i));
    List<HubTestServer.Answer> winners = answers.stream().filter(a -> a.status() == 200).toList();
    assertThat(winners).as(answers.toString()).hasSize(1);
    assertThat(answers.stream().filter(a -> a.status() == 410).map(a -> a.json().get("code").asText()))
        .hasSize(7).containsOnly("ENROLLMENT_CODE_USED");
    String winner = winners.getFirst().json().get("edgeId").asText();
    assertThat(admin("GET", "/api/v1/docks/" + name, null).json().get("edgeId").asText()).isEqualTo(winner);
    assertThat(hello(winners.getFirst().json().get("credential").asText(), null).json().get("edgeId").asText())
        .isEqualTo(winner);
  }

  @Test
  void guessingCodes_isRateLimitedPerAddress() throws Exception {
    int refused = 0;
    HubTestServer.Answer last = null;
    for (int i = 0; i < 40 && (last == null || last.status() != 429); i++) {
      last = enroll("guess" + i, "edge-1");
      refused++;
    }
    assertProblem(last, 429, "TOO_MANY_REQUESTS");
    assertThat(refused).isGreaterThan(1);
  }

  // ---- helpers ----

  private String enrolledDock(String edgeId) throws Exception {
    return enroll(register("DOCK-" + next.incrementAndGet()), edgeId).json().get("credential").asText();
  }

  private String register(String name) {
    HubTestServer.Answer res = admin("POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"NORTH\"}");
    assertThat(res.status()).as(res.text()).isEqualTo(201);
    return res.json().get("enrollmentCode").asText();
  }

  private HubTestServer.Answer enroll(String code, String edgeId) {
    return anonymous("POST", "/api/v1/sync/enroll", "{\"code\":\"" + code + "\",\"edgeId\":\"" + edgeId + "\",\"dock\":\"DOCK-1\"}");
  }

  private HubTestServer.Answer hello(String credential, String edgeId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/sync/hello")).GET();
    if (credential != null) {
      b.header("Authorization", "Bearer " + credential);
    }
    if (edgeId != null) {
      b.header("X-Edge-Id", edgeId);
    }
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new HubTestServer.Answer(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
  }

  private HubTestServer.Answer admin(String method, String path, String body) {
    return server.send(method, path, adminToken, body == null ? null : "application/json", body);
  }

  private HubTestServer.Answer anonymous(String method, String path, String body) {
    return server.send(method, path, null, "application/json", body);
  }

  private static void assertProblem(HubTestServer.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asText()).isEqualTo(code);
  }

}
