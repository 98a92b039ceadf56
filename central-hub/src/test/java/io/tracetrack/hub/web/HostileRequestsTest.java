package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.web.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile input at the API: a clear 4xx problem+json with a stable code, and nothing changed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileRequestsTest {

  private final String kind;

  protected HostileRequestsTest(String kind) {
    this.kind = kind;
  }

  private HubTestServer server;

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start(kind);
    server.send("POST", "/api/v1/bags", "{\"code\":\"P5-5\"}", "admin");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private long rows() {
    return server.db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.BAG);
  }

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("/api/v1/links", "{\"parent\": \"P5-5\", \"child\": [1", 400, "MALFORMED_JSON"),
        Arguments.of("/api/v1/links", "", 400, "MALFORMED_JSON"),
        Arguments.of("/api/v1/links", "[]", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/links", "{\"parent\": 5, \"child\": \"C1\"}", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/links", "{\"parent\": \"P5-5\"}", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/links", "{\"parent\": \"P5-5\", \"child\": {\"$gt\": \"\"}}", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C1\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", 400, "JSON_LIMIT_EXCEEDED"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C1\",\"n\":" + "9".repeat(1000) + "}", 400, "JSON_LIMIT_EXCEEDED"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"" + "C".repeat(300) + "\"}", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C1'; DROP TABLE bag;--\"}", 400, "INVALID_CODE"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"<img src=x onerror=alert(1)>\"}", 400, "INVALID_CODE"),
        Arguments.of("/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"../../etc/passwd\"}", 400, "INVALID_CODE"),
        Arguments.of("/api/v1/bags", "{\"code\":\"P1-99\"}", 400, "INVALID_CODE"),
        Arguments.of("/api/v1/bags", "{\"code\":\"CMD-UNDO\"}", 400, "INVALID_CODE"),
        Arguments.of("/api/v1/auth/token", "{\"username\": 1, \"password\": true}", 400, "INVALID_REQUEST"),
        Arguments.of("/api/v1/bags", "{\"code\":\"P7-5\",\"code\":\"P8-5\"}", 400, "MALFORMED_JSON"),
        Arguments.of("/api/v1/bags", "{\"code\":\"P7-5\"} {\"code\":\"P8-5\"}", 400, "MALFORMED_JSON"),
        Arguments.of("/api/v1/users", "{\"username\":\"-cmd\",\"role\":\"BILLER\",\"password\":\"Test-Passw0rd!\"}", 400, "INVALID_USERNAME"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodies")
  void hostileBody_isRefusedClearly_andChangesNothing(String path, String body, int status, String code) throws Exception {
    long before = rows();
    HttpResponse<String> res = server.send("POST", path, body, "admin");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo(code);
    assertThat(rows()).isEqualTo(before);
  }

  /** Over a raw socket (these are what a well-behaved client never sends): the answer as received. */
  private String raw(String request) throws IOException {
    return RawHttp.send(server.uri("/").getPort(), request).raw();
  }

  @Test
  void brokenFraming_is400ProblemJson_andChangesNothing() throws Exception {
    long before = rows();
    String token = server.tokens.get("admin");
    for (String lengths : java.util.List.of("Content-Length: -1", "Content-Length: 16\r\nContent-Length: 5", "Content-Length: 16, 16")) {
      String answer = raw("POST /api/v1/bags HTTP/1.1\r\nHost: hub.example\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/json\r\n" + lengths + "\r\nConnection: close\r\n\r\n{\"code\":\"P9-5\"}");
      assertThat(answer).as(lengths).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("\"code\":\"BAD_REQUEST\"");
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void anyHost_answeredByDefault_behindProxies() throws Exception {
    assertThat(raw("GET /health HTTP/1.1\r\nHost: hub.example.org\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  @Test
  void hugeBody_is413() throws Exception {
    HttpResponse<String> res = server.send("POST", "/api/v1/links", "{\"parent\":\"" + "P".repeat(200_000) + "\"}", "admin");
    assertThat(res.statusCode()).isEqualTo(413);
  }

  @Test
  void wrongContentType_is415() throws Exception {
    var req = java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/links"))
        .header("Content-Type", "text/plain")
        .header("Authorization", "Bearer " + server.tokens.get("admin"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("parent=P5-5&child=C1")).build();
    var res = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(415);
  }

  @Test
  void pathTraversalAndControlCharactersInCodes_areNotFound_notAnError() throws Exception {
    assertThat(server.send("GET", "/api/v1/bags/..%2F..%2Fetc%2Fpasswd", null, "admin").statusCode()).isIn(400, 404);
    assertThat(server.send("GET", "/api/v1/bags/C1%00", null, "admin").statusCode()).isIn(400, 404);
    assertThat(server.send("GET", "/api/v1/nope", null, "admin").statusCode()).isEqualTo(404);
  }

  @Test
  void refusedLink_is409WithTheDocksReasonCode_andNamesTheOtherBag() throws Exception {
    server.send("POST", "/api/v1/bags", "{\"code\":\"P6-5\"}", "admin");
    server.send("POST", "/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C55\"}", "admin");
    HttpResponse<String> res = server.send("POST", "/api/v1/links", "{\"parent\":\"P6-5\",\"child\":\"C55\"}", "admin");
    assertThat(res.statusCode()).isEqualTo(409);
    assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("CHILD_ALREADY_LINKED");
    assertThat(HubTestServer.json(res).get("otherBag").asText()).isEqualTo("P5-5");
  }

  @Test
  void everyMutation_isAudited_andTheChainVerifies_andTamperingIsDetected() throws Exception {
    server.send("POST", "/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C56\"}", "admin");
    var audit = HubTestServer.json(server.send("GET", "/api/v1/audit?entityId=C56", null, "admin"));
    assertThat(audit.get("entries")).isNotEmpty();
    var entry = audit.get("entries").get(0);
    assertThat(entry.get("action").asText()).isEqualTo("CHILD_LINKED");
    assertThat(entry.get("entityType").asText()).isEqualTo("BAG");
    assertThat(entry.get("actor").asText()).isEqualTo("admin");
    assertThat(entry.get("requestId").asText()).isNotBlank();
    assertThat(entry.get("ip").asText()).isNotBlank();
    var ok = HubTestServer.json(server.send("POST", "/api/v1/audit/verify", null, "admin"));
    assertThat(ok.get("intact").asBoolean()).isTrue();
    assertThat(ok.get("checked").asLong()).isPositive();
    server.db.dsl().execute("update audit_entry set actor = 'mallory' where entity_id = 'C56'");
    var bad = HubTestServer.json(server.send("POST", "/api/v1/audit/verify", null, "admin"));
    assertThat(bad.get("intact").asBoolean()).isFalse();
    assertThat(bad.get("problem").asText()).contains("changed");
  }

  @Test
  void auditByAction_findsTheActionUnderItsFormerNameToo() throws Exception {
    server.send("POST", "/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C57\"}", "admin");
    // an entry as a hub recorded it before the action names were unified
    server.db.dsl().execute("insert into audit_entry (at, actor, action, entity_type, entity_id)"
        + " values (current_timestamp, 'old-hub', 'LINK', 'BAG', 'C57')");
    var found = HubTestServer.json(server.send("GET", "/api/v1/audit?action=child_linked&entityType=BAG&entityId=C57",
        null, "admin"));
    assertThat(found.get("entries").findValuesAsText("action")).containsExactly("LINK", "CHILD_LINKED");
    var other = HubTestServer.json(server.send("GET", "/api/v1/audit?action=BILL_CREATED&entityId=C57", null, "admin"));
    assertThat(other.get("entries")).isEmpty();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"action=LINK", "action=", "action=CREATE_BILL",
      "entityType=BAGS", "action=CHILD_LINKED&entityType=bill%27--"})
  void auditFilter_unknownActionOrEntity_isInvalidFilter(String query) throws Exception {
    HttpResponse<String> res = server.send("GET", "/api/v1/audit?" + query, null, "admin");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("INVALID_FILTER");
  }

  @Test
  void auditTimeRange_keepsOnlyEntriesInside_andABadBoundIsInvalidFilter() throws Exception {
    server.send("POST", "/api/v1/links", "{\"parent\":\"P5-5\",\"child\":\"C58\"}", "admin");
    String at = server.clock.instant().toString();
    String later = server.clock.instant().plusSeconds(1).toString();
    var inside = HubTestServer.json(server.send("GET", "/api/v1/audit?entityId=C58&from=" + at + "&until=" + later, null, "admin"));
    assertThat(inside.get("entries").findValuesAsText("action")).containsExactly("CHILD_LINKED");
    var after = HubTestServer.json(server.send("GET", "/api/v1/audit?entityId=C58&from=" + later, null, "admin"));
    assertThat(after.get("entries")).isEmpty();
    var before = HubTestServer.json(server.send("GET", "/api/v1/audit?entityId=C58&until=" + at, null, "admin"));
    assertThat(before.get("entries")).isEmpty();
    for (String bad : new String[] {"from=yesterday", "until=2026-13-01T00:00:00Z", "from=2026-12-01"}) {
      HttpResponse<String> res = server.send("GET", "/api/v1/audit?" + bad, null, "admin");
      assertThat(res.statusCode()).as(bad + " " + res.body()).isEqualTo(400);
      assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("INVALID_FILTER");
    }
  }

  @Test
  void metrics_arePrometheusText_perRoutePattern_withPoolAndJvm() throws Exception {
    server.send("GET", "/api/v1/bags/P5-5", null, "admin");
    server.send("GET", "/api/v1/me", null, "admin");
    server.send("GET", "/metrics", null, null);
    HttpResponse<String> res = server.send("GET", "/metrics", null, null);
    assertThat(res.statusCode()).isEqualTo(200);
    // routes as written: not Helidon's join of mount and rule (//metrics, /api/v1/me/)
    assertThat(res.body()).contains("http_server_requests_seconds_count").contains("route=\"/api/v1/bags/{code}\"")
        .contains("route=\"/metrics\"").contains("route=\"/api/v1/me\"").doesNotContain("route=\"//").doesNotContain("/\",status")
        .contains("hikaricp_connections").contains("jvm_memory_used_bytes").doesNotContain("route=\"/api/v1/bags/P5-5\"");
    var health = HubTestServer.json(server.send("GET", "/api/v1/system/health", null, "admin"));
    assertThat(health.get("database").get("pool").get("max").asInt()).isPositive();
    assertThat(health.get("database").get("sizeBytes").asLong()).isPositive();
    assertThat(health.has("errorsLastHour")).isTrue();
    // the admission queue in front of the pool, as /metrics has it (hub_db_queue_*)
    var queue = health.get("database").get("queue");
    assertThat(queue.get("size").asInt()).isEqualTo(health.get("database").get("pool").get("max").asInt());
    assertThat(queue.get("waiting").asInt()).isZero();
    assertThat(queue.get("timeouts").asLong()).isZero();
    assertThat(queue.get("deadlineSeconds").asDouble()).isPositive();
    assertThat(health.get("events").get("relay").asText()).as("no --kafka: no relay").isEqualTo("off");
    // the hub instances on the database: this one alone, its row as the pool is
    var instances = health.get("instances");
    assertThat(instances).hasSize(1);
    assertThat(instances.get(0).get("here").asBoolean()).isTrue();
    assertThat(instances.get(0).get("poolSize").asInt()).isEqualTo(health.get("database").get("pool").get("max").asInt());
    assertThat(instances.get(0).get("version").asText()).isNotBlank();
    assertThat(res.body()).contains("hub_instances 1.0");
  }

  @Test
  void stats_areExactAndScopedForDispatchers() throws Exception {
    server.clock.advance(io.tracetrack.hub.stats.Stats.MAX_AGE); // a dashboard may be served up to a second old
    var all = HubTestServer.json(server.send("GET", "/api/v1/stats", null, "admin"));
    assertThat(all.get("totals").get("parents").asLong()).isEqualTo(
        server.db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.BAG, io.tracetrack.hub.db.jooq.Tables.BAG.ROLE.eq("PARENT")));
    assertThat(all.get("last14Days")).hasSize(14);
    server.send("POST", "/api/v1/bags", "{\"code\":\"P77-5\"}", "dispatcher-south");
    server.clock.advance(io.tracetrack.hub.stats.Stats.MAX_AGE);
    var south = HubTestServer.json(server.send("GET", "/api/v1/stats", null, "dispatcher-south"));
    assertThat(south.get("totals").get("parents").asLong()).isEqualTo(1);
    assertThat(south.get("byArea").has("NORTH")).isFalse();
  }
}
