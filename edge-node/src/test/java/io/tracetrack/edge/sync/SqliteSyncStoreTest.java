package io.tracetrack.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.edge.TestEdge;
import io.tracetrack.edge.scan.StationView;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanResult;
import io.tracetrack.edge.users.SignInResult;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import io.tracetrack.web.Passwords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica, rebase, conflicts and hub users on a real SQLite file, fed wire records built by hand. */
class SqliteSyncStoreTest {

  @TempDir
  Path dir;

  TestEdge edge;
  SqliteSyncStore store;
  String edgeId;
  final WireCodec wire = new WireCodec();
  long hubSeq;

  @BeforeEach
  void open() {
    edge = new TestEdge(dir);
    store = new SqliteSyncStore(edge.db, CodeGrammar.defaults(), edge.clock);
    edgeId = EdgeStatus.of(edge.db, edge.clock.instant()).edgeId();
  }

  @AfterEach
  void close() {
    edge.close();
  }

  ScanResult scan(String raw) {
    return edge.scans.scan("s1", "asha", raw);
  }

  ChangeEntry entry(Change change, String origin) {
    return new ChangeEntry(++hubSeq, change.type().wire(), change.key(), edge.clock.instant(), origin, wire.payload(change));
  }

  /** A page of changes made by someone else (another dock, the API). */
  int pull(Change... changes) {
    List<ChangeEntry> entries = new ArrayList<>();
    for (Change c : changes) {
      entries.add(entry(c, "admin"));
    }
    return store.applyPage(new ChangePage(entries, hubSeq, hubSeq));
  }

  /** One of this dock's ops as the hub logged it. */
  ChangeEntry ours(long seq, Change change) {
    return entry(change, "edge:" + edgeId + ":" + seq);
  }

  int pullEntries(ChangeEntry... entries) {
    return store.applyPage(new ChangePage(List.of(entries), hubSeq, hubSeq));
  }

  static Change.Bag parent(String code, int count) {
    return new Change.Bag(code, "PARENT", count, count, null);
  }

  static Change.Bag child(String code) {
    return new Change.Bag(code, "CHILD", null, null, null);
  }

  long count(String code) {
    return edge.count("select child_count from bag where code = '" + code + "'");
  }

  long onParent(String child, String parent) {
    return edge.count("select count(*) from bag where code = '" + child + "' and parent_code = '" + parent + "'");
  }

  /** Every parent's count equals its children in the view, and no row breaks the limits. */
  void assertViewConsistent() {
    // grouped once, not counted per parent: the view has no index on parent_code (scans would pay for it)
    assertThat(edge.count("select count(*) from bag p left join (select parent_code, count(*) n from bag "
        + "where parent_code is not null group by parent_code) c on c.parent_code = p.code "
        + "where p.role = 'PARENT' and p.child_count != coalesce(c.n, 0)")).isZero();
  }

  PushCountsAndBatch pushAll(java.util.function.Function<PushBatch, List<OpOutcome>> hub, long lastSeq) {
    PushBatch batch = store.nextBatch(1000, "test").orElseThrow();
    SyncStore.PushCounts counts = store.recordReply(batch, new PushReply(lastSeq, edge.clock.instant(), hub.apply(batch)));
    return new PushCountsAndBatch(batch, counts);
  }

  record PushCountsAndBatch(PushBatch batch, SyncStore.PushCounts counts) {}

  @Nested
  class Rebase {

    @Test
    void anotherDocksLinkToOurParent_countIsHubPlusOurs() {
      scan("P1001-5");
      scan("C1");
      pullEntries(ours(1, parent("P1001-5", 5)), entry(child("C9"), "dock-b"),
          entry(new Change.Link("P1001-5", "C9"), "dock-b"));

      assertThat(count("P1001-5")).isEqualTo(2);
      assertThat(onParent("C1", "P1001-5")).isOne();
      assertThat(onParent("C9", "P1001-5")).isOne();
      assertThat(scan("C2").count()).isEqualTo(3);
      assertViewConsistent();
    }

