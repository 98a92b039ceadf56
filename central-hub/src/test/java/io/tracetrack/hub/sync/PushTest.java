package io.tracetrack.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.Concurrently;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /api/v1/sync/push} over real HTTP on a real hub and database: exactly once under
 * resends and gaps, each case of the DESIGN conflict table, many docks at once, and hostile input
 * that must change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PushTest {

  private static final WireCodec WIRE = new WireCodec();
  /** Tables a push writes: a refused push must leave every one as it was. */
  private static final List<String> TABLES = List.of("select * from bag", "select * from bag_event",
      "select * from sync_conflict", "select * from change_log", "select * from change_log_head",
      "select * from edge_progress", "select * from stat_counter", "select * from stat_daily",
      // the audit chainer seals entries in the background: their content is what a push must not touch
      "select id, actor, action, entity_id from audit_entry");

  private final String kind;
  HubTestServer server;
  private String adminToken;
  private final AtomicInteger next = new AtomicInteger(100);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  PushTest(String kind) {
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

  @BeforeEach
  void signIn() throws Exception {
    // the enrol route's per-address budget refills with the hub's clock
    server.clock.advance(Duration.ofMinutes(1));
    adminToken = server.tokenFor("padmin" + next.incrementAndGet(), Role.ADMIN, null);
  }

  @Nested
  class ExactlyOnce {

    @Test
    void sameBatchSentThreeTimes_appliesOnce_thenAnswersDuplicates() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      String c1 = child();
      String c2 = child();
      PushBatch batch = a.batch(new Op.CreateParent(p, 3, 3), new Op.Link(p, c1), new Op.Link(p, c2));
      PushReply first = a.push(batch);
      long logAfterFirst = logCount();
      PushReply second = a.push(batch);
      PushReply third = a.push(batch);

      assertThat(statuses(first)).containsExactly("APPLIED", "APPLIED", "APPLIED");
      assertThat(statuses(second)).containsExactly("DUPLICATE", "DUPLICATE", "DUPLICATE");
      assertThat(statuses(third)).containsExactly("DUPLICATE", "DUPLICATE", "DUPLICATE");
      assertThat(first.lastSeq()).isEqualTo(3);
      assertThat(third.lastSeq()).isEqualTo(3);
      assertThat(intOf("select child_count from bag where code = ?", p)).isEqualTo(2);
      assertThat(intOf("select count(*) from bag_event where source = 'EDGE' and (bag_code = ? or parent_code = ?)", p, p))
          .isEqualTo(3);
      assertThat(logCount()).isEqualTo(logAfterFirst);
      // the new rows carry the dock, its area and who scanned
      Record row = server.db.dsl().fetchOne("select area_id, dock, created_by, linked_by from bag where code = ?", c1);
      assertThat(row.get(0)).isEqualTo("NORTH");
      assertThat(row.get(1)).isEqualTo(a.dock);
      assertThat(row.get(2)).isEqualTo("nina");
      assertThat(row.get(3)).isEqualTo("nina");
    }

    @Test
    void changeLog_holdsTheBatchsEntries_inSeqOrder_withTheirOrigin() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      String c = child();
      long before = logHead();
      a.push(a.batch(new Op.CreateParent(p, 3, 3), new Op.Link(p, c), new Op.Unlink(p, c, Op.UnlinkReason.UNDO)));
      List<Record> entries = server.db.dsl().fetch("select type, entity_key, origin from change_log where seq > ? order by seq", before);
      assertThat(entries).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
          "bag.v1 " + p + " edge:" + a.edgeId + ":1",
          "link.v1 " + c + " edge:" + a.edgeId + ":2",
          "unlink.v1 " + c + " edge:" + a.edgeId + ":3");
    }

    @Test
    void aBatch_writesItsRowsHistoryCountersAndLog_exactly() throws Exception {
      // the same expectations on both databases: PostgreSQL writes through arrays, H2 through jOOQ
      Edge a = enrolled();
      String p = parent(3);
      String q = parent(2);
      String c1 = child();
      String c2 = child();
      String c3 = child();
      java.time.Instant at = server.clock.instant();
      long before = logHead();
      List<Op> first = List.of(new Op.CreateParent(p, 3, 3), new Op.CreateParent(q, 2, 2), new Op.Link(p, c1),
          new Op.Link(p, c2), new Op.Unlink(p, c2, Op.UnlinkReason.UNDO), new Op.Finish(p, 1));
      assertThat(statuses(a.push(a.batch(first.toArray(Op[]::new))))).containsOnly("APPLIED");
      // a second batch changes rows that exist: q gains a child, p is unfinished by an unlink
      List<Op> second = List.of(new Op.Link(q, c3), new Op.Unlink(p, c1, Op.UnlinkReason.UNDO));
      assertThat(statuses(a.push(a.batch(second.toArray(Op[]::new))))).containsOnly("APPLIED");

      Record parentRow = server.db.dsl().fetchOne("select role, expected_count, limit_count, child_count, parent_code,"
          + " finished_by, finished_at, area_id, dock, created_by, created_at from bag where code = ?", p);
      assertThat(Arrays.asList(parentRow.intoArray()).subList(0, 6)).containsExactly("PARENT", 3, 3, 0, null, null);
      assertThat(parentRow.get(6)).isNull();
      assertThat(Arrays.asList(parentRow.intoArray()).subList(7, 10)).containsExactly("NORTH", a.dock, "nina");
      assertThat(((java.time.OffsetDateTime) parentRow.get(10)).toInstant()).isEqualTo(at);
      Record q1 = server.db.dsl().fetchOne("select child_count, expected_count from bag where code = ?", q);
      assertThat(Arrays.asList(q1.intoArray())).containsExactly(1, 2);
      Record child = server.db.dsl().fetchOne("select role, parent_code, linked_by, linked_at, expected_count from bag where code = ?", c3);
      assertThat(child.get(0)).isEqualTo("CHILD");
      assertThat(child.get(1)).isEqualTo(q);
      assertThat(child.get(2)).isEqualTo("nina");
      assertThat(((java.time.OffsetDateTime) child.get(3)).toInstant()).isEqualTo(at);
      assertThat(child.get(4)).isNull();
      for (String unlinked : List.of(c1, c2)) {
        assertThat(Arrays.asList(server.db.dsl().fetchOne("select parent_code, linked_by, linked_at from bag where code = ?",
            unlinked).intoArray())).containsExactly(null, null, null);
      }

      // the history in op order, one row per op, stamped with the hub's time and the dock
      List<Op> all = new ArrayList<>(first);
      all.addAll(second);
      List<Record> events = server.db.dsl().fetch(
          "select kind, bag_code, parent_code, actor, at, source from bag_event where dock = ? order by id", a.dock);
      assertThat(events).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3) + " " + r.get(5))
          .containsExactlyElementsOf(all.stream().map(op -> op.type() + " " + op.bag() + " "
              + (op instanceof Op.CreateParent ? null : (op instanceof Op.Link l ? l.parent() : op instanceof Op.Unlink u
                  ? u.parent() : ((Op.Finish) op).parent())) + " nina EDGE").toList());
      assertThat(events).extracting(r -> ((java.time.OffsetDateTime) r.get(4)).toInstant()).containsOnly(at);

      // the dashboard's counters: exact sums over the shards, today's scans one per link
      Map<String, Long> counters = new HashMap<>();
      server.db.dsl().fetch("select name, sum(val) from stat_counter where dock = ? group by name", a.dock)
          .forEach(r -> counters.put(r.get(0, String.class), ((Number) r.get(1)).longValue()));
      assertThat(counters).containsExactlyInAnyOrderEntriesOf(Map.of("parents", 2L, "children", 3L, "links", 1L));
      assertThat(((Number) server.db.dsl().fetchValue("select sum(val) from stat_daily where dock = ? and name = 'scans'"
          + " and stat_day = ?", a.dock, java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC))).longValue())
          .isEqualTo(3);

      // the change log: one entry per op, at consecutive positions, for every dock
      List<Record> log = server.db.dsl().fetch("select seq, type, entity_key, at, audience_area, audience_dock, origin"
          + " from change_log where seq > ? order by seq", before);
      assertThat(log).hasSize(all.size());
      for (int i = 0; i < log.size(); i++) {
        Record r = log.get(i);
        assertThat(((Number) r.get(0)).longValue()).isEqualTo(before + 1 + i);
        assertThat(r.get(2)).isEqualTo(all.get(i).bag());
        assertThat(((java.time.OffsetDateTime) r.get(3)).toInstant()).isEqualTo(at);
        assertThat(r.get(4)).isNull();
        assertThat(r.get(5)).isNull();
        assertThat(r.get(6)).isEqualTo("edge:" + a.edgeId + ":" + (i + 1));
      }
      assertThat(log).extracting(r -> r.get(1)).containsExactly("bag.v1", "bag.v1", "link.v1", "link.v1", "unlink.v1",
          "finish.v1", "link.v1", "unlink.v1");
      assertThat(logHead()).isEqualTo(before + all.size());
    }

    @Test
    void anActorWithTabsBackslashesAndNewlines_isStoredAsSent() throws Exception {
      // PostgreSQL takes new rows by COPY, whose text format gives these characters a meaning
      Edge a = enrolled();
      String actor = "n\ti\\N\nn\ra \\\\";
      String p = parent(2);
      String c = child();
      List<OpEnvelope> ops = List.of(
          new OpEnvelope(new OpId(a.edgeId, 1), new Hlc(server.clock.millis(), 0), actor, a.dock, "station-1",
              new Op.CreateParent(p, 2, 2)),
          new OpEnvelope(new OpId(a.edgeId, 2), new Hlc(server.clock.millis(), 0), actor, a.dock, "station-1",
              new Op.Link(p, c)));
      assertThat(statuses(a.push(a.batch(ops)))).containsExactly("APPLIED", "APPLIED");
      assertThat(server.db.dsl().fetchValue("select created_by from bag where code = ?", p)).isEqualTo(actor);
      assertThat(server.db.dsl().fetchValue("select linked_by from bag where code = ?", c)).isEqualTo(actor);
      assertThat(server.db.dsl().fetch("select actor from bag_event where dock = ?", a.dock).getValues(0, String.class))
          .containsExactly(actor, actor);
    }

    @Test
    void aGap_isHeld_untilFilled() throws Exception {
      Edge a = enrolled();
      String p = parent(5);
      String c1 = child();
      String c2 = child();
      PushReply one = a.push(a.batch(List.of(a.op(1, new Op.CreateParent(p, 5, 5)))));
      PushReply gap = a.push(a.batch(List.of(a.op(3, new Op.Link(p, c2)), a.op(4, new Op.Finish(p, 1)))));
      assertThat(statuses(one)).containsExactly("APPLIED");
      assertThat(statuses(gap)).containsExactly("HELD", "HELD");
      assertThat(gap.lastSeq()).isEqualTo(1);
      assertThat(intOf("select count(*) from bag where code = ?", c2)).isZero();

      PushReply filled = a.push(a.batch(List.of(a.op(2, new Op.Link(p, c1)), a.op(3, new Op.Link(p, c2)),
          a.op(4, new Op.Finish(p, 2)))));
      assertThat(statuses(filled)).containsExactly("APPLIED", "APPLIED", "APPLIED");
      assertThat(filled.lastSeq()).isEqualTo(4);
      assertThat(intOf("select child_count from bag where code = ?", p)).isEqualTo(2);
      assertThat(intOf("select count(*) from bag where code = ? and finished_at is not null", p)).isEqualTo(1);
    }

    @Test
    void resendsRacingEachOther_serialiseOnTheEdge_andApplyOnce() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      List<Op> ops = new ArrayList<>(List.of(new Op.CreateParent(p, 3, 3)));
      for (int i = 0; i < 3; i++) {
        ops.add(new Op.Link(p, child()));
      }
      PushBatch batch = a.batch(ops.toArray(Op[]::new));
      List<PushReply> replies = Concurrently.run(4, i -> () -> a.push(batch));
      long applied = replies.stream().flatMap(r -> r.outcomes().stream()).filter(o -> o.status() == OpOutcome.Status.APPLIED).count();
      long duplicates = replies.stream().flatMap(r -> r.outcomes().stream()).filter(o -> o.status() == OpOutcome.Status.DUPLICATE).count();
      assertThat(applied).isEqualTo(4);
      assertThat(duplicates).isEqualTo(12);
      assertThat(intOf("select child_count from bag where code = ?", p)).isEqualTo(3);
    }
  }

  @Nested
  class ConflictTable {

    @Test
    void childLinkedAtTwoDocks_firstToArriveStands_otherIsRejectedWithBothSides() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p1 = parent(5);
      String p2 = parent(5);
      String c = child();
      a.push(a.batch(new Op.CreateParent(p1, 5, 5), new Op.Link(p1, c)));
      PushReply reply = b.push(b.batch(new Op.CreateParent(p2, 5, 5), new Op.Link(p2, c)));

      OpOutcome refused = reply.outcomes().get(1);
      assertThat(refused.status()).isEqualTo(OpOutcome.Status.REJECTED);
      assertThat(refused.code()).isEqualTo("CHILD_ALREADY_LINKED");
      assertThat(refused.conflictId()).isNotNull();
      Record conflict = conflict(refused.conflictId());
      assertThat(conflict.get("dock")).isEqualTo(b.dock);
      assertThat(conflict.get("other_parent")).isEqualTo(p1);
      assertThat(conflict.get("other_dock")).isEqualTo(a.dock);
      assertThat(conflict.get("other_actor")).isEqualTo("nina");
      assertThat(conflict.get("other_at")).isNotNull();
      assertThat(conflict.get("child_code")).isEqualTo(c);
      assertThat(conflict.get("status")).isEqualTo("OPEN");
      assertThat(conflict.get("applied")).isEqualTo(false);
      assertThat(intOf("select count(*) from bag where parent_code = ?", p2)).isZero();
      // the conflict is in the change log, for the dock to pull
      JsonNode entry = logEntry("conflict.v1", refused.conflictId());
      assertThat(entry.get("otherDock").asText()).isEqualTo(a.dock);
      assertThat(entry.get("code").asText()).isEqualTo("CHILD_ALREADY_LINKED");
      assertThat(dockView(b.dock).get("openConflicts").asLong()).isEqualTo(1);
    }

    @Test
    void childLinkedToTheSameParentAtTwoDocks_bothStand_noConflict_countedOnce() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p = parent(5);
      String c = child();
      a.push(a.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, c)));
      PushReply reply = b.push(b.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, c)));

      assertThat(statuses(reply)).containsExactly("APPLIED", "APPLIED");
      assertThat(reply.outcomes().get(1).conflictId()).isNull();
      assertThat(intOf("select child_count from bag where code = ?", p)).isEqualTo(1);
      assertThat(intOf("select count(*) from sync_conflict where child_code = ?", c)).isZero();
      assertThat(dockView(b.dock).get("openConflicts").asLong()).isZero();
    }

    @Test
    void parentPushedPastItsLimitByTwoDocks_linksApplyUpToTheLimit_eachOfTheRestIsAConflict() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p = "SB" + (10000 + next.incrementAndGet() % 90000);
      List<Op> fromA = new ArrayList<>(List.of(new Op.CreateParent(p, null, 30)));
      List<Op> fromB = new ArrayList<>(List.of(new Op.CreateParent(p, null, 30)));
      for (int i = 0; i < 16; i++) {
        fromA.add(new Op.Link(p, child()));
        fromB.add(new Op.Link(p, child()));
      }
      assertThat(statuses(a.push(a.batch(fromA.toArray(Op[]::new))))).containsOnly("APPLIED");
      PushReply reply = b.push(b.batch(fromB.toArray(Op[]::new)));
      assertThat(reply.outcomes().stream().filter(o -> o.status() == OpOutcome.Status.APPLIED)).hasSize(1 + 14);
      List<OpOutcome> refused = reply.outcomes().stream().filter(o -> o.status() == OpOutcome.Status.REJECTED).toList();
      assertThat(refused).hasSize(2).allSatisfy(o -> {
        assertThat(o.code()).isEqualTo("PARENT_FULL");
        assertThat(o.conflictId()).isNotNull();
      });
      assertThat(refused.get(0).conflictId()).isNotEqualTo(refused.get(1).conflictId());
      assertThat(conflict(refused.get(0).conflictId()).get("other_parent")).isEqualTo(p);
      assertThat(conflict(refused.get(0).conflictId()).get("other_dock")).isEqualTo(b.dock);
      assertThat(intOf("select child_count from bag where code = ?", p)).isEqualTo(30);
      assertThat(intOf("select count(*) from bag where parent_code = ?", p)).isEqualTo(30);
    }

    @Test
    void unlinkRacingALink_isRejectedStale_andRemovesNothing() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p1 = parent(5);
      String p2 = parent(5);
      String c = child();
      a.push(a.batch(new Op.CreateParent(p1, 5, 5), new Op.CreateParent(p2, 5, 5), new Op.Link(p1, c)));
      // dock B moves the child to p2 meanwhile
      b.push(b.batch(new Op.Unlink(p1, c, Op.UnlinkReason.CORRECTION), new Op.Link(p2, c)));
      PushReply reply = a.push(a.batch(List.of(a.op(4, new Op.Unlink(p1, c, Op.UnlinkReason.UNDO)))));

      OpOutcome refused = reply.outcomes().getFirst();
      assertThat(refused.code()).isEqualTo("STALE_UNLINK");
      Record conflict = conflict(refused.conflictId());
      assertThat(conflict.get("other_parent")).isEqualTo(p2);
      assertThat(conflict.get("other_dock")).isEqualTo(b.dock);
      assertThat(server.db.dsl().fetchValue("select parent_code from bag where code = ?", c)).isEqualTo(p2);
    }

    @Test
    void sameParentMadeWithAnotherCount_stands_andRaisesAnAppliedConflict() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      // made earlier by a hub whose label grammar read a count of 5 into this code
      server.db.dsl().execute("insert into bag (code, role, expected_count, limit_count, area_id, dock, created_by, created_at) "
          + "values (?, 'PARENT', 5, 5, 'NORTH', 'OLD-DOCK', 'olga', current_timestamp)", p);
      PushReply reply = a.push(a.batch(new Op.CreateParent(p, 3, 3)));

      OpOutcome o = reply.outcomes().getFirst();
      assertThat(o.status()).isEqualTo(OpOutcome.Status.APPLIED);
      assertThat(o.code()).isEqualTo("EXPECTED_COUNT_MISMATCH");
      Record conflict = conflict(o.conflictId());
      assertThat(conflict.get("applied")).isEqualTo(true);
      assertThat(conflict.get("other_dock")).isEqualTo("OLD-DOCK");
      assertThat(conflict.get("other_actor")).isEqualTo("olga");
      assertThat(intOf("select limit_count from bag where code = ?", p)).isEqualTo(5);
    }

    @Test
    void theApiAndADockCreatingTheSameChildAtOnce_oneLinkStands_theOtherIsRefused_neverAnError() throws Exception {
      Edge a = enrolled();
      List<String[]> rounds = new ArrayList<>();
      List<Op> creates = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String[] round = {parent(5), parent(5), child()};
        rounds.add(round);
        creates.add(new Op.CreateParent(round[0], 5, 5));
        creates.add(new Op.CreateParent(round[1], 5, 5));
      }
      a.push(a.batch(creates.toArray(Op[]::new)));
      String token = adminToken;
      for (String[] round : rounds) {
        PushBatch batch = a.batch(new Op.Link(round[1], round[2]));
        List<Object> results = Concurrently.run(2, i -> () -> i == 0
            ? server.send("POST", "/api/v1/links", token, "application/json",
                "{\"parent\":\"" + round[0] + "\",\"child\":\"" + round[2] + "\"}")
            : a.push(batch));
        HubTestServer.Answer api = (HubTestServer.Answer) results.get(0);
        OpOutcome pushed = ((PushReply) results.get(1)).outcomes().getFirst();
        assertThat(api.status()).as(api.text()).isIn(200, 201, 409);
        boolean apiWon = api.status() != 409;
        assertThat(pushed.status()).isEqualTo(apiWon ? OpOutcome.Status.REJECTED : OpOutcome.Status.APPLIED);
        assertThat(server.db.dsl().fetchValue("select parent_code from bag where code = ?", round[2]))
            .isEqualTo(apiWon ? round[0] : round[1]);
      }
    }

    @Test
    void linkToAParentOnAFinalizedBill_isRejected_andTheBillIsUntouched() throws Exception {
      Edge a = enrolled();
      String p = parent(5);
      String bill = "PB" + next.incrementAndGet() + "X";
      String biller = server.tokenFor("pbill" + next.incrementAndGet(), Role.BILLER, null);
      assertThat(server.send("POST", "/api/v1/bills", biller, "application/json",
          "{\"id\":\"" + bill + "\",\"destination\":\"Pune\",\"vehicle\":\"MH14\",\"capacity\":1}").status()).isEqualTo(201);
      assertThat(server.send("POST", "/api/v1/bills/" + bill + "/parents", biller, "application/json",
          "{\"parent\":\"" + p + "\",\"create\":true,\"force\":true,\"reason\":\"typed at the desk\"}").status()).isEqualTo(200);
      HubTestServer.Answer fin = server.send("POST", "/api/v1/bills/" + bill + "/finalize", biller, "application/json",
          "{\"shortClose\":true}");
      assertThat(fin.status()).as(fin.text()).isEqualTo(200);
      String billBefore = server.db.dsl().fetch("select * from bill where id = ?", bill).formatCSV();

      PushReply reply = a.push(a.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, child())));

      assertThat(reply.outcomes().get(0).status()).isEqualTo(OpOutcome.Status.APPLIED);
      OpOutcome refused = reply.outcomes().get(1);
      assertThat(refused.code()).isEqualTo("PARENT_FINALIZED");
      assertThat(conflict(refused.conflictId()).get("other_dock")).isEqualTo("bill " + bill);
      assertThat(server.db.dsl().fetch("select * from bill where id = ?", bill).formatCSV()).isEqualTo(billBefore);
      assertThat(intOf("select child_count from bag where code = ?", p)).isZero();
    }
  }

  @Nested
  class Hostile {

    @Test
    void everyBadRequest_isRefusedWithAStableCode_andChangesNothing() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p = parent(3);
      String good = WIRE.encode(a.batch(List.of(a.op(1, new Op.CreateParent(p, 3, 3)))));
      Edge revoked = enrolled();
      assertThat(admin("POST", "/api/v1/docks/" + revoked.dock + "/revoke", null).status()).isEqualTo(200);
      Edge replaced = enrolled();
      String oldCredential = replaced.credential;
      String code = admin("POST", "/api/v1/docks/" + replaced.dock + "/code", null).json().get("enrollmentCode").asText();
      assertThat(enroll(code, replaced.edgeId + "-2").status()).isEqualTo(200);
      String before = digest();

      assertProblem(post(null, null, good, "application/json"), 401, "UNAUTHENTICATED");
      assertProblem(post("A".repeat(43), null, good, "application/json"), 401, "UNAUTHENTICATED");
      assertProblem(post(adminToken, null, good, "application/json"), 401, "UNAUTHENTICATED");
      assertProblem(post(oldCredential, null, WIRE.encode(replaced.batch(new Op.CreateParent(p, 3, 3))), "application/json"),
          401, "UNAUTHENTICATED");
      assertProblem(post(revoked.credential, null, WIRE.encode(revoked.batch(new Op.CreateParent(p, 3, 3))), "application/json"),
          401, "DOCK_REVOKED");
      // another dock's credential, and a header naming another edge
      assertProblem(post(b.credential, null, good, "application/json"), 403, "FORBIDDEN");
      assertProblem(post(a.credential, b.edgeId, good, "application/json"), 403, "FORBIDDEN");
      // a batch claiming another edge of the same dock
      Hlc now = new Hlc(server.clock.millis(), 0);
      PushBatch claiming = new PushBatch("edge-someone-else", a.dock, now, 1, null, "t",
          List.of(new OpEnvelope(new OpId("edge-someone-else", 1), now, "nina", a.dock, "s1",
              new Op.CreateParent(p, 3, 3))));
      assertProblem(post(a.credential, null, WIRE.encode(claiming), "application/json"), 403, "FORBIDDEN");

      assertProblem(a.post("{\"v\":1,"), 400, "MALFORMED_JSON");
      assertProblem(a.post(good.replaceFirst("\\{", "{\"dock\":\"" + a.dock + "\",")), 400, "MALFORMED_JSON");
      assertProblem(post(a.credential, null, good, "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE");
      // announced larger than a push may be: refused before a byte of it is read (sent raw, so the
      // client is not still writing when the hub answers and closes)
      assertThat(rawStatusLine(a, WireCodec.MAX_PUSH_BYTES + 1)).contains(" 413 ");
      List<Op> many = new ArrayList<>();
      for (int i = 0; i <= WireCodec.MAX_BATCH; i++) {
        many.add(new Op.Link(p, "C9" + i));
      }
      assertThat(a.post(WIRE.encode(a.batch(many.toArray(Op[]::new)))).status()).isEqualTo(413);
      String two = WIRE.encode(a.batch(List.of(a.op(1, new Op.CreateParent(p, 3, 3)), a.op(2, new Op.Link(p, child())))));
      assertProblem(a.post(swapSeqs(two)), 400, "INVALID_FIELD");
      assertProblem(a.post(good.replace("\"seq\":1", "\"seq\":-1")), 400, "INVALID_FIELD");
      // an op naming another dock than its batch
      PushBatch otherDockOp = new PushBatch(a.edgeId, a.dock, now, 1, null, "t",
          List.of(new OpEnvelope(new OpId(a.edgeId, 1), now, "nina", b.dock, "s1", new Op.CreateParent(p, 3, 3))));
      assertProblem(a.post(WIRE.encode(otherDockOp)), 400, "INVALID_FIELD");
      // an op longer than an op may be (its conflict record keeps it whole), inside a batch under the push limit
      String longCode = "P" + "9".repeat(20_000);
      assertProblem(a.post(WIRE.encode(a.batch(List.of(a.op(1, new Op.CreateParent(longCode, 3, 3)))))), 400,
          "INVALID_FIELD");
      // absurd times: the batch's oldest pending op, its clock, an op's clock
      for (long absurd : List.of(Long.MAX_VALUE, -1L, Long.MIN_VALUE, 0L, 253402300800000L)) {
        // more pending than sent, so the hub would keep it for the fleet view (a timestamp column)
        String oldest = WIRE.encode(new PushBatch(a.edgeId, a.dock, now, 5, absurd, "t",
            List.of(a.op(1, new Op.CreateParent(p, 3, 3)))));
        assertProblem(a.post(oldest), 400, "INVALID_FIELD");
      }
      for (long absurd : List.of(Long.MAX_VALUE, 1L, 253402300800000L)) {
        Hlc far = new Hlc(absurd, 0);
        assertProblem(a.post(WIRE.encode(new PushBatch(a.edgeId, a.dock, far, 1, null, "t",
            List.of(a.op(1, new Op.CreateParent(p, 3, 3)))))), 400, "INVALID_FIELD");
        assertProblem(a.post(WIRE.encode(new PushBatch(a.edgeId, a.dock, now, 1, null, "t",
            List.of(new OpEnvelope(new OpId(a.edgeId, 1), far, "nina", a.dock, "s1", new Op.CreateParent(p, 3, 3)))))),
            400, "INVALID_FIELD");
      }

      assertThat(digest()).isEqualTo(before);
    }

    @Test
    void grammarBreakingCodes_areRejectedAsConflicts_andCreateNoBag() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      String bags = server.db.dsl().fetch("select * from bag order by code").formatCSV();
      PushReply reply = a.push(a.batch(new Op.CreateParent("P12", null, 30), new Op.Link("SB1", "C1x"),
          new Op.Link(p, "ZZ9"), new Op.CreateParent(p, 3, 30)));
      assertThat(reply.outcomes()).allSatisfy(o -> {
        assertThat(o.status()).isEqualTo(OpOutcome.Status.REJECTED);
        assertThat(o.conflictId()).isNotNull();
      });
      assertThat(reply.outcomes()).extracting(OpOutcome::code).containsOnly("INVALID_CODE");
      assertThat(reply.lastSeq()).isEqualTo(4);
      assertThat(server.db.dsl().fetch("select * from bag order by code").formatCSV()).isEqualTo(bags);
    }
  }

  @Nested
  class Fleet {

    @Test
    void theFleetView_showsProgressBacklogClockVersionAndOpenConflicts() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      assertThat(dockView(a.dock).get("lastSeq").asLong()).isZero();
      assertThat(dockView(a.dock).get("lastSeenAt").isNull()).isTrue();
      PushBatch batch = new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis() + 1500, 0), 7,
          server.clock.millis() - 60_000, "edge-9.9", List.of(a.op(1, new Op.CreateParent(p, 3, 3)),
          a.op(2, new Op.Finish("P1-3", 0))));
      a.push(batch);

      JsonNode view = dockView(a.dock);
      assertThat(view.get("lastSeq").asLong()).isEqualTo(2);
      // the edge had 7 waiting, this batch included: the 2 the hub took wait no more
      assertThat(view.get("backlog").asLong()).isEqualTo(5);
      assertThat(view.get("clockOffsetMs").asLong()).isEqualTo(1500);
      assertThat(view.get("version").asText()).isEqualTo("edge-9.9");
      assertThat(view.get("openConflicts").asLong()).isEqualTo(1);
      assertThat(view.get("lastSeenAt").isNull()).isFalse();
      assertThat(view.get("oldestPendingAt").isNull()).isFalse();
      JsonNode listed = null;
      for (JsonNode d : admin("GET", "/api/v1/docks", null).json().get("docks")) {
        if (d.get("name").asText().equals(a.dock)) {
          listed = d;
        }
      }
      assertThat(listed.get("silent").asBoolean()).as("just heard from").isFalse();
      assertThat((JsonNode) ((com.fasterxml.jackson.databind.node.ObjectNode) listed.deepCopy()).without("silent")).isEqualTo(view);
    }

    /**
     * Issue #16 item 3: silent is the hub's call, by its own clock and --dock-silent-minutes
     * (default 5), not a browser's guess; the listing says the threshold.
     */
    @Test
    void silent_isNoContactForTheConfiguredTime_byTheHubsClock() throws Exception {
      Edge a = enrolled();
      a.push(new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis(), 0), 1, server.clock.millis(), "edge-9.9",
          List.of(a.op(1, new Op.CreateParent(parent(3), 3, 3)))));
      JsonNode listing = admin("GET", "/api/v1/docks", null).json();
      assertThat(listing.get("silentAfterSeconds").asLong()).isEqualTo(300);
      assertThat(listedSilent(listing, a.dock)).isFalse();
      server.clock.advance(java.time.Duration.ofMinutes(4));
      assertThat(listedSilent(admin("GET", "/api/v1/docks", null).json(), a.dock)).isFalse();
      server.clock.advance(java.time.Duration.ofMinutes(1).plusSeconds(1));
      assertThat(listedSilent(admin("GET", "/api/v1/docks", null).json(), a.dock)).as("5 min 1 s without contact").isTrue();
    }

    /**
     * Issue #16 item 7: the dashboard's per-area and per-dock scans were 0 while "Scans today" counted
     * them: scans are counted per day only, and the breakdown read the all-time counters.
     */
    @Test
    void theDashboard_countsADocksScansToday_perDockAndPerArea() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      a.push(new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis(), 0), 2, server.clock.millis(), "edge-9.9",
          List.of(a.op(1, new Op.CreateParent(p, 3, 3)), a.op(2, new Op.Link(p, child())))));
      JsonNode stats = admin("GET", "/api/v1/stats", null).json();
      // "scans" counts the links made (a child scanned into a parent), as "Scans today" does
      assertThat(stats.at("/byDock/" + a.dock + "/scans").asLong()).isEqualTo(1);
      assertThat(stats.at("/byArea/NORTH/scans").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(stats.at("/totals/scansToday").asLong()).isGreaterThanOrEqualTo(stats.at("/byArea/NORTH/scans").asLong());
    }

    /**
     * Issue #16 item 4: a dispatcher's dock scans are in the audit view, found by who, dock,
     * station and time, as they reached the hub; hostile filters get a clear 400.
     */
    @Test
    void dockScans_areSearchableInTheAudit_byWhoDockStationAndTime() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      String c = child();
      java.time.Instant before = server.clock.instant();
      a.push(new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis(), 0), 2, server.clock.millis(), "edge-9.9",
          List.of(a.op(1, new Op.CreateParent(p, 3, 3)), a.op(2, new Op.Link(p, c)))));
      JsonNode found = admin("GET", "/api/v1/audit/scans?actor=NINA&dock=" + a.dock + "&station=station-1&from="
          + before.minusSeconds(1) + "&limit=10", null).json();
      assertThat(found.get("scans")).hasSize(2);
      JsonNode link = found.get("scans").get(0);
      assertThat(link.get("kind").asText()).isEqualTo("LINK");
      assertThat(link.get("bag").asText()).isEqualTo(c);
      assertThat(link.get("parent").asText()).isEqualTo(p);
      assertThat(link.get("actor").asText()).isEqualTo("nina");
      assertThat(link.get("dock").asText()).isEqualTo(a.dock);
      assertThat(link.get("station").asText()).isEqualTo("station-1");
      assertThat(found.get("scans").get(1).get("kind").asText()).isEqualTo("CREATE_PARENT");
      // paging: one at a time, newest first
      JsonNode first = admin("GET", "/api/v1/audit/scans?dock=" + a.dock + "&limit=1", null).json();
      assertThat(first.get("scans").get(0).get("bag").asText()).isEqualTo(c);
      JsonNode second = admin("GET", "/api/v1/audit/scans?dock=" + a.dock + "&limit=1&before=" + first.get("next").asLong(), null).json();
      assertThat(second.get("scans").get(0).get("bag").asText()).isEqualTo(p);
      // other filters find none of them
      assertThat(admin("GET", "/api/v1/audit/scans?dock=" + a.dock + "&station=station-2", null).json().get("scans")).isEmpty();
      assertThat(admin("GET", "/api/v1/audit/scans?dock=" + a.dock + "&until=" + before.minusSeconds(1), null).json().get("scans"))
          .isEmpty();
      for (String bad : List.of("limit=0", "limit=201", "before=x", "from=yesterday", "actor=" + "a".repeat(65))) {
        HubTestServer.Answer refused = admin("GET", "/api/v1/audit/scans?" + bad, null);
        assertThat(refused.status()).as(bad).isEqualTo(400);
      }
    }

    private boolean listedSilent(JsonNode listing, String dock) {
      for (JsonNode d : listing.get("docks")) {
        if (d.get("name").asText().equals(dock)) {
          return d.get("silent").asBoolean();
        }
      }
      throw new AssertionError(dock + " is not listed");
    }

    @Test
    void aBatchOfEverythingPending_leavesNoBacklogInTheFleetView() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      // what the edge sends when the batch is all it has: pendingOps counts the batch itself
      PushBatch batch = new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis(), 0), 2,
          server.clock.millis() - 60_000, "edge-9.9", List.of(a.op(1, new Op.CreateParent(p, 3, 3)),
          a.op(2, new Op.Link(p, child()))));
      a.push(batch);

      JsonNode view = dockView(a.dock);
      assertThat(view.get("lastSeq").asLong()).isEqualTo(2);
      assertThat(view.get("backlog").asLong()).isZero();
      assertThat(view.get("oldestPendingAt").isNull()).isTrue();

      // a held op (a gap before it) still waits
      a.push(new PushBatch(a.edgeId, a.dock, new Hlc(server.clock.millis(), 0), 2, server.clock.millis() - 1_000,
          "edge-9.9", List.of(a.op(4, new Op.Link(p, child())))));
      assertThat(dockView(a.dock).get("backlog").asLong()).isEqualTo(2);
      assertThat(dockView(a.dock).get("oldestPendingAt").isNull()).isFalse();
    }

    @Test
    void hello_marksTheEdgeSeen() throws Exception {
      Edge a = enrolled();
      assertThat(get(a, "/api/v1/sync/hello").statusCode()).isEqualTo(200);
      assertThat(dockView(a.dock).get("lastSeenAt").isNull()).isFalse();
    }

    /** Each hello is contact, not only an edge's first: "last seen" moves with every one. */
    @Test
    void everyHello_movesLastSeen() throws Exception {
      Edge a = enrolled();
      assertThat(get(a, "/api/v1/sync/hello").statusCode()).isEqualTo(200);
      java.time.Instant first = lastSeen(a.dock);
      server.clock.advance(java.time.Duration.ofMinutes(10));
      assertThat(get(a, "/api/v1/sync/hello").statusCode()).isEqualTo(200);
      assertThat(lastSeen(a.dock)).isEqualTo(first.plus(java.time.Duration.ofMinutes(10)));
    }

    /** A connected dock with nothing to push only polls the change log: it must not look silent. */
    @Test
    void pollingTheChangeLog_isContact_writtenAtMostEvery30Seconds() throws Exception {
      Edge a = enrolled();
      assertThat(get(a, "/api/v1/sync/hello").statusCode()).isEqualTo(200);
      java.time.Instant helloAt = lastSeen(a.dock);

      server.clock.advance(java.time.Duration.ofMinutes(10));
      assertThat(get(a, POLL).statusCode()).isEqualTo(200);
      java.time.Instant polledAt = lastSeen(a.dock);
      assertThat(polledAt).isEqualTo(helloAt.plus(java.time.Duration.ofMinutes(10)));

      // the next polls within 30 s write nothing; the first one past it does
      server.clock.advance(java.time.Duration.ofSeconds(29));
      assertThat(get(a, POLL).statusCode()).isEqualTo(200);
      assertThat(lastSeen(a.dock)).isEqualTo(polledAt);
      server.clock.advance(java.time.Duration.ofSeconds(2));
      assertThat(get(a, POLL).statusCode()).isEqualTo(200);
      assertThat(lastSeen(a.dock)).isEqualTo(polledAt.plusSeconds(31));

      // a refused poll (a revoked or unknown credential) is no contact
      HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(server.uri("/api/v1/sync/changes?after=0"))
          .header("Authorization", "Bearer not-a-credential").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(stranger.statusCode()).isEqualTo(401);
    }

    private static final String POLL = "/api/v1/sync/changes?after=0&waitMs=0";

    /** A GET with the dock's device credential, as its sync worker sends it. */
    private HttpResponse<String> get(Edge a, String path) throws Exception {
      return http.send(HttpRequest.newBuilder(server.uri(path))
          .header("Authorization", "Bearer " + a.credential).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A dock restored from a backup sends new ops under seqs the hub holds: never taken as duplicates. */
  @Nested
  class RestoredBackup {

    @Test
    void anotherOpUnderAUsedSeq_isRejectedSeqReused_andEveryLaterOpOfTheBatchHeld() throws Exception {
      Edge a = enrolled();
      String p = parent(5);
      String c1 = child();
      String c2 = child();
      PushBatch first = a.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, c1), new Op.Link(p, c2));
      assertThat(statuses(a.push(first))).containsOnly("APPLIED");
      String conflictsBefore = server.db.dsl().fetch("select * from sync_conflict where edge_id = ?", a.edgeId).formatCSV();

      // the restored dock made other scans under seqs 2 and 3, and a new one as 4
      String c3 = child();
      String c4 = child();
      PushBatch restored = a.batch(List.of(first.ops().getFirst(), a.op(2, new Op.Link(p, c3)), a.op(3, new Op.Link(p, c4)),
          a.op(4, new Op.Finish(p, 4))));
      PushReply reply = a.push(restored);

      assertThat(statuses(reply)).containsExactly("DUPLICATE", "REJECTED", "HELD", "HELD");
      OpOutcome reused = reply.outcomes().get(1);
      assertThat(reused.code()).isEqualTo("SEQ_REUSED");
      assertThat(reused.conflictId()).isNull();
      assertThat(reply.lastSeq()).isEqualTo(3);
      assertThat(intOf("select count(*) from bag where code in (?, ?)", c3, c4)).isZero();
      assertThat(intOf("select count(*) from bag where code = ? and finished_at is not null", p)).isZero();
      assertThat(server.db.dsl().fetch("select * from sync_conflict where edge_id = ?", a.edgeId).formatCSV())
          .as("no conflict row").isEqualTo(conflictsBefore);
      assertThat(server.db.dsl().fetchValue("select seq_reused_at from edge_progress where edge_id = ?", a.edgeId)).isNotNull();
      assertThat(dockView(a.dock).get("seqReusedAt").isNull()).as("the fleet view: restore detected").isFalse();
      // the very same ops resent are still duplicates
      assertThat(statuses(a.push(first))).containsOnly("DUPLICATE");
      HubTestServer.Answer metrics = server.send("GET", "/metrics", null, null, null);
      assertThat(metrics.text()).containsPattern("tracetrack_sync_seq_reused_total(\\{[^}]*\\})? [1-9]");
    }

    @Test
    void hello_answersTheLastSeqTheHubHolds() throws Exception {
      Edge a = enrolled();
      assertThat(hello(a).get("lastSeq").asLong()).isZero();
      String p = parent(3);
      a.push(a.batch(new Op.CreateParent(p, 3, 3), new Op.Link(p, child())));
      assertThat(hello(a).get("lastSeq").asLong()).isEqualTo(2);
    }
  }

  /** Where in the change log a batch's ops are true, also those applied as no-ops. */
  @Nested
  class LogPosition {

    @Test
    void anOpThatChangedNothing_isCoveredByTheReplysLogPosition_theOtherDocksEntryIncluded() throws Exception {
      Edge a = enrolled();
      Edge b = enrolled();
      String p = parent(5);
      String c = child();
      b.push(b.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, c)));
      long bLink = ((Number) server.db.dsl().fetchValue(
          "select max(seq) from change_log where type = 'link.v1' and entity_key = ?", c)).longValue();
      long head = logHead();

      PushReply reply = a.push(a.batch(new Op.CreateParent(p, 5, 5), new Op.Link(p, c)));

      assertThat(statuses(reply)).containsExactly("APPLIED", "APPLIED");
      assertThat(logHead()).as("a's ops appended nothing").isEqualTo(head);
      assertThat(reply.logPosition()).isNotNull().isGreaterThanOrEqualTo(bLink);
    }

    @Test
    void aBatchThatAppended_answersItsLastEntry() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      PushReply reply = a.push(a.batch(new Op.CreateParent(p, 3, 3), new Op.Link(p, child())));
      assertThat(reply.logPosition()).isEqualTo(logHead());
    }
  }

  /** A dock's identity at the hub is the dock: one edge id, one dock. */
  @Nested
  class EdgeIdentity {

    @Test
    void enrolmentNamingAnotherDocksEdgeId_isRefusedEdgeIdTaken_evenWhenThatDockIsRevoked() throws Exception {
      Edge a = enrolled();
      String other = newDockCode();
      HubTestServer.Answer refused = enroll(other, a.edgeId);
      assertProblem(refused, 409, "EDGE_ID_TAKEN");
      assertThat(refused.json().get("detail").asText()).contains("empty data folder");

      assertThat(admin("POST", "/api/v1/docks/" + a.dock + "/revoke", null).status()).isEqualTo(200);
      assertProblem(enroll(other, a.edgeId), 409, "EDGE_ID_TAKEN");
      // the same dock enrols again with its own edge id
      String again = admin("POST", "/api/v1/docks/" + a.dock + "/code", null).json().get("enrollmentCode").asText();
      HubTestServer.Answer back = enroll(again, a.edgeId);
      assertThat(back.status()).as(back.text()).isEqualTo(200);
      a.credential = back.json().get("credential").asText();
      String p = parent(3);
      assertThat(statuses(a.push(a.batch(new Op.CreateParent(p, 3, 3))))).containsExactly("APPLIED");
    }

    @Test
    void anEdgeIdWhoseOpsTheHubHoldsForAnotherDock_isRefused_atEnrolmentAndAtPush() throws Exception {
      Edge a = enrolled();
      String p = parent(3);
      a.push(a.batch(new Op.CreateParent(p, 3, 3)));
      // a enrols again on a new edge: its old edge id is bound to no dock now, but its ops are a's
      String again = admin("POST", "/api/v1/docks/" + a.dock + "/code", null).json().get("enrollmentCode").asText();
      assertThat(enroll(again, a.edgeId + "-new").status()).isEqualTo(200);
      assertProblem(enroll(newDockCode(), a.edgeId), 409, "EDGE_ID_TAKEN");

      // a dock bound to it anyway (as a hub before the unique rule could hold): its push is refused, not DUPLICATE
      Edge b = enrolled();
      server.db.dsl().execute("update dock set edge_id = ? where name = ?", a.edgeId, b.dock);
      Edge shadow = new Edge(b.dock, a.edgeId, b.credential);
      String before = digest();
      HubTestServer.Answer pushed = shadow.post(WIRE.encode(shadow.batch(new Op.CreateParent(parent(3), 3, 3))));
      assertProblem(pushed, 403, "FORBIDDEN");
      assertThat(digest()).isEqualTo(before);
    }

    @Test
    void twoEnrolmentsRacingWithOneEdgeId_oneWins_theOtherIsEdgeIdTaken() throws Exception {
      for (int round = 0; round < 3; round++) {
        String one = newDockCode();
        String two = newDockCode();
        String edgeId = "edge-race-" + next.incrementAndGet();
        server.clock.advance(Duration.ofMinutes(1));
        List<Integer> statuses = Concurrently.run(2, i -> () -> server.send("POST", "/api/v1/sync/enroll", null,
            "application/json", "{\"code\":\"" + (i == 0 ? one : two) + "\",\"edgeId\":\"" + edgeId + "\"}").status());
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(intOf("select count(*) from dock where edge_id = ?", edgeId)).isEqualTo(1);
      }
    }
  }

  /** A pushed op obeys the API's area rules, and its actor must be someone the dock may have. */
  @Nested
  class AreaConfinement {

    @Test
    void opsNamingAnotherAreasBag_areRejectedAsConflictsNamingTheArea() throws Exception {
      Edge a = enrolled();
      String south = parent(3);
      String southChild = child();
      String mine = parent(3);
      assertThat(server.send("POST", "/api/v1/bags", server.tokens.get("dispatcher-south"), "application/json",
          "{\"code\":\"" + south + "\"}").status()).isEqualTo(201);
      assertThat(server.send("POST", "/api/v1/links", server.tokens.get("dispatcher-south"), "application/json",
          "{\"parent\":\"" + south + "\",\"child\":\"" + southChild + "\"}").status()).isIn(200, 201);
      String bags = server.db.dsl().fetch("select * from bag order by code").formatCSV();

      PushReply reply = a.push(a.batch(new Op.CreateParent(mine, 3, 3), new Op.Link(south, child()),
          new Op.Unlink(south, southChild, Op.UnlinkReason.UNDO), new Op.Finish(south, 1), new Op.Link(mine, southChild)));

      assertThat(statuses(reply)).containsExactly("APPLIED", "REJECTED", "REJECTED", "REJECTED", "REJECTED");
      for (OpOutcome o : reply.outcomes().subList(1, 5)) {
        assertThat(o.code()).isEqualTo("BAG_IN_OTHER_AREA");
        assertThat(o.conflictId()).isNotNull();
        assertThat(conflict(o.conflictId()).get("code")).isEqualTo("BAG_IN_OTHER_AREA");
      }
      assertThat(reply.outcomes().get(1).message()).isEqualTo(south + " belongs to area SOUTH; this dock is in NORTH");
      assertThat(reply.outcomes().get(4).message()).contains(southChild + " belongs to area SOUTH");
      assertThat(server.db.dsl().fetch("select * from bag where code <> ? order by code", mine).formatCSV())
          .as("no other bag made or changed").isEqualTo(bags);
      assertThat(server.db.dsl().fetchValue("select parent_code from bag where code = ?", southChild)).isEqualTo(south);
      assertThat(server.db.dsl().fetchValue("select finished_at from bag where code = ?", south)).isNull();
      assertThat(server.db.dsl().fetchValue("select area_id from bag where code = ?", mine)).isEqualTo("NORTH");
    }

    @Test
    void anActorWhoMayNotSignInAtTheDock_isRejected_anUnknownOrGrantedOneIsTaken() throws Exception {
      Edge a = enrolled();
      List<String> actors = List.of("admin", "bella", "sam", "local-dispatcher", "nina");
      List<OpEnvelope> ops = new ArrayList<>();
      for (int i = 0; i < actors.size(); i++) {
        ops.add(new OpEnvelope(new OpId(a.edgeId, i + 1), new Hlc(server.clock.millis(), 0), actors.get(i), a.dock,
            "station-1", new Op.CreateParent(parent(3), 3, 3)));
      }
      PushReply reply = a.push(a.batch(ops));
      assertThat(statuses(reply)).containsExactly("REJECTED", "REJECTED", "REJECTED", "APPLIED", "APPLIED");
      assertThat(reply.outcomes().subList(0, 3)).allSatisfy(o -> {
        assertThat(o.code()).isEqualTo("ACTOR_NOT_ALLOWED");
        assertThat(o.conflictId()).isNotNull();
      });

      // granted NORTH, the biller may sign in at NORTH's docks; disabled, nina may not
      assertThat(admin("POST", "/api/v1/users/bella/dock-access", "{\"area\":\"NORTH\"}").status()).isEqualTo(204);
      String dee = "dee" + next.incrementAndGet();
      server.addUser(dee, Role.DISPATCHER, "NORTH");
      assertThat(admin("PATCH", "/api/v1/users/" + dee, "{\"disabled\":true}").status()).isEqualTo(200);
      List<OpEnvelope> more = List.of(
          new OpEnvelope(new OpId(a.edgeId, 6), new Hlc(server.clock.millis(), 0), "bella", a.dock, "station-1",
              new Op.CreateParent(parent(3), 3, 3)),
          new OpEnvelope(new OpId(a.edgeId, 7), new Hlc(server.clock.millis(), 0), dee, a.dock, "station-1",
              new Op.CreateParent(parent(3), 3, 3)));
      PushReply later = a.push(a.batch(more));
      assertThat(statuses(later)).containsExactly("APPLIED", "REJECTED");
      assertThat(later.outcomes().get(1).code()).isEqualTo("ACTOR_NOT_ALLOWED");
      assertThat(admin("DELETE", "/api/v1/users/bella/dock-access/NORTH", null).status()).isEqualTo(204);
    }
  }

  /** A full batch of long but valid ops fits the push's limit, which is the codec's, not the API's. */
  @Test
  void aFullBatchOfLongValidOps_over256KiB_isTaken() throws Exception {
    Edge a = enrolled();
    String actor = "a".repeat(64);
    String station = "s".repeat(64);
    List<OpEnvelope> ops = new ArrayList<>();
    for (int i = 1; i <= WireCodec.MAX_BATCH; i++) {
      ops.add(new OpEnvelope(new OpId(a.edgeId, i), new Hlc(server.clock.millis(), 0), actor, a.dock, station,
          new Op.CreateParent(parent(3), 3, 3)));
    }
    String body = WIRE.encode(a.batch(ops));
    assertThat(body.length()).isGreaterThan(256 * 1024).isLessThanOrEqualTo(WireCodec.MAX_PUSH_BYTES);
    HubTestServer.Answer answer = a.post(body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(WIRE.decodeReply(answer.text()).lastSeq()).isEqualTo(WireCodec.MAX_BATCH);
  }

  /**
   * Four docks push conflicting links into the same few parents at once, in several batches each.
   * After: a child on at most one parent, no parent past its limit, counts matching the rows, and
   * every op answered exactly once: applied, or refused with a conflict.
   */
  @Test
  void fourDocksAtOnce_keepTheInvariants() throws Exception {
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      edges.add(enrolled());
    }
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      parents.add(parent(4));
    }
    List<String> children = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      children.add(child());
    }
    int batches = 5;
    int perBatch = 12;
    List<List<OpOutcome>> answered = Concurrently.run(4, d -> () -> {
      Edge e = edges.get(d);
      Random random = new Random(d);
      List<OpOutcome> all = new ArrayList<>();
      long seq = 0;
      for (int b = 0; b < batches; b++) {
        List<OpEnvelope> ops = new ArrayList<>();
        for (int i = 0; i < perBatch; i++) {
          String p = parents.get(random.nextInt(parents.size()));
          Op op = b == 0 && i < parents.size() ? new Op.CreateParent(parents.get(i), 4, 4)
              : random.nextInt(5) == 0 ? new Op.Unlink(p, children.get(random.nextInt(children.size())), Op.UnlinkReason.UNDO)
              : new Op.Link(p, children.get(random.nextInt(children.size())));
          ops.add(e.op(++seq, op));
        }
        all.addAll(e.push(e.batch(ops)).outcomes());
      }
      return all;
    });

    for (int d = 0; d < 4; d++) {
      List<OpOutcome> outcomes = answered.get(d);
      assertThat(outcomes).hasSize(batches * perBatch);
      assertThat(outcomes).extracting(OpOutcome::status).containsOnly(OpOutcome.Status.APPLIED, OpOutcome.Status.REJECTED);
      long rejected = outcomes.stream().filter(o -> o.status() == OpOutcome.Status.REJECTED).count();
      assertThat(outcomes.stream().filter(o -> o.status() == OpOutcome.Status.REJECTED).allMatch(o -> o.conflictId() != null)).isTrue();
      assertThat(intOf("select count(*) from sync_conflict where edge_id = ? and applied = false", edges.get(d).edgeId))
          .isEqualTo((int) rejected);
      assertThat(intOf("select last_seq from edge_progress where edge_id = ?", edges.get(d).edgeId)).isEqualTo(batches * perBatch);
    }
    for (String p : parents) {
      int count = intOf("select child_count from bag where code = ?", p);
      assertThat(count).isBetween(0, 4);
      assertThat(intOf("select count(*) from bag where parent_code = ?", p)).isEqualTo(count);
    }
    // links in the change log, replayed in order, give the same placement as the rows
    Map<String, String> replayed = new HashMap<>();
    for (Record r : server.db.dsl().fetch("select type, payload from change_log where type in ('link.v1', 'unlink.v1') order by seq")) {
      JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.get(1, String.class));
      if (r.get(0).equals("link.v1")) {
        assertThat(replayed.put(payload.get("child").asText(), payload.get("parent").asText())).isNull();
      } else {
        assertThat(replayed.remove(payload.get("child").asText())).isEqualTo(payload.get("parent").asText());
      }
    }
    for (String c : children) {
      assertThat(server.db.dsl().fetchValue("select parent_code from bag where code = ?", c)).isEqualTo(replayed.get(c));
    }
  }

  // ---- helpers ----

  /** An enrolled edge of a fresh dock in area NORTH, and what it pushes. */
  final class Edge {
    final String dock;
    final String edgeId;
    String credential;
    private long seq;

    Edge(String dock, String edgeId, String credential) {
      this.dock = dock;
      this.edgeId = edgeId;
      this.credential = credential;
    }

    OpEnvelope op(long seq, Op op) {
      this.seq = Math.max(this.seq, seq);
      return new OpEnvelope(new OpId(edgeId, seq), new Hlc(server.clock.millis(), 0), "nina", dock, "station-1", op);
    }

    /** The next ops in this edge's seq order. */
    PushBatch batch(Op... ops) {
      List<OpEnvelope> envelopes = new ArrayList<>();
      for (Op op : ops) {
        envelopes.add(op(seq + 1, op));
      }
      return batch(envelopes);
    }

    PushBatch batch(List<OpEnvelope> ops) {
      return new PushBatch(edgeId, dock, new Hlc(server.clock.millis(), 0), ops.size(), null, "test-1", ops);
    }

    PushReply push(PushBatch batch) {
      HubTestServer.Answer answer = post(WIRE.encode(batch));
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      return WIRE.decodeReply(answer.text());
    }

    HubTestServer.Answer post(String body) {
      return PushTest.this.post(credential, edgeId, body, "application/json");
    }
  }

  Edge enrolled() {
    int n = next.incrementAndGet();
    String dock = "PUSH-" + n;
    HubTestServer.Answer res = admin("POST", "/api/v1/docks", "{\"name\":\"" + dock + "\",\"area\":\"NORTH\"}");
    assertThat(res.status()).as(res.text()).isEqualTo(201);
    String edgeId = "edge-push-" + n;
    HubTestServer.Answer enrolled = enroll(res.json().get("enrollmentCode").asText(), edgeId);
    assertThat(enrolled.status()).as(enrolled.text()).isEqualTo(200);
    return new Edge(dock, edgeId, enrolled.json().get("credential").asText());
  }

  /** A fresh dock of area NORTH, not enrolled: its code. */
  private String newDockCode() {
    HubTestServer.Answer res = admin("POST", "/api/v1/docks", "{\"name\":\"PUSH-" + next.incrementAndGet()
        + "\",\"area\":\"NORTH\"}");
    assertThat(res.status()).as(res.text()).isEqualTo(201);
    return res.json().get("enrollmentCode").asText();
  }

  private JsonNode hello(Edge e) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(server.uri("/api/v1/sync/hello"))
        .header("Authorization", "Bearer " + e.credential).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
  }

  private HubTestServer.Answer enroll(String code, String edgeId) {
    server.clock.advance(Duration.ofMinutes(1));
    return server.send("POST", "/api/v1/sync/enroll", null, "application/json",
        "{\"code\":\"" + code + "\",\"edgeId\":\"" + edgeId + "\"}");
  }

  HubTestServer.Answer post(String credential, String edgeId, String body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/sync/push")).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
    if (credential != null) {
      b.header("Authorization", "Bearer " + credential);
    }
    if (edgeId != null) {
      b.header("X-Edge-Id", edgeId);
    }
    try {
      HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new HubTestServer.Answer(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends only the headers of a push announcing {@code length} bytes; answers the status line. */
  private String rawStatusLine(Edge e, int length) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.hub.server().port())) {
      socket.setSoTimeout(30_000);
      String head = "POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + e.credential
          + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  private HubTestServer.Answer admin(String method, String path, String body) {
    return server.send(method, path, adminToken, body == null ? null : "application/json", body);
  }

  private JsonNode dockView(String name) {
    HubTestServer.Answer res = admin("GET", "/api/v1/docks/" + name, null);
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    return res.json();
  }

  /** The dock's "last seen" as the fleet view shows it. */
  private java.time.Instant lastSeen(String dock) {
    return java.time.OffsetDateTime.parse(dockView(dock).get("lastSeenAt").asText()).toInstant();
  }

  private String parent(int count) {
    return "P" + next.incrementAndGet() + "-" + count;
  }

  private String child() {
    return "C" + next.incrementAndGet();
  }

  private int intOf(String sql, Object... args) {
    return ((Number) server.db.dsl().fetchValue(sql, args)).intValue();
  }

  private long logCount() {
    return ((Number) server.db.dsl().fetchValue("select count(*) from change_log")).longValue();
  }

  private long logHead() {
    return ((Number) server.db.dsl().fetchValue("select last_seq from change_log_head")).longValue();
  }

  private Record conflict(Long id) {
    return server.db.dsl().fetchOne("select * from sync_conflict where id = ?", id);
  }

  private JsonNode logEntry(String type, long key) throws Exception {
    String payload = (String) server.db.dsl().fetchValue("select payload from change_log where type = ? and entity_key = ?",
        type, Long.toString(key));
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
  }

  /** Every row of every table a push writes, sorted: equal digests mean nothing changed. */
  private String digest() {
    StringBuilder out = new StringBuilder();
    for (String table : TABLES) {
      List<String> rows = new ArrayList<>(server.db.dsl().fetch(table).stream()
          .map(r -> Arrays.toString(r.intoArray())).toList());
      rows.sort(null);
      out.append(table).append(rows).append('\n');
    }
    return out.toString();
  }

  private static List<String> statuses(PushReply reply) {
    return reply.outcomes().stream().map(o -> o.status().name()).toList();
  }

  /** The batch with its two ops' seq numbers swapped: descending. */
  private static String swapSeqs(String json) {
    return json.replace("\"seq\":1", "\"seq\":X").replace("\"seq\":2", "\"seq\":1").replace("\"seq\":X", "\"seq\":2");
  }

  private static void assertProblem(HubTestServer.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("code").asText()).isEqualTo(code);
  }
}
