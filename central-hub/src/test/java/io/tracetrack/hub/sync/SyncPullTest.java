package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pull side of sync over real HTTP on a real database: the dock's filtered change feed with
 * long poll and its 410, the streamed snapshot, the conflicts API and the dock's acknowledgement,
 * and hostile input to each (a stable code, nothing changed).
 */
abstract class SyncPullTest {

  private static final WireCodec WIRE = new WireCodec();

  private final String kind;
  private HubTestServer server;
  private String north;
  private String south;
  private String northDock;

  SyncPullTest(String kind) {
    this.kind = kind;
  }

  @BeforeEach
  void start() throws Exception {
    server = HubTestServer.start(kind);
    northDock = "DOCK-N";
    north = credential(northDock, "NORTH");
    south = credential("DOCK-S", "SOUTH");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---------------------------------------------------------------- changes

  @Test
  void changes_giveEachDockItsAudience_andNextIsTheLastExamined() throws Exception {
    long start = head();
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    admin("POST", "/api/v1/users", "{\"username\":\"north1\",\"role\":\"DISPATCHER\",\"area\":\"NORTH\",\"password\":\"Long-enough-Passw0rd!\"}");
    admin("POST", "/api/v1/users", "{\"username\":\"south1\",\"role\":\"DISPATCHER\",\"area\":\"SOUTH\",\"password\":\"Long-enough-Passw0rd!\"}");
    long conflict = ConflictFixture.link(server.db, "DOCK-S", "P1001-3", "C77");
    admin("POST", "/api/v1/conflicts/" + conflict + "/resolve", "{\"action\":\"KEEP\"}");
    long end = head();

    ChangePage forNorth = page(north, "/api/v1/sync/changes?after=" + start);
    assertThat(forNorth.entries()).extracting(ChangeEntry::type).containsExactly("bag.v1", "user.v1");
    assertThat(forNorth.entries().get(1).key()).isEqualTo("north1");
    assertThat(forNorth.entries().get(1).payload()).contains("\"passwordHash\":\"$argon2");
    assertThat(forNorth.next()).as("the last examined position, past entries for others").isEqualTo(end);
    assertThat(forNorth.head()).isEqualTo(end);

    ChangePage forSouth = page(south, "/api/v1/sync/changes?after=" + start);
    assertThat(forSouth.entries()).extracting(ChangeEntry::type).containsExactly("bag.v1", "user.v1", "conflict.resolved.v1");
    assertThat(forSouth.next()).isEqualTo(end);

    ChangePage small = page(south, "/api/v1/sync/changes?after=" + start + "&limit=1");
    assertThat(small.entries()).hasSize(1);
    assertThat(small.next()).as("a full page stops at its last entry").isEqualTo(small.entries().getFirst().seq());
    assertThat(page(north, "/api/v1/sync/changes?after=" + end).entries()).isEmpty();
  }

  @Test
  void longPoll_wakesForANewEntry_andReturnsEmptyWhenNothingCame() throws Exception {
    long at = head();
    ChangePage nothing = page(north, "/api/v1/sync/changes?after=" + at + "&waitMs=100");
    assertThat(nothing.entries()).isEmpty();
    assertThat(nothing.next()).isEqualTo(at);

    CompletableFuture<ChangePage> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return page(north, "/api/v1/sync/changes?after=" + at + "&waitMs=25000");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // a change only the south dock hears does not end the north dock's wait with nothing
    ConflictFixture.link(server.db, "DOCK-S", "P9-3", "C9");
    admin("POST", "/api/v1/bags", "{\"code\":\"P1002-3\"}");
    ChangePage woke = waiting.get(60, TimeUnit.SECONDS);
    assertThat(woke.entries()).extracting(ChangeEntry::key).containsExactly("P1002-3");
  }

  @Test
  void cursorTheHubNoLongerHolds_or_neverHandedOut_is410() throws Exception {
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"P1002-3\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"P1003-3\"}");
    long head = head();
    assertProblem(dock(north, "GET", "/api/v1/sync/changes?after=" + (head + 1), null), 410, "SNAPSHOT_REQUIRED");
    int pruned = new ChangeLog(server.db).prune(OffsetDateTime.now(ZoneOffset.UTC).plusYears(1));
    assertThat(pruned).as("everything but the newest").isEqualTo((int) head - 1);
    HubTestServer.Answer gone = dock(north, "GET", "/api/v1/sync/changes?after=0", null);
    assertProblem(gone, 410, "SNAPSHOT_REQUIRED");
    assertThat(gone.json().get("oldest").asLong()).isEqualTo(head);
    assertThat(page(north, "/api/v1/sync/changes?after=" + (head - 1)).entries()).extracting(ChangeEntry::key)
        .containsExactly("P1003-3");
    assertThat(page(north, "/api/v1/sync/changes?after=" + head).entries()).isEmpty();
  }