    @Test
    void ourLinkRejectedChildAlreadyLinked_dropsOutAndOpensConflict() {
      scan("P1001-5");
      scan("C1");
      var push = pushAll(b -> List.of(OpOutcome.applied(1),
          OpOutcome.rejected(2, ErrorCode.CHILD_ALREADY_LINKED, "C1 is on P2002-5", 77L)), 2);
      assertThat(push.counts()).isEqualTo(new SyncStore.PushCounts(2, 1, 0, 1, 0));
      // the applied op stays in the view until the pull brings it; the refused one is gone at once
      assertThat(count("P1001-5")).isZero();
      assertThat(edge.count("select count(*) from bag where code = 'C1'")).isZero();

      pullEntries(entry(parent("P2002-5", 5), "dock-b"), entry(child("C1"), "dock-b"),
          entry(new Change.Link("P2002-5", "C1"), "dock-b"), ours(1, parent("P1001-5", 5)));

      assertThat(onParent("C1", "P2002-5")).isOne();
      assertThat(count("P1001-5")).isZero();
      assertThat(count("P2002-5")).isOne();
      assertThat(store.status(edge.clock.instant()).openConflicts()).isOne();
      assertThat(store.status(edge.clock.instant()).pendingOps()).isZero();
      SyncStore.LocalConflict c = store.conflicts(true, 10).getFirst();
      assertThat(c.id()).isEqualTo(77);
      assertThat(c.code()).isEqualTo(ErrorCode.CHILD_ALREADY_LINKED.name());
      assertThat(c.child()).isEqualTo("C1");
      assertThat(store.acknowledge(77, "asha", edge.clock.instant())).isTrue();
      assertThat(store.status(edge.clock.instant()).openConflicts()).isZero();
      assertViewConsistent();
    }

    /**
     * Issue #16 item 1: an admin MOVEs the refused child onto this dock's parent. The dock hears
     * who closed it, when and how, and where the child is now; the conflict shows again although it
     * was acknowledged (how it ended is news); a replay of the same change does not reopen it; and
     * the recent-scans list marks the refused scan instead of keeping its green tick.
     */
    @Test
    void conflictResolvedAtTheHub_outcomeWhoWhenAndWhereTheChildIsNow_showsAgainOnce_recentScanMarkedRefused() {
      scan("P5001-5");
      scan("C900");
      pushAll(b -> List.of(OpOutcome.applied(1),
          OpOutcome.rejected(2, ErrorCode.CHILD_ALREADY_LINKED, "C900 is already on another parent: P5002-5", 78L)), 2);
      pullEntries(ours(1, parent("P5001-5", 5)), entry(parent("P5002-5", 5), "dock-b"), entry(child("C900"), "dock-b"),
          entry(new Change.Link("P5002-5", "C900"), "dock-b"),
          entry(new Change.ConflictOpened(78, ErrorCode.CHILD_ALREADY_LINKED.name(), "C900 is already on another parent: P5002-5",
              "DOCK-T", edgeId, 2, "LINK", "P5001-5", "C900", "asha", "s1", 0, 0, edge.clock.instant().toString(),
              "P5002-5", "DOCK-B", "ravi", null, false), "edge:" + edgeId + ":2"));
      StationView.RecentScan refused = edge.scans.view("s1", "asha").recent().stream()
          .filter(r -> r.code().equals("C900")).findFirst().orElseThrow();
      assertThat(refused.accepted()).isTrue(); // the dock took it at the time
      assertThat(refused.hubRefused()).isEqualTo("CHILD_ALREADY_LINKED");
      assertThat(edge.scans.view("s1", "asha").recent().stream().filter(r -> r.code().equals("P5001-5")).findFirst()
          .orElseThrow().hubRefused()).isNull();
      assertThat(store.acknowledge(78, "asha", edge.clock.instant())).isTrue();
      assertThat(store.conflicts(true, 10)).isEmpty();

      Instant closedAt = edge.clock.instant().plusSeconds(60);
      pull(new Change.Unlink("P5002-5", "C900", "CORRECTION"), new Change.Link("P5001-5", "C900"),
          new Change.ConflictResolved(78, "DOCK-T", "MOVE", "amir", closedAt.toString()));

      SyncStore.LocalConflict shown = store.conflicts(true, 10).getFirst();
      assertThat(shown.id()).isEqualTo(78);
      assertThat(shown.resolution()).isEqualTo("MOVE");
      assertThat(shown.resolvedBy()).isEqualTo("amir");
      assertThat(shown.resolvedAt()).isEqualTo(closedAt);
      assertThat(shown.childNowOn()).isEqualTo("P5001-5");
      assertThat(shown.acknowledgedAt()).isNull();
      assertThat(store.acknowledge(78, "asha", edge.clock.instant())).isTrue();

      pull(new Change.ConflictResolved(78, "DOCK-T", "MOVE", "amir", closedAt.toString()));
      assertThat(store.conflicts(true, 10)).isEmpty();
      assertViewConsistent();
    }

