package io.tracetrack.edge.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.sync.EdgeStatus;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanServiceTest {

  @TempDir Path dir;
  TestEdge edge;

  @BeforeEach
  void open() {
    edge = new TestEdge(dir);
  }

  @AfterEach
  void close() {
    edge.close();
  }

  /** Scans at station s1 as asha, a second apart (well outside the bounce window). */
  private ScanResult scan(String raw) {
    return scanAt("s1", raw);
  }

  private ScanResult scanAt(String station, String raw) {
    edge.clock.advance(Duration.ofSeconds(1));
    return edge.scans.scan(station, "asha", raw);
  }

  @Test
  void issueSequence_threeLinksCompleteParentAndC4RejectedWithReason() {
    List<ScanResult> results = new ArrayList<>();
    for (String code : List.of("P1001-3", "C1", "C2", "C3", "C4")) {
      results.add(scan(code));
    }
    assertThat(results).extracting(ScanResult::accepted).containsExactly(true, true, true, true, false);
    assertThat(results.get(3).complete()).isTrue();
    assertThat(results.get(3).count()).isEqualTo(3);
    ScanResult c4 = results.get(4);
    assertThat(c4.reason()).isEqualTo(ErrorCode.PARENT_COMPLETE);
    assertThat(c4.message()).contains("P1001-3").contains("3 of 3");
    assertThat(c4.parent()).isEqualTo("P1001-3");
    assertThat(edge.count("select count(*) from bag where parent_code = 'P1001-3'")).isEqualTo(3);
    assertThat(edge.count("select child_count from bag where code = 'P1001-3'")).isEqualTo(3);
    assertThat(edge.count("select count(*) from bag where code = 'C4'")).isZero();
  }

  @Test
  void everyAcceptedScan_hasExactlyOneDecodableOutboxOp_inContiguousSeqOrder() throws Exception {
    for (String code : List.of("P1-3", "C1", "C2", "CMD-UNDO", "C3", "C3", "SB12345", "C9")) {
      scan(code);
    }
    OpCodec codec = new OpCodec();
    List<OpEnvelope> ops = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("edge.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select seq, op_json from outbox order by seq")) {
      while (rs.next()) {
        OpEnvelope op = codec.decode(rs.getString(2));
        assertThat(op.id().seq()).isEqualTo(rs.getLong(1));
        ops.add(op);
      }
    }
    assertThat(ops).extracting(o -> o.id().seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(ops).extracting(OpEnvelope::op).containsExactly(
        new Op.CreateParent("P1-3", 3, 3), new Op.Link("P1-3", "C1"), new Op.Link("P1-3", "C2"),
        new Op.Unlink("P1-3", "C2", Op.UnlinkReason.UNDO), new Op.Link("P1-3", "C3"),
        new Op.CreateParent("SB12345", null, 30), new Op.Link("SB12345", "C9"));
    assertThat(ops).allSatisfy(o -> {
      assertThat(o.actor()).isEqualTo("asha");
      assertThat(o.dock()).isEqualTo("DOCK-T");
      assertThat(o.station()).isEqualTo("s1");
    });
    for (int i = 1; i < ops.size(); i++) {
      assertThat(ops.get(i).hlc().isAfter(ops.get(i - 1).hlc())).isTrue();
    }
    assertThat(EdgeStatus.of(edge.db, edge.clock.instant()).lastSeq()).isEqualTo(7);
    assertThat(EdgeStatus.of(edge.db, edge.clock.instant()).pendingOps()).isEqualTo(7);
  }

  /**
   * The station's parent can leave the view under it: the hub refused its creation (an actor moved
   * to another area, say) and the rebase dropped it. Found by the seeded simulation (seed 11): FINISH
   * then threw instead of answering.
   */
  @Test
  void finishOrCancel_afterTheParentLeftTheView_isRefusedAndBackToParentMode_neverThrows() {
    scan("P1-5");
    scan("CMD-FINISH"); // asks for confirmation: a finish is pending
    edge.db.write(dsl -> dsl.execute("delete from bag where code = 'P1-5'"));

    ScanResult finish = scan("CMD-FINISH");
    ScanResult cancel = scan("CMD-CANCEL");

    assertThat(finish.accepted()).isFalse();
    assertThat(finish.reason()).isEqualTo(ErrorCode.UNKNOWN_PARENT);
    assertThat(finish.message()).contains("P1-5");
    assertThat(cancel.accepted()).isTrue();
    assertThat(scan("C1").reason()).isEqualTo(ErrorCode.NO_PARENT);
  }

  @Test
  void clockGoingBackwards_keepsHlcMonotonic() {
    scan("P1-5");
    scan("C1");
    edge.clock.advance(Duration.ofHours(-2));
    ScanResult c2 = scan("C2");
    // the op made after the jump must exist, or the order check below would pass on nothing
    assertThat(c2.accepted()).isTrue();
    assertThat(c2.seq()).isEqualTo(3L);
    assertThat(edge.count("select count(*) from outbox where seq = 3 and op_type = 'LINK' and bag_code = 'C2'")).isEqualTo(1);
    assertThat(edge.count("select count(*) from outbox o1 join outbox o2 on o2.seq = o1.seq + 1 "
        + "where (o2.hlc_wall < o1.hlc_wall) or (o2.hlc_wall = o1.hlc_wall and o2.hlc_logical <= o1.hlc_logical)")).isZero();
  }

  @Nested
  class Parents {
    @Test
    void rescanningAParent_reopensTheStationOnItWithItsCount() {
      scan("P5-10");
      scan("C1");
      scan("C2");
      scan("SB12345");
      ScanResult back = scan("P5-10");
      assertThat(back.accepted()).isTrue();
      assertThat(back.message()).contains("2 of 10");
      assertThat(back.count()).isEqualTo(2);
      assertThat(back.mode()).isEqualTo(ScanResult.Mode.CHILD);
      assertThat(edge.count("select count(*) from outbox where op_type = 'CREATE_PARENT'")).isEqualTo(2);
    }

    @Test
    void sbParent_hasLimit30_thenFull() {
      scan("SB00001");
      for (int i = 1; i <= 30; i++) {
        assertThat(scan("C" + i).accepted()).isTrue();
      }
      ScanResult full = scan("C31");
      assertThat(full.reason()).isEqualTo(ErrorCode.PARENT_FULL);
      assertThat(full.message()).contains("30");
    }
  }

  @Nested
  class Children {
    @Test
    void childBeforeAnyParent_isRejectedNoParent() {
      ScanResult r = scan("C1");
      assertThat(r.reason()).isEqualTo(ErrorCode.NO_PARENT);
      assertThat(edge.count("select count(*) from bag")).isZero();
    }

    @Test
    void childOnAnotherParent_namesIt() {
      scan("P1-3");
      scan("C1");
      scan("P2-3");
      ScanResult r = scan("C1");
      assertThat(r.reason()).isEqualTo(ErrorCode.CHILD_ALREADY_LINKED);
      assertThat(r.otherBag()).isEqualTo("P1-3");
      assertThat(r.message()).contains("P1-3");
    }

    @Test
    void sameChildAgainAfterBounceWindow_isDuplicate() {
      scan("P1-3");
      scan("C1");
      ScanResult again = scan("C1");
      assertThat(again.reason()).isEqualTo(ErrorCode.DUPLICATE);
    }

    @Test
    void sameCodeWithinBounceWindow_isIgnoredSilently_andStoresNothing() {
      scan("P1-3");
      scan("C1");
      String before = edge.fingerprint();
      edge.clock.advance(Duration.ofMillis(300));
      ScanResult bounce = edge.scans.scan("s1", "asha", "C1");
      assertThat(bounce.outcome()).isEqualTo(ScanResult.Outcome.IGNORED);
      assertThat(bounce.reason()).isEqualTo(ErrorCode.BOUNCE);
      assertThat(bounce.parent()).isEqualTo("P1-3");
      assertThat(edge.fingerprint()).isEqualTo(before);
    }

    @Test
    void bounceFilter_isPerStation() {
      scanAt("s1", "P1-5");
      scanAt("s2", "P1-5");
      scanAt("s1", "C1");
      edge.clock.advance(Duration.ofMillis(-900)); // s2 scans C1 100 ms after s1 did
      ScanResult other = edge.scans.scan("s2", "bob", "C1");
      assertThat(other.outcome()).isEqualTo(ScanResult.Outcome.REJECTED);
      assertThat(other.reason()).isEqualTo(ErrorCode.DUPLICATE);
    }

    @Test
    void idleStation_returnsToParentModeAfterTenMinutes() {
      scan("P1-3");
      scan("C1");
      edge.clock.advance(Duration.ofMinutes(10));
      ScanResult r = scan("C2");
      assertThat(r.reason()).isEqualTo(ErrorCode.NO_PARENT);
      assertThat(r.mode()).isEqualTo(ScanResult.Mode.PARENT);
      assertThat(edge.scans.view("s1", "asha").mode()).isEqualTo(ScanResult.Mode.PARENT);
    }

    @Test
    void stationsAreIndependent() {
      scanAt("s1", "P1-3");
      scanAt("s2", "P2-3");
      assertThat(scanAt("s1", "C1").parent()).isEqualTo("P1-3");
      assertThat(scanAt("s2", "C2").parent()).isEqualTo("P2-3");
    }
  }

  @Nested
  class Undo {
    @Test
    void undo_removesTheStationsLastLink_andReopensACompleteParent() {
      scan("P1-2");
      scan("C1");
      assertThat(scan("C2").complete()).isTrue();
      ScanResult undo = scan("CMD-UNDO");
      assertThat(undo.accepted()).isTrue();
      assertThat(undo.message()).contains("C2").contains("P1-2");
      assertThat(undo.complete()).isFalse();
      assertThat(undo.count()).isEqualTo(1);
      assertThat(edge.count("select count(*) from bag where parent_code is not null")).isEqualTo(1);
      // history is kept: the child bag still exists, and the unlink is an op of its own
      assertThat(edge.count("select count(*) from bag where code = 'C2'")).isEqualTo(1);
      assertThat(edge.count("select count(*) from outbox where op_type = 'UNLINK'")).isEqualTo(1);
      assertThat(scan("C3").accepted()).isTrue();
    }

    @Test
    void undo_onlyTouchesThisStationsLinks() {
      scanAt("s1", "P1-5");
      scanAt("s1", "C1");
      scanAt("s2", "P1-5");
      scanAt("s2", "C2");
      ScanResult undo = scanAt("s1", "CMD-UNDO");
      assertThat(undo.message()).contains("C1");
      assertThat(edge.count("select count(*) from bag where code = 'C2' and parent_code = 'P1-5'")).isEqualTo(1);
    }

    @Test
    void undoAfterAnHour_isRefused_andNothingChanges() {
      scan("P1-3");
      scan("C1");
      edge.clock.advance(Duration.ofMinutes(61));
      String before = edge.count("select count(*) from outbox") + "";
      ScanResult undo = scan("CMD-UNDO");
      assertThat(undo.reason()).isEqualTo(ErrorCode.UNDO_WINDOW_EXPIRED);
      assertThat(undo.otherBag()).isEqualTo("C1");
      assertThat(edge.count("select count(*) from outbox") + "").isEqualTo(before);
    }

    @Test
    void undoWithNothingLinked_isRefused() {
      assertThat(scan("CMD-UNDO").reason()).isEqualTo(ErrorCode.NOTHING_TO_UNDO);
    }
  }

  @Nested
  class Finish {
    @Test
    void finishShort_asksForConfirmation_thenFinishes_recordingWho() {
      scan("P1-10");
      scan("C1");
      ScanResult ask = scan("CMD-FINISH");
      assertThat(ask.reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION);
      assertThat(ask.pendingFinish()).isTrue();
      assertThat(ask.message()).contains("1 of 10");
      ScanResult done = scan("CMD-FINISH");
      assertThat(done.accepted()).isTrue();
      assertThat(done.mode()).isEqualTo(ScanResult.Mode.PARENT);
      assertThat(edge.count("select count(*) from bag where code = 'P1-10' and finished_by = 'asha'")).isEqualTo(1);
      scan("P1-10");
      assertThat(scan("C2").reason()).isEqualTo(ErrorCode.PARENT_COMPLETE);
    }

    @Test
    void confirmationExpires_afterThirtySeconds() {
      scan("P1-10");
      scan("C1");
      scan("CMD-FINISH");
      edge.clock.advance(Duration.ofSeconds(31));
      assertThat(scan("CMD-FINISH").reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION);
    }

    @Test
    void aChildScanInBetween_cancelsThePendingFinish() {
      scan("P1-10");
      scan("C1");
      scan("CMD-FINISH");
      scan("C2");
      assertThat(scan("CMD-FINISH").reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION);
    }

    @Test
    void cancel_dropsPendingFinish_thenLeavesTheParent() {
      scan("P1-10");
      scan("C1");
      scan("CMD-FINISH");
      ScanResult cancel = scan("CMD-CANCEL");
      assertThat(cancel.mode()).isEqualTo(ScanResult.Mode.CHILD);
      assertThat(cancel.pendingFinish()).isFalse();
      ScanResult leave = scan("CMD-CANCEL");
      assertThat(leave.mode()).isEqualTo(ScanResult.Mode.PARENT);
      assertThat(scan("C2").reason()).isEqualTo(ErrorCode.NO_PARENT);
    }

    @Test
    void linkAtAnotherStationBetweenAskAndConfirm_isStale_thenAskedAgainAtTheNewCount() throws Exception {
      scan("P1-10");
      scan("C1");
      assertThat(scan("CMD-FINISH").reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION); // asked at 1
      scanAt("s2", "P1-10");
      assertThat(scanAt("s2", "C2").accepted()).isTrue();

      ScanResult stale = scan("CMD-FINISH");
      assertThat(stale.accepted()).isFalse();
      assertThat(stale.reason()).isEqualTo(ErrorCode.FINISH_STALE);
      assertThat(stale.message()).isEqualTo(
          "P1-10 now has 2 of 10 (you confirmed at 1): scan FINISH again to finish it at 2");
      assertThat(stale.otherBag()).isEqualTo("P1-10");
      assertThat(stale.pendingFinish()).isTrue();
      assertThat(stale.count()).isEqualTo(2);
      assertThat(stale.mode()).isEqualTo(ScanResult.Mode.CHILD);
      assertThat(edge.count("select count(*) from bag where code = 'P1-10' and finished_by is not null")).isZero();
      assertThat(edge.count("select count(*) from outbox where op_type = 'FINISH'")).isZero();

      ScanResult done = scan("CMD-FINISH");
      assertThat(done.accepted()).isTrue();
      assertThat(edge.count("select count(*) from bag where code = 'P1-10' and finished_by = 'asha'")).isEqualTo(1);
      assertQueuedFinish(new Op.Finish("P1-10", 2));
    }

    /** The FINISH queued in the outbox, read through a connection of its own, decodes to {@code expected}. */
    private void assertQueuedFinish(Op.Finish expected) throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("edge.db"));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select op_json from outbox where op_type = 'FINISH'")) {
        assertThat(rs.next()).isTrue();
        assertThat(new OpCodec().decode(rs.getString(1)).op()).isEqualTo(expected);
      }
    }

    @Test
    void confirmedFinish_carriesTheCountItWasAskedAt() throws Exception {
      scan("P1-10");
      scan("C1");
      scan("C2");
      scan("CMD-FINISH");
      assertThat(scan("CMD-FINISH").accepted()).isTrue();
      assertQueuedFinish(new Op.Finish("P1-10", 2));
    }

    @Test
    void finishEmptyParent_isRefused_finishWithoutParent_isRefused() {
      assertThat(scan("CMD-FINISH").reason()).isEqualTo(ErrorCode.NO_PARENT);
      scan("P1-10");
      assertThat(scan("CMD-FINISH").reason()).isEqualTo(ErrorCode.EMPTY_PARENT);
    }
  }

  @Test
  void stationState_survivesARestart() {
    scan("P1-10");
    scan("C1");
    edge.close();
    edge = new TestEdge(dir);
    edge.clock.set(Instant.parse("2026-11-22T12:00:05Z"));
    ScanResult after = scan("C2");
    assertThat(after.accepted()).isTrue();
    assertThat(after.count()).isEqualTo(2);
  }
}