  @Test
  void aStartingHub_prunesEntriesOlderThanTheRetention_asAPrefix() throws Exception {
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    long old = head();
    server.clock.advance(java.time.Duration.ofDays(31));
    // straight into the log: the admin's token has long expired a month on
    long recent = server.db.transaction(tx -> ChangeLog.append(tx, new ChangeLog.Entry(
        new io.tracetrack.sync.Change.Bag("P1002-3", "PARENT", 3, 3, null),
        OffsetDateTime.ofInstant(server.clock.instant(), ZoneOffset.UTC), "test")));
    ChangeLog log = new ChangeLog(server.db);
    // a second instance prunes as it starts (--change-log-retention 30 days by default), in the background
    try (HubTestServer.Instance other = server.anotherInstance()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (log.oldest().orElseThrow() < recent && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(log.oldest()).as("everything before the first entry within 30 days went").hasValue(recent);
      assertProblem(dock(north, "GET", "/api/v1/sync/changes?after=" + (old - 1), null), 410, "SNAPSHOT_REQUIRED");
      assertThat(page(north, "/api/v1/sync/changes?after=" + old).entries()).extracting(ChangeEntry::key)
          .containsExactly("P1002-3");
    }
  }

  @Test
  void prune_neverLeavesAHole_whenAnOldEntryFollowsARecentOne() {
    OffsetDateTime now = OffsetDateTime.ofInstant(server.clock.instant(), ZoneOffset.UTC);
    long recent = server.db.transaction(tx -> ChangeLog.append(tx,
        new ChangeLog.Entry(new io.tracetrack.sync.Change.Link("P1-3", "C1"), now, "test")));
    // a writer whose clock ran behind: its entry is later in commit order but "older"
    server.db.transaction(tx -> ChangeLog.append(tx,
        new ChangeLog.Entry(new io.tracetrack.sync.Change.Link("P1-3", "C2"), now.minusDays(60), "test")));
    server.db.transaction(tx -> ChangeLog.append(tx,
        new ChangeLog.Entry(new io.tracetrack.sync.Change.Link("P1-3", "C3"), now, "test")));
    ChangeLog log = new ChangeLog(server.db);
    long oldest = log.oldest().orElseThrow();
    assertThat(log.prune(now.minusDays(30))).as("every entry before the late one is recent").isZero();
    assertThat(log.oldest()).hasValue(oldest);
    assertThat(log.read(recent - 1, 10).entries()).extracting(ChangeLog.Stored::seq)
        .containsExactly(recent, recent + 1, recent + 2);
    assertThat(log.prune(now.plusDays(1))).as("all but the newest").isEqualTo((int) (recent + 2 - oldest));
  }

  @Test
  void changes_hostileParameters_areRefusedWithAStableCode() throws Exception {
    for (String query : List.of("after=abc", "after=-1", "after=99999999999999999999", "limit=0", "limit=1001",
        "limit=100000", "waitMs=-1", "waitMs=30001", "waitMs=1e3")) {
      assertProblem(dock(north, "GET", "/api/v1/sync/changes?" + query, null), 400, "INVALID_REQUEST");
    }
    assertProblem(dock(null, "GET", "/api/v1/sync/changes?after=0", null), 401, "UNAUTHENTICATED");
    assertProblem(server.send("GET", "/api/v1/sync/changes?after=0", server.adminToken(), null, null), 401, "UNAUTHENTICATED");
  }

  // ---------------------------------------------------------------- snapshot

  @Test
  void snapshot_streamsTheDocksSet_betweenBeginAndEnd_plainAndGzip() throws Exception {
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"P1001-3\",\"child\":\"C1\"}");
    ConflictFixture.link(server.db, northDock, "P1001-3", "C2");
    ConflictFixture.link(server.db, "DOCK-S", "P1001-3", "C3");
    long head = head();
    for (boolean gzip : List.of(false, true)) {
      List<SnapshotLine> lines = snapshot(north, gzip);
      SnapshotLine.Begin begin = (SnapshotLine.Begin) lines.getFirst();
      assertThat(begin.cursor()).isEqualTo(head);
      assertThat(begin.bags()).isEqualTo(2);
      assertThat(begin.conflicts()).isEqualTo(1);
      List<SnapshotLine.BagRow> bags = lines.stream().filter(SnapshotLine.BagRow.class::isInstance)
          .map(SnapshotLine.BagRow.class::cast).toList();
      assertThat(bags).extracting(SnapshotLine.BagRow::code).containsExactly("C1", "P1001-3");
      assertThat(bags.getFirst().parent()).isEqualTo("P1001-3");
      assertThat(bags.get(1).childCount()).isEqualTo(1);
      List<String> users = lines.stream().filter(SnapshotLine.UserRow.class::isInstance)
          .map(l -> ((SnapshotLine.UserRow) l).user().username()).toList();
      assertThat(users).as("only who may sign in at this dock").contains("nina").doesNotContain("admin", "bella", "sam");
      assertThat(users).hasSize((int) begin.users());
      assertThat(lines.stream().filter(SnapshotLine.ConflictRow.class::isInstance).count()).isEqualTo(1);
      SnapshotLine.End end = (SnapshotLine.End) lines.getLast();
      assertThat(end.cursor()).isEqualTo(head);
      assertThat(end.lines()).isEqualTo(lines.size() - 2);
    }
  }