    @Test
    void hubFilledTheParent_ourPendingLinksDropOut_nextScanRefusedParentFull() {
      scan("P1001-2");
      scan("C3");
      pull(parent("P1001-2", 2), child("C1"), child("C2"), new Change.Link("P1001-2", "C1"),
          new Change.Link("P1001-2", "C2"));

      assertThat(count("P1001-2")).isEqualTo(2);
      assertThat(edge.count("select count(*) from bag where code = 'C3'")).isZero();
      scan("P1001-2");
      ScanResult refused = scan("C4");
      // a counted parent is complete at its count: the station says so (the hub refused the late links as full)
      assertThat(refused.reason()).isIn(ErrorCode.PARENT_FULL, ErrorCode.PARENT_COMPLETE);
      assertThat(refused.accepted()).isFalse();
      assertViewConsistent();
    }

    @Test
    void finalizedBill_blocksFurtherLocalLinks() {
      scan("P1001-5");
      scan("C1");
      pullEntries(ours(1, parent("P1001-5", 5)), ours(2, child("C1")), ours(2, new Change.Link("P1001-5", "C1")),
          entry(new Change.BillFinalized("BILL0001", false, List.of("P1001-5")), "biller"));

      ScanResult refused = scan("C2");
      assertThat(refused.reason()).isEqualTo(ErrorCode.PARENT_FINALIZED);
      assertThat(count("P1001-5")).isOne();

      pull(new Change.BillReopened("BILL0001", List.of("P1001-5")));
      edge.clock.advance(Duration.ofSeconds(2)); // past the bounce window of the same code
      scan("P1001-5");
      assertThat(scan("C2").accepted()).isTrue();
    }

    @Test
    void unlinkOfOurOwnPendingLink_staysUnlinked_andHubLinkMetadataKeepsUndo() {
      scan("P1001-5");
      scan("C1");
      scan("C2");
      scan("CMD-UNDO");
      pullEntries(ours(1, parent("P1001-5", 5)));

      assertThat(count("P1001-5")).isOne();
      assertThat(onParent("C1", "P1001-5")).isOne();
      assertThat(edge.count("select count(*) from bag where code = 'C2' and parent_code is not null")).isZero();
      // the replayed link keeps its seq, so undo still finds C1 as the station's last standing link
      scan("P1001-5");
      ScanResult undo = scan("CMD-UNDO");
      assertThat(undo.accepted()).isTrue();
      assertThat(count("P1001-5")).isZero();
      assertViewConsistent();
    }

    /**
     * Simulation seed 1453 (broke once in CI, by timing): our link the hub took as a no-op (another
     * dock had made the same link) has no log entry of its own. A step that meets another dock's
     * unlink of it while the link is still pending replays it; the step that then meets our next
     * op's entry ends the link's pending without naming its child, so the view kept a link the hub
     * had dropped. One-entry steps make that split every time.
     */
    @Test
    void ourLinkTakenAsANoOp_unlinkedElsewhere_inOneEntrySteps_viewFollowsTheHub() {
      scan("P1001-5");
      scan("C1");
      scan("C2");
      store.stepBudgetNanos(1);
      pullEntries(entry(parent("P1001-5", 5), "dock-b"), entry(child("C1"), "dock-b"),
          entry(new Change.Link("P1001-5", "C1"), "dock-b"),
          // ours 1 (the same parent) and 2 (the same link): no-ops, no entries
          entry(new Change.Unlink("P1001-5", "C1", "UNDO"), "dock-b"),
          entry(child("C2"), "edge:" + edgeId + ":3"), ours(3, new Change.Link("P1001-5", "C2")));

      assertThat(onParent("C1", "P1001-5")).isZero();
      assertThat(count("P1001-5")).isOne();
      assertViewConsistent();
    }

    @Test
    void pageAppliedTwice_changesNothingMore() {
      scan("P1001-5");
      List<ChangeEntry> entries = List.of(ours(1, parent("P1001-5", 5)), entry(child("C9"), "b"),
          entry(new Change.Link("P1001-5", "C9"), "b"));
      ChangePage page = new ChangePage(entries, hubSeq, hubSeq);
      assertThat(store.applyPage(page)).isEqualTo(3);
      String once = edge.fingerprint() + "/" + edge.count("select sum(child_count) from hub_bag");

      assertThat(store.applyPage(page)).isZero();

      assertThat(edge.fingerprint() + "/" + edge.count("select sum(child_count) from hub_bag")).isEqualTo(once);
      assertThat(count("P1001-5")).isOne();
      assertThat(store.pullCursor()).isEqualTo(hubSeq);
    }
  }

  @Nested
  class Snapshot {

    void load(long cursor, List<SnapshotLine.BagRow> bags, List<Change.User> users, boolean complete) {
      try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
        loader.accept(new SnapshotLine.Begin(cursor, bags.size(), users.size(), 0));
        bags.forEach(loader::accept);
        users.forEach(u -> loader.accept(new SnapshotLine.UserRow(u)));
        if (complete) {
          loader.accept(new SnapshotLine.End(cursor, bags.size() + users.size()));
        }
        assertThat(loader.progress().loaded()).isEqualTo(bags.size() + users.size());
        loader.finish();
      }
    }

