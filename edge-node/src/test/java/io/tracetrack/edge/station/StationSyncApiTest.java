package io.tracetrack.edge.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.edge.sync.DockSync;
import io.tracetrack.edge.sync.FakeHub;
import io.tracetrack.edge.sync.HubClient;
import io.tracetrack.edge.sync.MemorySyncStore;
import io.tracetrack.edge.sync.SyncStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's sync surface over real HTTP: {@code /api/status} with its sync fields, the dock's
 * open conflicts and their acknowledgement (which the hub hears of), and the page's strip.
 */
class StationSyncApiTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String HOSTILE = "<img src=x onerror=alert(1)> C7 is in P2001-5";

  @TempDir Path dir;
  TestEdge edge;
  FakeHub hub;
  MemorySyncStore store = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-T", false);
  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    edge = new TestEdge(dir);
    hub = new FakeHub();
    hub.on("/api/v1/sync/conflicts/9/ack", ex -> FakeHub.send(ex, 204, "application/json", ""));
    HubClient client = new HubClient(hub.uri(), store.edgeId, "secret", HttpClient.newHttpClient(),
        HubClient.Timeouts.DEFAULTS);
    // the hub is told in the caller's thread here, so the test can look right after
    DockSync sync = new DockSync(store, client, null, Runnable::run);
    server = EdgeServer.start("127.0.0.1", 0, new StationApi(edge.scans, edge.users, edge.db, sync, edge.clock),
        new PageRoutes(edge.db));
  }

  @AfterEach
  void stop() {
    server.stop();
    hub.close();
    edge.close();
  }

  HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String signIn() throws Exception {
    HttpResponse<String> res = send("POST", "/api/session",
        "{\"station\":\"s1\",\"user\":\"asha\",\"password\":\"Correct-horse-1\"}", null);
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body()).get("token").asText();
  }

  SyncStore.LocalConflict conflict(long id) {
    return new SyncStore.LocalConflict(id, 3, "CHILD_ALREADY_LINKED", HOSTILE, "link", "P1001-3", "C7", "P2001-5", "DOCK-2",
        "asha", "s1", edge.clock.instant(), null, null, null, null, null, null);
  }

  @Test
  void status_enrolled_reportsHubOnlineLastSyncPendingOldestAgeAndOpenConflicts() throws Exception {
    store.addLink("P1001-3", "C1", edge.clock.instant());
    store.addConflict(conflict(9));
    store.recordAttempt(true, edge.clock.instant(), null);
    edge.clock.advance(Duration.ofMinutes(3));
    store.recordAttempt(false, edge.clock.instant(), "hub unreachable: ConnectException");

    JsonNode status = JSON.readTree(send("GET", "/api/status", null, null).body());

    assertThat(status.get("hub").asText()).isEqualTo("http://hub.test");
    assertThat(status.get("enrolled").asBoolean()).isTrue();
    assertThat(status.get("online").asBoolean()).isFalse();
    assertThat(status.get("lastSyncAt").asText()).isEqualTo(edge.clock.instant().minus(Duration.ofMinutes(3)).toString());
    assertThat(status.get("pendingOps").asLong()).isEqualTo(1);
    assertThat(status.get("oldestPendingAgeMs").asLong()).isEqualTo(Duration.ofMinutes(3).toMillis());
    assertThat(status.get("openConflicts").asInt()).isEqualTo(1);
    assertThat(status.get("lastError").asText()).contains("unreachable");
    assertThat(status.get("bootstrap").isNull()).isTrue();
  }

  @Test
  void conflicts_needASession() throws Exception {
    HttpResponse<String> res = send("GET", "/api/conflicts", null, null);
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(res.body()).get("code").asText()).isEqualTo("NOT_SIGNED_IN");
    assertThat(send("POST", "/api/conflicts/9/ack", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void acknowledge_removesItFromTheOpenList_andTellsTheHub() throws Exception {
    store.addConflict(conflict(9));
    String token = signIn();
    JsonNode listed = JSON.readTree(send("GET", "/api/conflicts", null, token).body()).get("conflicts");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("message").asText()).isEqualTo(HOSTILE); // data; the page shows it as text
    assertThat(listed.get(0).get("otherDock").asText()).isEqualTo("DOCK-2");

    HttpResponse<String> ack = send("POST", "/api/conflicts/9/ack", null, token);

    assertThat(ack.statusCode()).isEqualTo(204);
    assertThat(JSON.readTree(send("GET", "/api/conflicts", null, token).body()).get("conflicts")).isEmpty();
    assertThat(store.conflicts(false, 10).getFirst().acknowledgedBy()).isEqualTo("asha");
    FakeHub.Seen told = hub.seen.poll(10, TimeUnit.SECONDS);
    assertThat(told.path()).isEqualTo("/api/v1/sync/conflicts/9/ack");
    assertThat(told.method()).isEqualTo("POST");
    assertThat(JSON.readTree(send("GET", "/api/status", null, null).body()).get("openConflicts").asInt()).isZero();
  }

  @Test
  void acknowledge_unknownOrAlreadyAcknowledged_is404_badId_is400_andChangesNothing() throws Exception {
    store.addConflict(conflict(9));
    String token = signIn();

    HttpResponse<String> unknown = send("POST", "/api/conflicts/10/ack", null, token);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("code").asText()).isEqualTo("CONFLICT_NOT_FOUND");
    for (String bad : new String[] {"abc", "-1", "99999999999999999999", "1e3"}) {
      HttpResponse<String> res = send("POST", "/api/conflicts/" + bad + "/ack", null, token);
      assertThat(res.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(res.body()).get("code").asText()).isEqualTo("INVALID_REQUEST");
    }
    assertThat(store.conflicts(true, 10)).hasSize(1);
    assertThat(hub.seen).isEmpty();

    assertThat(send("POST", "/api/conflicts/9/ack", null, token).statusCode()).isEqualTo(204);
    assertThat(send("POST", "/api/conflicts/9/ack", null, token).statusCode()).isEqualTo(404);
  }

  @Test
  void status_pullError_isNullWhenAllIsWell_thenPositionAndReason_andTheStripShowsIt() throws Exception {
    JsonNode fine = JSON.readTree(send("GET", "/api/status", null, null).body());
    assertThat(fine.get("pullError").isNull()).isTrue();
    assertThat(fine.has("restoreDetectedAt")).isTrue();
    assertThat(fine.has("notice")).isTrue();

    store.recordPullError(41, "bag.v1 at 42 cannot be read: no code");
    JsonNode status = JSON.readTree(send("GET", "/api/status", null, null).body());

    assertThat(status.get("pullError").get("position").asLong()).isEqualTo(41);
    assertThat(status.get("pullError").get("reason").asText()).contains("bag.v1 at 42");
    assertThat(status.get("pullErrorsTotal").asLong()).isOne();
    assertThat(send("GET", "/", null, null).body()).contains("id=\"sync-pull-error\"");
    assertThat(send("GET", "/station/sync-strip.js", null, null).body()).contains("s.pullError").contains("syncPullError");
  }

  @Test
  void page_hasTheSyncStripAndConflictsPanel_andWritesDataAsTextOnly() throws Exception {
    String page = send("GET", "/", null, null).body();
    assertThat(page).contains("id=\"sync-strip\"").contains("id=\"conflicts-panel\"").contains("id=\"sync-pending\"")
        .contains("id=\"sync-oldest\"").contains("id=\"sync-last\"").contains("id=\"sync-bootstrap\"");
    String script = send("GET", "/station/conflicts.js", null, null).body();
    assertThat(script).contains("/api/conflicts/").contains("Acknowledge").doesNotContain("innerHTML")
        .doesNotContain("insertAdjacentHTML");
    assertThat(send("GET", "/station/sync-strip.js", null, null).body()).doesNotContain("innerHTML")
        .doesNotContain("insertAdjacentHTML");
  }

  @Nested
  class NotEnrolled {

    @Test
    void status_saysNotEnrolledAndOffline_withTheOldestPendingAgeFromTheOutbox_andNoConflicts() throws Exception {
      WebServer local = EdgeServer.start("127.0.0.1", 0, new StationApi(edge.scans, edge.users, edge.db,
          DockSync.notEnrolled(), edge.clock), new PageRoutes(edge.db));
      try {
        String token = signIn();
        HttpResponse<String> scanned = send("POST", "/api/scan", "{\"code\":\"P1001-3\"}", token);
        assertThat(scanned.statusCode()).isEqualTo(200);
        edge.clock.advance(Duration.ofSeconds(90));
        URI base = URI.create("http://127.0.0.1:" + local.port());
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/status")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        assertThat(status.get("enrolled").asBoolean()).isFalse();
        assertThat(status.get("online").asBoolean()).isFalse();
        assertThat(status.get("openConflicts").asInt()).isZero();
        assertThat(status.get("pendingOps").asLong()).isEqualTo(1);
        assertThat(status.get("oldestPendingAgeMs").asLong()).isEqualTo(90_000);
        JsonNode conflicts = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/conflicts"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(conflicts.get("conflicts")).isEmpty();
      } finally {
        local.stop();
      }
    }
  }
}