  @Test
  void dockAccess_grantReachesTheAreasDocks_revokeSendsThemInactive_andTheSnapshotAgrees() throws Exception {
    long start = head();
    assertThat(admin("POST", "/api/v1/users/bella/dock-access", "{\"area\":\"NORTH\"}").status()).isEqualTo(204);
    HubTestServer.Answer bella = admin("GET", "/api/v1/users/bella", null);
    assertThat(bella.json().get("dockAccess").toString()).isEqualTo("[\"NORTH\"]");
    ChangePage granted = page(north, "/api/v1/sync/changes?after=" + start);
    assertThat(granted.entries()).extracting(ChangeEntry::key).containsExactly("bella");
    assertThat(granted.entries().getFirst().payload()).contains("\"active\":true", "$argon2id$");
    assertThat(page(south, "/api/v1/sync/changes?after=" + start).entries()).isEmpty();
    assertThat(snapshotUsers(north)).contains("bella", "nina").doesNotContain("admin", "sam");
    assertThat(snapshotUsers(south)).doesNotContain("bella", "admin", "nina");

    long mid = head();
    assertThat(admin("DELETE", "/api/v1/users/bella/dock-access/NORTH", null).status()).isEqualTo(204);
    ChangePage revoked = page(north, "/api/v1/sync/changes?after=" + mid);
    assertThat(revoked.entries()).extracting(ChangeEntry::key).containsExactly("bella");
    assertThat(revoked.entries().getFirst().payload()).contains("\"active\":false").doesNotContain("$argon2id$");
    assertThat(snapshotUsers(north)).doesNotContain("bella");

    assertProblem(admin("POST", "/api/v1/users/bella/dock-access", "{\"area\":\"WEST\"}"), 404, "AREA_NOT_FOUND");
    assertProblem(admin("POST", "/api/v1/users/nobody/dock-access", "{\"area\":\"NORTH\"}"), 404, "USER_NOT_FOUND");
    assertThat(server.send("POST", "/api/v1/users/bella/dock-access", server.tokens.get("biller"), "application/json",
        "{\"area\":\"NORTH\"}").status()).isEqualTo(403);
    assertThat(server.db.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.AUDIT_ENTRY,
        io.tracetrack.hub.db.jooq.Tables.AUDIT_ENTRY.ACTION.in("USER_DOCK_ACCESS_GRANTED", "USER_DOCK_ACCESS_REVOKED")))
        .isGreaterThanOrEqualTo(2);
  }

  private List<String> snapshotUsers(String credential) throws Exception {
    return snapshot(credential, false).stream().filter(SnapshotLine.UserRow.class::isInstance)
        .map(l -> ((SnapshotLine.UserRow) l).user().username()).toList();
  }

  // ---------------------------------------------------------------- conflicts

  @Test
  void resolveMove_movesTheChild_auditsAndAppendsResolvedUnlinkLink_inOrder() throws Exception {
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"P1002-3\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"P1001-3\",\"child\":\"C1\"}");
    long id = ConflictFixture.link(server.db, northDock, "P1002-3", "C1");
    long at = head();
    int events = server.db.dsl().fetchCount(BAG_EVENT, BAG_EVENT.BAG_CODE.eq("C1"));
    HubTestServer.Answer listed = admin("GET", "/api/v1/conflicts?status=OPEN&dock=" + northDock, null);
    assertThat(listed.json().get("conflicts")).hasSize(1);
    assertThat(listed.json().at("/conflicts/0/conflict/child").asText()).isEqualTo("C1");
    assertThat(server.send("GET", "/api/v1/conflicts/" + id, server.tokens.get("biller"), null, null).status()).isEqualTo(200);

    HubTestServer.Answer moved = admin("POST", "/api/v1/conflicts/" + id + "/resolve", "{\"action\":\"move\"}");
    assertThat(moved.status()).as(moved.text()).isEqualTo(200);
    assertThat(moved.json().get("status").asText()).isEqualTo("RESOLVED");
    assertThat(moved.json().get("resolution").asText()).isEqualTo("MOVE");
    assertThat(server.db.dsl().select(BAG.PARENT_CODE).from(BAG).where(BAG.CODE.eq("C1")).fetchSingle().value1())
        .isEqualTo("P1002-3");
    assertThat(server.db.dsl().select(BAG.CHILD_COUNT).from(BAG).where(BAG.CODE.eq("P1001-3")).fetchSingle().value1()).isZero();
    assertThat(new ChangeLog(server.db).read(at, 10).entries()).extracting(ChangeLog.Stored::type)
        .containsExactly("conflict.resolved.v1", "unlink.v1", "link.v1");
    assertThat(server.db.dsl().fetchCount(BAG_EVENT, BAG_EVENT.BAG_CODE.eq("C1"))).as("unlink and link in the history")
        .isEqualTo(events + 2);
    assertThat(admin("GET", "/api/v1/audit?action=CONFLICT_RESOLVED", null).json().get("entries")).hasSize(1);

    assertProblem(admin("POST", "/api/v1/conflicts/" + id + "/resolve", "{\"action\":\"KEEP\"}"), 409, "CONFLICT_CLOSED");
  }

  @Test
  void resolveMove_toAFullParent_isRefusedWithTheReconcilersCode_andChangesNothing() throws Exception {
    admin("POST", "/api/v1/bags", "{\"code\":\"P1001-3\"}");
    admin("POST", "/api/v1/bags", "{\"code\":\"P1002-1\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"P1001-3\",\"child\":\"C1\"}");
    admin("POST", "/api/v1/links", "{\"parent\":\"P1002-1\",\"child\":\"C2\"}");
    long id = ConflictFixture.link(server.db, northDock, "P1002-1", "C1");
    long at = head();
    HubTestServer.Answer refused = admin("POST", "/api/v1/conflicts/" + id + "/resolve", "{\"action\":\"MOVE\"}");
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("code").asText()).isIn("PARENT_FULL", "PARENT_COMPLETE");
    assertThat(server.db.dsl().select(BAG.PARENT_CODE).from(BAG).where(BAG.CODE.eq("C1")).fetchSingle().value1())
        .as("the unlink was rolled back with the refused link").isEqualTo("P1001-3");
    assertThat(status(id)).isEqualTo("OPEN");
    assertThat(head()).isEqualTo(at);
  }

  @Test
  void resolve_keepDismiss_moveOfANonLink_unknownAndHostile() throws Exception {
    long keep = ConflictFixture.link(server.db, northDock, "P1-3", "C1");
    long create = ConflictFixture.insert(server.db, northDock, "CREATE_PARENT", "P2-3", null, "EXPECTED_COUNT_MISMATCH");
    long at = head();
    for (String body : List.of("{\"action\":\"NUKE\"}", "{}", "{\"action\":\"MOVE\",\"extra\":1}", "not json", "[1]",
        "{\"action\":7}")) {
      HubTestServer.Answer a = admin("POST", "/api/v1/conflicts/" + keep + "/resolve", body);
      assertThat(a.status()).as(body + " -> " + a.text()).isEqualTo(400);
      assertThat(a.json().get("code").asText()).isIn("INVALID_REQUEST", "MALFORMED_JSON", "INVALID_FIELD");
    }
    assertProblem(admin("POST", "/api/v1/conflicts/" + create + "/resolve", "{\"action\":\"MOVE\"}"), 422,
        "CONFLICT_ACTION_INVALID");
    assertProblem(admin("POST", "/api/v1/conflicts/999999/resolve", "{\"action\":\"KEEP\"}"), 404, "CONFLICT_NOT_FOUND");
    assertProblem(admin("POST", "/api/v1/conflicts/abc/resolve", "{\"action\":\"KEEP\"}"), 404, "CONFLICT_NOT_FOUND");
    assertProblem(admin("GET", "/api/v1/conflicts/-3", null), 404, "CONFLICT_NOT_FOUND");
    assertProblem(server.send("POST", "/api/v1/conflicts/" + keep + "/resolve", server.tokens.get("biller"), "application/json",
        "{\"action\":\"KEEP\"}"), 403, "FORBIDDEN");
    assertProblem(server.send("GET", "/api/v1/conflicts", server.tokens.get("dispatcher"), null, null), 403, "FORBIDDEN");
    for (String query : List.of("status=MAYBE", "dock=%00x")) {
      assertProblem(admin("GET", "/api/v1/conflicts?" + query, null), 400, "INVALID_FILTER");
    }
    for (String query : List.of("limit=0", "limit=501", "after=-1", "after=x")) {
      assertProblem(admin("GET", "/api/v1/conflicts?" + query, null), 400, "INVALID_REQUEST");
    }
    assertThat(status(keep)).isEqualTo("OPEN");
    assertThat(status(create)).isEqualTo("OPEN");
    assertThat(head()).as("refusals append nothing").isEqualTo(at);

    assertThat(admin("POST", "/api/v1/conflicts/" + keep + "/resolve", "{\"action\":\"KEEP\"}").status()).isEqualTo(200);
    assertThat(admin("POST", "/api/v1/conflicts/" + create + "/resolve", "{\"action\":\"DISMISS\"}").status()).isEqualTo(200);
    assertThat(new ChangeLog(server.db).read(at, 10).entries()).extracting(ChangeLog.Stored::type)
        .containsExactly("conflict.resolved.v1", "conflict.resolved.v1");
    assertThat(admin("GET", "/api/v1/conflicts?status=RESOLVED", null).json().get("conflicts")).hasSize(2);
    assertThat(admin("GET", "/api/v1/conflicts?status=OPEN", null).json().get("conflicts")).isEmpty();
  }

  @Test
  void ack_marksOwnConflictSeen_andAnotherDocksIsNotFound() throws Exception {
    long own = ConflictFixture.link(server.db, northDock, "P1-3", "C1");
    long theirs = ConflictFixture.link(server.db, "DOCK-S", "P1-3", "C2");
    assertThat(dock(north, "POST", "/api/v1/sync/conflicts/" + own + "/ack", null).status()).isEqualTo(204);
    assertThat(server.db.dsl().select(SYNC_CONFLICT.ACKNOWLEDGED_AT).from(SYNC_CONFLICT).where(SYNC_CONFLICT.ID.eq(own))
        .fetchSingle().value1()).isNotNull();
    assertThat(dock(north, "POST", "/api/v1/sync/conflicts/" + own + "/ack", null).status()).as("again: still fine").isEqualTo(204);
    assertProblem(dock(north, "POST", "/api/v1/sync/conflicts/" + theirs + "/ack", null), 404, "CONFLICT_NOT_FOUND");
    assertProblem(dock(north, "POST", "/api/v1/sync/conflicts/xyz/ack", null), 404, "CONFLICT_NOT_FOUND");
    assertThat(server.db.dsl().select(SYNC_CONFLICT.ACKNOWLEDGED_AT).from(SYNC_CONFLICT).where(SYNC_CONFLICT.ID.eq(theirs))
        .fetchSingle().value1()).isNull();
  }

  // ---------------------------------------------------------------- helpers

  private String credential(String dock, String area) throws Exception {
    HubTestServer.Answer created = admin("POST", "/api/v1/docks", "{\"name\":\"" + dock + "\",\"area\":\"" + area + "\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String code = created.json().get("enrollmentCode").asText();
    HubTestServer.Answer enrolled = server.send("POST", "/api/v1/sync/enroll", null, "application/json",
        "{\"code\":\"" + code + "\",\"edgeId\":\"edge-" + dock + "\"}");
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    return enrolled.json().get("credential").asText();
  }

  private long head() {
    return new ChangeLog(server.db).head();
  }

  private String status(long id) {
    return server.db.dsl().select(SYNC_CONFLICT.STATUS).from(SYNC_CONFLICT).where(SYNC_CONFLICT.ID.eq(id)).fetchSingle().value1();
  }

  private HubTestServer.Answer admin(String method, String path, String body) {
    return server.send(method, path, server.adminToken(), body == null ? null : "application/json", body);
  }

  private HubTestServer.Answer dock(String credential, String method, String path, String body) {
    return server.send(method, path, credential, body == null ? null : "application/json", body);
  }

  private ChangePage page(String credential, String path) {
    HubTestServer.Answer a = dock(credential, "GET", path, null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return WIRE.decodePage(a.text());
  }

  private List<SnapshotLine> snapshot(String credential, boolean gzip) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/sync/snapshot")).header("Authorization", "Bearer " + credential);
    if (gzip) {
      b.header("Accept-Encoding", "gzip");
    }
    HttpResponse<InputStream> res = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/x-ndjson"));
    assertThat(res.headers().firstValue("Content-Encoding").isPresent()).isEqualTo(gzip);
    InputStream in = gzip ? new GZIPInputStream(res.body()) : res.body();
    List<SnapshotLine> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(WIRE.decodeSnapshotLine(line));
      }
    }
    return lines;
  }

  private static void assertProblem(HubTestServer.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonNode json = answer.json();
    assertThat(json.get("code").asText()).isEqualTo(code);
  }
}