    @Test
    void completeSnapshot_viewEqualsHubPlusPending() {
      scan("P1001-5");
      scan("C1");
      List<SnapshotLine.BagRow> rows = new ArrayList<>();
      rows.add(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 1, null, false, false));
      rows.add(new SnapshotLine.BagRow("C8", "CHILD", null, 0, 0, "P1001-5", false, false));
      for (int i = 0; i < 12_000; i++) {
        rows.add(new SnapshotLine.BagRow("SB" + String.format(java.util.Locale.ROOT, "%05d", i % 100_000) + "X".repeat(0),
            "PARENT", null, 50, 0, null, false, false));
      }
      rows = rows.stream().distinct().toList();
      assertThat(store.needsSnapshot()).isTrue();

      load(40, rows, List.of(), true);

      assertThat(store.needsSnapshot()).isFalse();
      assertThat(store.pullCursor()).isEqualTo(40);
      assertThat(count("P1001-5")).isEqualTo(2); // C8 from the hub, C1 ours and pending
      assertThat(onParent("C1", "P1001-5")).isOne();
      assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(rows.size());
      // every hub bag is in the view as the hub has it, but where our pending op touches it
      assertThat(edge.count("select count(*) from hub_bag h join bag b on b.code = h.code "
          + "where b.child_count = h.child_count and b.parent_code is h.parent_code")).isEqualTo(rows.size() - 1);
      assertThat(edge.count("select count(*) from bag")).isEqualTo(rows.size() + 1);
      assertThat(edge.count("select count(*) from hub_bag_next")).isZero();
      assertViewConsistent();
    }

    @Test
    void truncatedSnapshot_leavesOldReplicaInForce() {
      load(10, List.of(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 0, null, false, false)), List.of(), true);
      String before = edge.fingerprint() + "/" + edge.count("select count(*) from hub_bag");

      List<SnapshotLine.BagRow> other = new ArrayList<>();
      for (int i = 0; i < 7_000; i++) {
        other.add(new SnapshotLine.BagRow("C" + i, "CHILD", null, 0, 0, null, false, false));
      }
      assertThatThrownBy(() -> load(99, other, List.of(), false)).isInstanceOf(IllegalStateException.class);

      assertThat(edge.fingerprint() + "/" + edge.count("select count(*) from hub_bag")).isEqualTo(before);
      assertThat(store.pullCursor()).isEqualTo(10);
      assertThat(edge.count("select count(*) from bag where code = 'P1001-5'")).isOne();
    }

    @Test
    void freshDock_scansDuringTheLoad_viewIsHubPlusThoseScans_noRebuild() {
      List<SnapshotLine.BagRow> rows = new ArrayList<>();
      rows.add(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 2, null, false, false));
      rows.add(new SnapshotLine.BagRow("C8", "CHILD", null, 0, 0, "P1001-5", false, false));
      for (int i = 0; i < 2_500; i++) {
        rows.add(new SnapshotLine.BagRow(String.format(java.util.Locale.ROOT, "Q%05d-50", i), "PARENT", 50, 50, 0, null,
            false, false));
      }
      // C9 arrives after the first chunk was written: the dock scans it first
      rows.add(new SnapshotLine.BagRow("C9", "CHILD", null, 0, 0, "P1001-5", false, false));
      List<Long> rebuilt = timed("rebuild.chunk");
      try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
        loader.accept(new SnapshotLine.Begin(40, rows.size(), 0, 0));
        rows.subList(0, SqliteSyncStore.SNAPSHOT_CHUNK).forEach(loader::accept);
        // a fresh dock's rows are in the view as soon as they are written, before the End line
        assertThat(count("P1001-5")).isEqualTo(2);
        scan("P1001-5");
        assertThat(scan("C1").accepted()).isTrue();
        assertThat(scan("C9").accepted()).isTrue();
        rows.subList(SqliteSyncStore.SNAPSHOT_CHUNK, rows.size()).forEach(loader::accept);
        loader.accept(new SnapshotLine.End(40, rows.size()));
        loader.finish();
      }

      assertThat(rebuilt).isEmpty();
      assertThat(rebuildFrom()).isNull();
      assertThat(edge.count("select count(*) from hub_bag_next")).isZero();
      assertThat(store.pullCursor()).isEqualTo(40);
      // the hub's C8 and C9, and this dock's pending C1
      assertThat(count("P1001-5")).isEqualTo(3);
      assertThat(onParent("C1", "P1001-5")).isOne();
      assertThat(onParent("C9", "P1001-5")).isOne();
      assertThat(edge.count("select count(*) from bag")).isEqualTo(rows.size() + 1);
      assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(rows.size());
      assertViewConsistent();
    }

    @Test
    void freshDock_truncatedLoad_thenAComplete_oneStagedLoadSetsEveryRow() {
      List<SnapshotLine.BagRow> partial = new ArrayList<>();
      for (int i = 0; i < 2_500; i++) {
        partial.add(new SnapshotLine.BagRow("C" + i, "CHILD", null, 0, 0, null, false, false));
      }
      assertThatThrownBy(() -> load(99, partial, List.of(), false)).isInstanceOf(IllegalStateException.class);
      assertThat(store.needsSnapshot()).isTrue();
      assertThat(store.pullCursor()).isZero();

      List<SnapshotLine.BagRow> full = List.of(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 1, null, false, false),
          new SnapshotLine.BagRow("C7", "CHILD", null, 0, 0, "P1001-5", false, false));
      load(120, full, List.of(), true);

      assertThat(store.needsSnapshot()).isFalse();
      assertThat(store.pullCursor()).isEqualTo(120);
      assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(2);
      assertThat(edge.count("select count(*) from bag")).isEqualTo(2);
      assertThat(onParent("C7", "P1001-5")).isOne();
      assertViewConsistent();
    }

    @Test
    void hubUsers_signInOffline_disabledOneCannot() {
      String hash = Passwords.hash("correct horse battery");
      load(5, List.of(), List.of(new Change.User("Ravi", "DISPATCHER", null, true, hash),
          new Change.User("gone", "DISPATCHER", null, false, hash)), true);

      assertThat(edge.users.signIn("s1", "ravi", "correct horse battery")).isInstanceOf(SignInResult.SignedIn.class);
      assertThat(edge.users.signIn("s1", "gone", "correct horse battery")).isInstanceOf(SignInResult.Refused.class);
      // users now come from the hub: an unknown name is refused, not created
      assertThat(edge.users.signIn("s1", "newbie", "correct horse battery")).isInstanceOf(SignInResult.Refused.class);

      hubSeq = 5; // the log goes on after the snapshot's cursor
      pull(new Change.User("ravi", "DISPATCHER", null, false, hash));
      assertThat(edge.users.signIn("s1", "ravi", "correct horse battery")).isInstanceOf(SignInResult.Refused.class);
    }
  }

  @Test
  void catchUpOf100kChanges_whileAStationScans_everyScanAnswered_finalStateRight() throws Exception {
    int parents = 2_000;
    int children = 24;
    List<ChangeEntry> all = new ArrayList<>();
    for (int p = 0; p < parents; p++) {
      String code = "P" + (5000 + p) + "-25";
      all.add(entry(parent(code, 25), "b"));
      for (int c = 0; c < children; c++) {
        String childCode = "C" + (1_000_000 + p * 100 + c);
        all.add(entry(child(childCode), "b"));
        all.add(entry(new Change.Link(code, childCode), "b"));
      }
    }
    scan("P9-5");
    System.out.println("scans alone: " + spread(idleScans(200)));
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    List<Long> micros = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread scanner = Thread.ofPlatform().start(() -> {
      int i = 0;
      while (!done.get()) {
        String code = (i % 6 == 0) ? "P9-5" : (i % 6 == 5 ? "CMD-UNDO" : "C" + (7_000_000 + i));
        long t0 = System.nanoTime();
        ScanResult r = edge.scans.scan("s2", "bob", code);
        micros.add((System.nanoTime() - t0) / 1000);
        if (r != null) {
          answered.incrementAndGet();
        }
        edge.clock.advance(Duration.ofSeconds(1));
        i++;
      }
    });
    List<Long> steps = new ArrayList<>();
    List<Long> inside = new ArrayList<>();
    List<Long> rebase = new ArrayList<>();
    List<Long> commits = new ArrayList<>();
    store.timings((kind, n) -> (switch (kind) {
      case "page.step" -> steps;
      case "page.entries" -> inside;
      case "page.commit" -> commits;
      default -> rebase;
    }).add(n));
    long t0 = System.nanoTime();
    for (int from = 0; from < all.size(); from += 1000) {
      List<ChangeEntry> slice = all.subList(from, Math.min(all.size(), from + 1000));
      store.applyPage(new ChangePage(slice, slice.getLast().seq(), hubSeq));
    }
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    done.set(true);
    scanner.join();
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(null);
    System.out.printf(java.util.Locale.ROOT, "catch-up of %d changes in %d ms; %d scans meanwhile, p50 %d us, p99 %d us%n",
        all.size(), tookMs, sorted.size(), sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() * 99 / 100));
    System.out.println("catch-up steps: " + spread(steps) + "; entries part " + spread(inside) + "; rebase part "
        + spread(rebase) + "; commit " + spread(commits));

    assertThat(answered.get()).isEqualTo(micros.size());
    assertThat(store.pullCursor()).isEqualTo(all.size());
    assertThat(edge.count("select count(*) from bag where role = 'PARENT' and child_count = 24"))
        .isEqualTo(parents);
    assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(parents * (children + 1));
    assertViewConsistent();
  }

  /** Scans with nothing else writing, nanoseconds each: what a scan costs on this machine at all. */
  List<Long> idleScans(int n) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      edge.scans.scan("s3", "idle", "C" + (8_000_000 + i));
      nanos.add(System.nanoTime() - t0);
      edge.clock.advance(Duration.ofSeconds(1));
    }
    return nanos;
  }

  /** Per-transaction durations of one kind, as "n, p50, p99, max" in ms, for the log (never asserted). */
  static String spread(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      return "none";
    }
    return String.format(java.util.Locale.ROOT, "%d tx, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(),
        sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6, sorted.getLast() / 1e6);
  }

  List<Long> timed(String what) {
    List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
    store.timings((kind, n) -> {
      if (kind.equals(what)) {
        nanos.add(n);
      }
    });
    return nanos;
  }

  @Test
  void aBigPage_isAppliedInShortSteps_aScanCompletesBetweenThem_cursorMovesWithEachStep() throws Exception {
    List<ChangeEntry> all = new ArrayList<>();
    for (int p = 0; all.size() < 20_000; p++) {
      String code = "P" + (5000 + p) + "-25";
      all.add(entry(parent(code, 25), "b"));
      for (int c = 0; c < 20; c++) {
        String childCode = "C" + (2_000_000 + p * 100 + c);
        all.add(entry(child(childCode), "b"));
        all.add(entry(new Change.Link(code, childCode), "b"));
      }
    }
    List<ChangeEntry> page = all.subList(0, 20_000);
    store.stepBudgetNanos(Long.MAX_VALUE); // steps of PAGE_STEP entries, whatever the machine's speed
    List<Long> cursors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    List<ScanResult> between = new ArrayList<>();
    store.timings((kind, nanos) -> {
      if (!kind.equals("page.step")) {
        return;
      }
      steps.add(nanos);
      cursors.add(store.pullCursor());
      if (steps.size() == 3) {
        // another thread scans now, while the page is half applied: it gets the writer between two steps
        Thread t = Thread.ofPlatform().start(() -> between.add(edge.scans.scan("s2", "bob", "P9-5")));
        try {
          t.join();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    });

    assertThat(store.applyPage(new ChangePage(page, page.getLast().seq() + 5, hubSeq))).isEqualTo(20_000);

    System.out.println("20k-entry page: " + spread(steps));
    assertThat(between).hasSize(1);
    assertThat(between.getFirst().accepted()).isTrue();
    assertThat(steps).hasSize(20_000 / SqliteSyncStore.PAGE_STEP);
    assertThat(cursors.getFirst()).isEqualTo(page.get(SqliteSyncStore.PAGE_STEP - 1).seq());
    assertThat(cursors.getLast()).isEqualTo(page.getLast().seq() + 5);
    assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(page.stream().filter(e -> e.type().equals("bag.v1")).count());
    assertThat(edge.count("select count(*) from bag where code = 'P9-5'")).isOne();
    assertViewConsistent();
  }

  @Test
  void stopBetweenSteps_thenThePageAgain_appliesTheRestOnce() {
    List<ChangeEntry> entries = new ArrayList<>();
    entries.add(entry(parent("P1001-500", 500), "b"));
    for (int c = 0; c < 450; c++) {
      entries.add(entry(child("C" + (300 + c)), "b"));
      entries.add(entry(new Change.Link("P1001-500", "C" + (300 + c)), "b"));
    }
    ChangePage page = new ChangePage(entries, hubSeq, hubSeq);
    store.stepBudgetNanos(Long.MAX_VALUE);
    AtomicInteger steps = new AtomicInteger();
    store.timings((kind, nanos) -> {
      if (kind.equals("page.step") && steps.incrementAndGet() == 2) {
        throw new IllegalStateException("the process stops here");
      }
    });
    assertThatThrownBy(() -> store.applyPage(page)).hasMessageContaining("stops here");
    assertThat(store.pullCursor()).isEqualTo(entries.get(2 * SqliteSyncStore.PAGE_STEP - 1).seq());

    store.timings((kind, nanos) -> { });
    assertThat(store.applyPage(page)).isEqualTo(entries.size() - 2 * SqliteSyncStore.PAGE_STEP);

    assertThat(count("P1001-500")).isEqualTo(450);
    assertThat(edge.count("select child_count from hub_bag where code = 'P1001-500'")).isEqualTo(450);
    assertThat(store.pullCursor()).isEqualTo(hubSeq);
    assertViewConsistent();
  }

  String rebuildFrom() {
    return edge.db.read(d -> d.fetchSingle("select rebuild_from from sync_state").get(0, String.class));
  }

  @Test
  void crashMidRebuild_aNewStoreGoesOnFromRebuildFrom() {
    scan("P1001-5");
    scan("C1");
    List<SnapshotLine.BagRow> rows = new ArrayList<>();
    rows.add(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 1, null, false, false));
    rows.add(new SnapshotLine.BagRow("C8", "CHILD", null, 0, 0, "P1001-5", false, false));
    for (int i = 0; i < 9_000; i++) {
      rows.add(new SnapshotLine.BagRow(String.format(java.util.Locale.ROOT, "Q%05d-50", i), "PARENT", 50, 50, 0, null,
          false, false));
    }
    AtomicInteger chunks = new AtomicInteger();
    store.timings((kind, nanos) -> {
      if (kind.equals("rebuild.chunk") && chunks.incrementAndGet() == 2) {
        throw new IllegalStateException("the process stops mid-rebuild");
      }
    });
    try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
      loader.accept(new SnapshotLine.Begin(70, rows.size(), 0, 0));
      rows.forEach(loader::accept);
      loader.accept(new SnapshotLine.End(70, rows.size()));
      assertThatThrownBy(loader::finish).hasMessageContaining("mid-rebuild");
    }
    assertThat(rebuildFrom()).isNotNull();
    assertThat(edge.count("select count(*) from bag")).isLessThan(rows.size());

    SqliteSyncStore restarted = new SqliteSyncStore(edge.db, CodeGrammar.defaults(), edge.clock);
    hubSeq = 70;
    restarted.applyPage(new ChangePage(List.of(), 70, 70));

    assertThat(rebuildFrom()).isNull();
    assertThat(edge.count("select count(*) from bag")).isEqualTo(rows.size() + 1);
    assertThat(count("P1001-5")).isEqualTo(2); // C8 from the hub, C1 ours and pending
    assertThat(edge.count("select count(*) from hub_bag h join bag b on b.code = h.code "
        + "where b.child_count = h.child_count and b.parent_code is h.parent_code")).isEqualTo(rows.size() - 1);
    assertViewConsistent();
  }

  @Test
  void replayableWrites_runWithoutCommitFsync_scansAfterThemWithIt() {
    String sync = "pragma synchronous";
    int during = edge.db.writeReplayable(s -> s.dsl().fetchSingle(sync).get(0, Integer.class));
    assertThat(during).isEqualTo(1); // NORMAL
    assertThatThrownBy(() -> edge.db.writeReplayable(s -> {
      throw new IllegalStateException("a failed step");
    })).hasMessageContaining("failed step");
    assertThat(edge.db.<Integer>writeReplayable(s -> 3)).isEqualTo(3);
    int after = edge.db.write(d -> d.fetchSingle(sync).get(0, Integer.class));
    assertThat(after).isEqualTo(2); // FULL again
    pull(parent("P1001-5", 5));
    assertThat(scan("P1001-5").accepted()).isTrue();
    int afterScan = edge.db.write(d -> d.fetchSingle(sync).get(0, Integer.class));
    assertThat(afterScan).isEqualTo(2);
  }

  @Test
  void hubAnswersALowerLastSeq_theOpsAfterItAreSentAgain() {
    scan("P1001-5");
    scan("C1");
    scan("C2");
    pushAll(b -> b.ops().stream().map(op -> OpOutcome.applied(op.id().seq())).toList(), 3);
    assertThat(store.nextBatch(100, "test")).isEmpty();

    scan("C3");
    // the hub lost its last commits (restored from a backup): it holds only seq 1, so 4 waits behind the gap
    var push = pushAll(b -> List.of(OpOutcome.held(4, 2)), 1);
    assertThat(push.batch().ops()).extracting(op -> op.id().seq()).containsExactly(4L);

    PushBatch again = store.nextBatch(100, "test").orElseThrow();
    assertThat(again.ops()).extracting(op -> op.id().seq()).containsExactly(2L, 3L, 4L);
    assertThat(store.status(edge.clock.instant()).pendingOps()).isEqualTo(3);
  }

  @Test
  void acknowledgedPlaceholder_carriesOverToTheHubsRecord_thenIsSentOnce() {
    scan("P1001-5");
    scan("C1");
    // the reply names no conflict id: the dock keeps its own placeholder under -seq
    pushAll(b -> List.of(OpOutcome.applied(1), OpOutcome.rejected(2, ErrorCode.CHILD_ALREADY_LINKED, "C1 is on P2002-5", null)), 2);
    assertThat(store.conflicts(true, 10)).extracting(SyncStore.LocalConflict::id).containsExactly(-2L);
    assertThat(store.acknowledge(-2, "asha", edge.clock.instant())).isTrue();
    assertThat(store.unsentAcks(10)).isEmpty(); // the hub has no id for it yet

    pull(new Change.ConflictOpened(91, ErrorCode.CHILD_ALREADY_LINKED.name(), "C1 is on P2002-5", "dock-a", edgeId, 2,
        "LINK", "P1001-5", "C1", "asha", "s1", 0, 0, edge.clock.instant().toString(), "P2002-5", "dock-b", "ravi",
        null, false));

    SyncStore.LocalConflict c = store.conflicts(false, 10).getFirst();
    assertThat(c.id()).isEqualTo(91);
    assertThat(c.acknowledgedBy()).isEqualTo("asha");
    assertThat(store.conflicts(true, 10)).isEmpty();
    assertThat(store.unsentAcks(10)).containsExactly(91L);
    store.ackSent(91);
    assertThat(store.unsentAcks(10)).isEmpty();
  }

  @Test
  void snapshotOf200kBags_freshDock_whileAStationScans_timings() throws Exception {
    loadWhileScanning(200_000, false);
  }

  @Test
  void snapshotOf200kBags_dockWithAView_whileAStationScans_timings() throws Exception {
    loadWhileScanning(200_000, true);
  }

  /** A first sync at the size of the real hub (1.8M bags): minutes on a slow machine, so only when asked. */
  @Test
  void snapshotOf1_8mBags_freshDock_whileAStationScans_timings() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("tracetrack.volume"),
        "volume run: -Dtracetrack.volume=true");
    loadWhileScanning(1_800_000, false);
  }

  /**
   * Loads a snapshot of {@code bags} generated lines while another thread scans, and prints the
   * load's time, its transactions and the scans' p50/p99 (never asserted: this machine is shared).
   * {@code staged}: the dock has a view already (a scan before Begin), so rows go through the
   * staging table and the rebuild.
   */
  void loadWhileScanning(int bags, boolean staged) throws Exception {
    if (staged) {
      scan("P9-5");
    }
    List<Long> idle = idleScans(100);
    List<Long> chunks = new ArrayList<>();
    List<Long> rebuild = new ArrayList<>();
    store.timings((kind, n) -> (kind.equals("snapshot.chunk") ? chunks : rebuild).add(n));
    AtomicBoolean done = new AtomicBoolean();
    List<Long> scans = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread scanner = Thread.ofPlatform().unstarted(() -> {
      for (int i = 0; !done.get(); i++) {
        String code = i % 6 == 0 ? "P9-5" : (i % 6 == 5 ? "CMD-UNDO" : "C" + (7_000_000 + i));
        long s0 = System.nanoTime();
        edge.scans.scan("s2", "bob", code);
        scans.add(System.nanoTime() - s0);
        edge.clock.advance(Duration.ofSeconds(1));
      }
    });
    long t0 = System.nanoTime();
    try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
      loader.accept(new SnapshotLine.Begin(9, bags, 0, 0));
      scanner.start();
      for (int i = 0; i < bags; i++) {
        boolean parent = i % 25 == 0;
        String code = parent ? String.format(java.util.Locale.ROOT, "P%07d-24", i) : "C" + (10_000_000 + i);
        String of = String.format(java.util.Locale.ROOT, "P%07d-24", i - i % 25);
        loader.accept(new SnapshotLine.BagRow(code, parent ? "PARENT" : "CHILD", parent ? 24 : null, parent ? 24 : 0,
            parent ? 24 : 0, parent ? null : of, false, false));
      }
      loader.accept(new SnapshotLine.End(9, bags));
      loader.finish();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    done.set(true);
    scanner.join();
    System.out.printf(java.util.Locale.ROOT, "snapshot of %d bags (%s) in %d ms; load tx: %s; rebuild tx: %s; "
            + "scans alone: %s; %d scans meanwhile: %s%n", bags, staged ? "staged" : "fresh", ms, spread(chunks),
        spread(rebuild), spread(idle), scans.size(), spread(scans));
    assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(bags);
    assertThat(edge.count("select count(*) from bag where code like 'C1%' and length(code) = 9")).isEqualTo(bags - bags / 25);
    assertThat(store.needsSnapshot()).isFalse();
    assertViewConsistent();
  }
}
