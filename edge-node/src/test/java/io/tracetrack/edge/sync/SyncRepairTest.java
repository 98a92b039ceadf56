package io.tracetrack.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.TestEdge;
import io.tracetrack.edge.db.DataFolder;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanResult;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.model.BounceFilter;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's half of issue 14's sync defects, each reproduced on a real SQLite file: no-op ops
 * that settle, a restored backup, an unreadable change, a 413, a heal, and another area's bags.
 * The hub's answers come from a {@link HubApi} stand-in (the hub is outside this module) or, for
 * what reaches the HTTP client, from {@link FakeHub}.
 */
class SyncRepairTest {

  @TempDir
  Path dir;

  final WireCodec wire = new WireCodec();
  final List<String> console = new CopyOnWriteArrayList<>();
  TestEdge edge;
  SqliteSyncStore store;
  String edgeId;
  long hubSeq;

  @BeforeEach
  void open() {
    edge = new TestEdge(dir.resolve("edge"));
    store = new SqliteSyncStore(edge.db, CodeGrammar.defaults(), edge.clock);
    edgeId = EdgeStatus.of(edge.db, edge.clock.instant()).edgeId();
  }

  @AfterEach
  void close() {
    if (edge != null) {
      edge.close();
    }
  }

  ScanResult scan(String raw) {
    return edge.scans.scan("s1", "asha", raw);
  }

  ChangeEntry entry(Change change, String origin) {
    return new ChangeEntry(++hubSeq, change.type().wire(), change.key(), edge.clock.instant(), origin, wire.payload(change));
  }

  int pull(ChangeEntry... entries) {
    return store.applyPage(new ChangePage(List.of(entries), hubSeq, hubSeq));
  }

  long onParent(String child, String parent) {
    return edge.count("select count(*) from bag where code = '" + child + "' and parent_code = '" + parent + "'");
  }

  long count(String code) {
    return edge.count("select child_count from bag where code = '" + code + "'");
  }

  SyncSteps steps(SyncStore s, HubApi hub) {
    return new SyncSteps(s, hub, edge.clock, "test", console::add);
  }

  @Nested
  class NoOpOpsSettle {

    /** Docks A (this one) and B both link C1 to P1001-5; B's reached the hub first. */
    void bothDocksLinked_bsFirst(boolean pullBeforeTheReply) {
      scan("P1001-5");
      scan("C1");
      PushBatch batch = store.nextBatch(1000, "test").orElseThrow();
      // B's ops in the hub's log: the bag, the child, the link (positions 1-3); A's two ops changed
      // nothing (the parent existed, the child was on it already): no entries of A's at all
      ChangeEntry[] bs = {entry(new Change.Bag("P1001-5", "PARENT", 5, 5, null), "edge:dock-b:1"),
          entry(new Change.Bag("C1", "CHILD", null, null, null), "edge:dock-b:2"),
          entry(new Change.Link("P1001-5", "C1"), "edge:dock-b:2")};
      PushReply reply = new PushReply(2, edge.clock.instant(), List.of(OpOutcome.applied(1), OpOutcome.applied(2)), 3L);
      if (pullBeforeTheReply) {
        pull(bs);
        store.recordReply(batch, reply);
      } else {
        store.recordReply(batch, reply);
        pull(bs);
      }
    }

    @Test
    void linkAppliedAsANoOp_thenUndoneByTheOtherDock_childIsFreeHereToo() {
      bothDocksLinked_bsFirst(false);
      assertThat(onParent("C1", "P1001-5")).isOne();

      pull(entry(new Change.Unlink("P1001-5", "C1", "UNDO"), "edge:dock-b:3"));

      // the hub has C1 free: so must this dock's view (before: C1 stayed on P1001-5, replayed as pending)
      assertThat(onParent("C1", "P1001-5")).isZero();
      assertThat(count("P1001-5")).isZero();
      assertThat(edge.count("select replica_seq from sync_state")).isEqualTo(2);
      assertThat(edge.count("select count(*) from settle_point")).isZero();
    }

    @Test
    void pullPassedThePositionBeforeTheReply_settlesAtTheReply() {
      bothDocksLinked_bsFirst(true);

      pull(entry(new Change.Unlink("P1001-5", "C1", "UNDO"), "edge:dock-b:3"));

      assertThat(onParent("C1", "P1001-5")).isZero();
      edge.clock.advance(Duration.ofSeconds(5)); // past the scanner-bounce window
      assertThat(scan("C1").accepted()).isTrue(); // free here, as at the hub: linked again
    }

    @Test
    void hubWithoutLogPosition_ownEntriesStillSettle_asBefore() {
      scan("P1001-5");
      scan("C1");
      PushBatch batch = store.nextBatch(1000, "test").orElseThrow();
      store.recordReply(batch, new PushReply(2, edge.clock.instant(), List.of(OpOutcome.applied(1), OpOutcome.applied(2))));
      assertThat(edge.count("select count(*) from settle_point")).isZero();

      pull(entry(new Change.Bag("P1001-5", "PARENT", 5, 5, null), "edge:" + edgeId + ":1"),
          entry(new Change.Bag("C1", "CHILD", null, null, null), "edge:" + edgeId + ":2"),
          entry(new Change.Link("P1001-5", "C1"), "edge:" + edgeId + ":2"));

      assertThat(edge.count("select replica_seq from sync_state")).isEqualTo(2);
      assertThat(onParent("C1", "P1001-5")).isOne();
    }
  }

  @Nested
  class RestoredBackup {

    final StandInHub hub = new StandInHub();

    TestEdge reopen(Path folder) {
      edge.close();
      edge = new TestEdge(folder);
      store = new SqliteSyncStore(edge.db, CodeGrammar.defaults(), edge.clock);
      return edge;
    }

    void pushAll() {
      SyncSteps steps = steps(store, hub);
      assertThat(steps.hello()).isInstanceOf(HubApi.Result.Ok.class);
      assertThat(steps.pushAll()).isInstanceOf(HubApi.Result.Ok.class);
    }

    /** The dock scans and syncs, a backup is taken, it scans and syncs more, then the backup is restored. */
    Path restoredAfterTwoMoreScans() throws IOException {
      Path live = dir.resolve("edge");
      Path backup = dir.resolve("backup");
      scan("P1001-9");
      scan("C1");
      scan("C2");
      pushAll();
      edge.close();
      copyFolder(live, backup);
      reopen(live);
      scan("P1001-9");
      scan("C3");
      scan("C4");
      pushAll();
      assertThat(hub.lastSeq()).isEqualTo(5);
      reopen(backup);
      return backup;
    }

    @Test
    void scansAfterTheRestore_reuseSeqsTheHubHolds_areRenumbered_andAllReachTheHubOnce() throws IOException {
      restoredAfterTwoMoreScans();
      scan("P1001-9");
      scan("C5");
      scan("C6");
      scan("C7");

      pushAll();

      for (String child : List.of("C1", "C2", "C3", "C4", "C5", "C6", "C7")) {
        assertThat(hub.appliedCount("child=" + child + "]")).as(child).isOne();
      }
      assertThat(hub.lastSeq()).isEqualTo(8);
      SyncStore.SyncStatus status = store.status(edge.clock.instant());
      assertThat(status.pendingOps()).isZero();
      assertThat(status.restoreDetectedAt()).isNotNull();
      assertThat(status.notice()).contains("restored backup");
      assertThat(edge.count("select count(*) from conflict")).isZero();
      // the next scan goes on after the moved ones
      scan("C8");
      pushAll();
      assertThat(hub.appliedCount("child=C8]")).isOne();
      assertThat(store.status(edge.clock.instant()).pendingOps()).isZero();
    }

    /**
     * Simulation seed 107509: a restored dock scanned (a reused seq), then heard hello before it
     * could push, so its next scan went past the hub's last seq and the outbox had a gap (4, 6).
     * Renumbering by a constant offset kept the gap (6, 8) and the hub held seq 8 for ever behind
     * the missing 7: acknowledged scans that never arrived. The moved ops now close up.
     */
    @Test
    void reusedSeqThenHelloThenMoreScans_renumberedWithoutAGap_allReachTheHub() throws IOException {
      restoredAfterTwoMoreScans(); // the hub holds 1-5, this dock 1-3
      assertThat(scan("C5").seq()).isEqualTo(4); // reused: the hub holds C3 under 4
      assertThat(store.recordHello(new HubApi.Hello("test", null, edgeId, edge.clock.instant(), 5L))).isTrue();
      assertThat(scan("C6").seq()).isEqualTo(6);

      pushAll();

      for (String child : List.of("C1", "C2", "C3", "C4", "C5", "C6")) {
        assertThat(hub.appliedCount("child=" + child + "]")).as(child).isOne();
      }
      assertThat(hub.lastSeq()).isEqualTo(7);
      assertThat(store.status(edge.clock.instant()).pendingOps()).isZero();
      assertThat(onParent("C6", "P1001-9")).isOne();
      assertThat(scan("C7").seq()).isEqualTo(8);
    }

    @Test
    void helloBeforeAnyScan_newScansStartAfterTheHubsLastSeq() throws IOException {
      restoredAfterTwoMoreScans();
      pushAll(); // hello: the hub holds up to 5, this dock only up to 3

      assertThat(store.status(edge.clock.instant()).restoreDetectedAt()).isNotNull();
      assertThat(store.status(edge.clock.instant()).pendingOps()).isZero();
      ScanResult c5 = scan("C5");
      assertThat(c5.seq()).isEqualTo(6);
      pushAll();

      assertThat(hub.appliedCount("child=C5]")).isOne();
      assertThat(hub.lastSeq()).isEqualTo(6);
      assertThat(store.status(edge.clock.instant()).pendingOps()).isZero();
    }

    @Test
    void reply_lastSeqPastTheBatch_ackedStopsAtTheLastOpAnswered() {
      scan("P1001-9");
      scan("C1");
      PushBatch batch = store.nextBatch(1000, "test").orElseThrow();
      // the hub holds seq 1-7 of this edge (a restored dock): it compared ops 1 and 2 only
      store.recordReply(batch, new PushReply(7, edge.clock.instant(), List.of(OpOutcome.duplicate(1),
          OpOutcome.duplicate(2))));
      scan("C2");

      assertThat(edge.count("select acked_seq from edge_meta")).isEqualTo(2);
      assertThat(store.nextBatch(1000, "test").orElseThrow().ops()).extracting(op -> op.id().seq()).containsExactly(3L);
    }
  }

  static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".lock")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  @Nested
  class UnreadableChange {

    /** A stand-in hub whose snapshot holds one parent, and whose change pages are what the test sets. */
    final class SnapshotHub extends StandInHub {
      volatile ChangePage page = new ChangePage(List.of(), 0, 0);
      final AtomicInteger snapshots = new AtomicInteger();

      @Override
      public Result<Pulled> changes(long after, int limit, int waitMs) {
        ChangePage p = page;
        return new Result.Ok<>(new Pulled.Page(p.next() <= after ? new ChangePage(List.of(), after, after) : p));
      }

      @Override
      public Result<Long> snapshot(Consumer<SnapshotLine> lines) {
        // the first at the start of the log, the next one past the page
        long at = snapshots.incrementAndGet() == 1 ? 0 : page.head();
        lines.accept(new SnapshotLine.Begin(at, 1, 0, 0));
        lines.accept(new SnapshotLine.BagRow("P2002-5", "PARENT", 5, 5, 0, null, false, false));
        lines.accept(new SnapshotLine.End(at, 1));
        return new Result.Ok<>(3L);
      }
    }

    @Test
    void oneEntryUnreadable_theRestOfThePageApplies_pullErrorShown_scansGoOn() {
      scan("P1001-5");
      ChangeEntry bad = new ChangeEntry(2, "bag.v1", "P7", edge.clock.instant(), "admin", "{\"role\":\"PARENT\"}");
      hubSeq = 3;
      ChangeEntry before = new ChangeEntry(1, "bag.v1", "P3003-5", edge.clock.instant(), "admin",
          wire.payload(new Change.Bag("P3003-5", "PARENT", 5, 5, null)));
      ChangeEntry after = new ChangeEntry(3, "bag.v1", "P4004-5", edge.clock.instant(), "admin",
          wire.payload(new Change.Bag("P4004-5", "PARENT", 5, 5, null)));

      store.applyPage(new ChangePage(List.of(before, bad, after), 3, 3));

      assertThat(edge.count("select count(*) from hub_bag where code in ('P3003-5', 'P4004-5')")).isEqualTo(2);
      assertThat(store.pullCursor()).isEqualTo(3);
      SyncStore.SyncStatus status = store.status(edge.clock.instant());
      assertThat(status.pullError()).isNotNull();
      assertThat(status.pullError().position()).isEqualTo(2);
      assertThat(status.pullError().reason()).contains("bag.v1 at 2");
      assertThat(status.pullErrorsTotal()).isOne();
      assertThat(store.needsSnapshot()).isTrue();
      assertThat(status.lastError()).isNull();
      assertThat(scan("C1").accepted()).isTrue(); // the dock scans on
    }

    @Test
    void afterASkippedEntry_theNextPullLoadsASnapshot_andClearsPullError() {
      SnapshotHub hub = new SnapshotHub();
      ChangeEntry bad = new ChangeEntry(1, "link.v1", "C1", edge.clock.instant(), "admin", "{\"parent\":\"P1001-5\"}");
      hub.page = new ChangePage(List.of(bad), 1, 1);
      // the dock's first snapshot, then the page with the unreadable entry
      store.requireSnapshot();

      assertThat(steps(store, hub).pullAll(0)).isInstanceOf(HubApi.Result.Ok.class);

      assertThat(hub.snapshots.get()).isEqualTo(2); // its first, and the one that repairs the skip
      SyncStore.SyncStatus status = store.status(edge.clock.instant());
      assertThat(status.pullError()).isNull();
      assertThat(status.pullErrorsTotal()).isOne();
      assertThat(store.needsSnapshot()).isFalse();
      assertThat(edge.count("select count(*) from hub_bag where code = 'P2002-5'")).isOne();
    }

    @Test
    void wholePageUnparseable_statusSaysPullErrorAtTheCursor_notUnreachable() throws IOException {
      try (FakeHub fake = new FakeHub()) {
        fake.on("/api/v1/sync/snapshot", ex -> FakeHub.send(ex, 200, "application/x-ndjson",
            wire.encode(new SnapshotLine.Begin(7, 0, 0, 0)) + "\n" + wire.encode(new SnapshotLine.End(7, 0)) + "\n"));
        // an entry whose payload broke the page's JSON: the hub's fault, and the network is fine
        fake.onJson("/api/v1/sync/changes", 200, "{\"v\":1,\"next\":8,\"head\":8,\"entries\":[{\"seq\":8,"
            + "\"type\":\"bag.v1\",\"key\":\"P1\",\"at\":\"2026-12-05T12:00:00Z\",\"origin\":\"admin\",\"payload\":{\"code\":}]}");
        HubClient client = new HubClient(fake.uri(), edgeId, "secret", HttpClient.newHttpClient(), HubClient.Timeouts.DEFAULTS);
        store.requireSnapshot();

        steps(store, client).pullAll(0);

        SyncStore.SyncStatus status = store.status(edge.clock.instant());
        assertThat(status.pullError()).isNotNull();
        assertThat(status.pullError().position()).isEqualTo(7);
        assertThat(status.pullError().reason()).contains("after 7");
        assertThat(status.online()).isTrue();
        assertThat(status.lastError()).isNull();
      }
    }

    @Test
    void syncResnapshot_forcesASnapshotByHand() {
      SnapshotHub hub = new SnapshotHub();
      store.requireSnapshot();
      steps(store, hub).pullAll(0);
      assertThat(hub.snapshots.get()).isOne();

      // what `sync --resnapshot` does before its one sync
      store.requireSnapshot();
      SyncOnce.run(store, hub, edge.clock, "test", console::add);

      assertThat(hub.snapshots.get()).isEqualTo(2);
    }
  }

  @Nested
  class TooLarge {

    static final String LONG_DOCK = "D" + "o".repeat(62) + "K";
    static final String LONG_USER = "u" + "s".repeat(62) + "r";
    static final String LONG_STATION = "s" + "t".repeat(62) + "n";

    @Test
    void longNamesAndOver1000PendingOps_413_halvesTheBatch_neverResendsTheSame_andEverythingArrives() {
      Path folder = dir.resolve("long");
      DataFolder.prepare(folder);
      try (EdgeDatabase db = EdgeDatabase.open(folder.resolve("edge.db"), Duration.ofSeconds(5))) {
        EdgeIdentity.ensure(db, LONG_DOCK, edge.clock);
        ScanService scans = new ScanService(db, CodeGrammar.defaults(), edge.clock, BounceFilter.DEFAULT_WINDOW,
            Duration.ofMinutes(10));
        int ops = 0;
        for (int p = 0; ops < 1_116; p++) {
          assertThat(scans.scan(LONG_STATION, LONG_USER, "P" + (100_000 + p) + "-30").accepted()).isTrue();
          ops++;
          for (int c = 0; c < 30 && ops < 1_116; c++) {
            assertThat(scans.scan(LONG_STATION, LONG_USER, "C" + (p * 100 + c + 1_000_000)).accepted()).isTrue();
            ops++;
          }
        }
        SqliteSyncStore longStore = new SqliteSyncStore(db, CodeGrammar.defaults(), edge.clock);
        StandInHub hub = new StandInHub();
        hub.byteLimit = 256 * 1024; // the hub's body limit before it took WireCodec.MAX_PUSH_BYTES

        assertThat(steps(longStore, hub).pushAll()).isInstanceOf(HubApi.Result.Ok.class);

        assertThat(hub.applied).hasSize(1_116);
        assertThat(longStore.status(edge.clock.instant()).pendingOps()).isZero();
        for (int i = 1; i < hub.statuses.size(); i++) {
          if (hub.statuses.get(i - 1) == 413) {
            assertThat(hub.bodies.get(i)).as("the push after a 413").isNotEqualTo(hub.bodies.get(i - 1));
          }
        }
        assertThat(hub.statuses).contains(413);
        assertThat(longStore.pushLimit()).isEqualTo(500);
        assertThat(longStore.status(edge.clock.instant()).notice()).contains("413");
        // the next round starts at the smaller size: no 413 again
        int before = hub.statuses.size();
        assertThat(scans.scan(LONG_STATION, LONG_USER, "P200000-30").accepted()).isTrue();
        steps(longStore, hub).pushAll();
        assertThat(hub.statuses.subList(before, hub.statuses.size())).containsOnly(200);
      }
    }

    @Test
    void nextBatch_isCutByBytes_atLeastOneOp() {
      for (int i = 0; i < 50; i++) {
        scan(i == 0 ? "P1001-30" : "C" + (1000 + i));
      }
      long oneOp = edge.count("select max(length(op_json)) from outbox") + 1;

      PushBatch batch = store.nextBatch(0, 1000, oneOp * 10, "test").orElseThrow();
      PushBatch single = store.nextBatch(0, 1000, 1, "test").orElseThrow();

      // the ops' bytes stay within the budget (plus the batch's own few hundred bytes of envelope)
      assertThat(batch.ops()).hasSizeBetween(10, 49);
      assertThat(wire.encode(batch).getBytes(StandardCharsets.UTF_8).length).isLessThan((int) (oneOp * 10 + 1000));
      assertThat(single.ops()).hasSize(1);
    }
  }

  /**
   * A dock scanning faster than a push round trip: {@code sync --once} pushes what was pending when
   * it began and returns, instead of chasing each new scan for as long as the scanning goes on
   * (the sync bench's scan loop kept one round going for minutes).
   */
  @Test
  void pushAll_takesWhatWasPendingWhenItBegan_scansDuringItWaitForTheNextRound() {
    AtomicInteger pushes = new AtomicInteger();
    StandInHub hub = new StandInHub() {
      @Override
      public synchronized Result<PushReply> push(PushBatch batch) {
        // a scan lands while each batch is on its way (at most 50, so the old behaviour ends too)
        if (pushes.incrementAndGet() <= 50) {
          edge.clock.advance(Duration.ofSeconds(1));
          scan("C" + (100 + pushes.get()));
        }
        return super.push(batch);
      }
    };
    scan("P1001-30");
    scan("C1");
    SyncSteps steps = steps(store, hub);

    assertThat(steps.pushAll()).isInstanceOf(HubApi.Result.Ok.class);

    assertThat(pushes.get()).isOne();
    assertThat(hub.lastSeq()).isEqualTo(2);
    assertThat(store.status(edge.clock.instant()).pendingOps()).isOne(); // C101, for the next round
    assertThat(steps.pushAll()).isInstanceOf(HubApi.Result.Ok.class);
    assertThat(hub.lastSeq()).isEqualTo(3);
  }

  @Nested
  class Heal {

    final MemorySyncStore memory = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", false);
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    SyncWorker worker(HubApi hub) {
      return new SyncWorker(memory, hub, edge.clock, "test", SyncWorkerTest.TOP, slept::add, Duration.ofHours(1),
          console::add);
    }

    @Test
    void hubUnreachable_retriesWithinThreeSeconds_withFullJitter() {
      StandInHub hub = new StandInHub();
      hub.reachable = false;
      memory.addLink("P1001-3", "C1", edge.clock.instant());
      SyncWorker worker = worker(hub);

      List<Duration> waits = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        waits.add(((SyncWorker.Next.Retry) worker.pushRound()).after());
      }

      assertThat(waits).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(3)));
      assertThat(waits.getLast()).isEqualTo(Duration.ofSeconds(3)); // the top of the jitter's range
    }

    @Test
    void hubAsksForAPause_retryAfterIsHonoured() {
      StandInHub hub = new StandInHub() {
        @Override
        public synchronized Result<Hello> hello() {
          return new Result.Unreachable<>("the hub answered HTTP 503", Duration.ofSeconds(20));
        }
      };
      SyncWorker worker = worker(hub);

      assertThat(worker.pushRound()).isEqualTo(new SyncWorker.Next.Retry(Duration.ofSeconds(20)));
    }

    @Test
    void longPollBegunBeforeAPartition_isCutWhenTheHubAnswersAgain_andThePullAsksAnew() throws Exception {
      CountDownLatch polling = new CountDownLatch(1);
      CountDownLatch secondPoll = new CountDownLatch(1);
      CountDownLatch end = new CountDownLatch(1);
      AtomicInteger polls = new AtomicInteger();
      AtomicInteger hellos = new AtomicInteger();
      StandInHub hub = new StandInHub() {
        @Override
        public Result<Pulled> changes(long after, int limit, int waitMs) {
          int n = polls.incrementAndGet();
          if (n == 1) {
            polling.countDown();
          } else {
            secondPoll.countDown();
          }
          try {
            // the first poll hangs on a connection the partition killed; later ones wait for the end
            end.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unreachable<>("interrupted");
          }
          return new Result.Ok<>(new Pulled.Page(new ChangePage(List.of(), after, after)));
        }

        @Override
        public synchronized Result<Hello> hello() {
          if (hellos.getAndIncrement() == 0) {
            try {
              polling.await(10, TimeUnit.SECONDS); // the poll is under way before the hub is lost
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new Result.Unreachable<>("connect timed out");
          }
          return super.hello();
        }
      };
      SyncWorker worker = worker(hub);
      try {
        worker.start();
        // without the cut, the pull would wait for the hung poll's timeout (40 s with the real client)
        assertThat(secondPoll.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hellos.get()).isEqualTo(2);
        assertThat(slept).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(3)));
      } finally {
        end.countDown();
        worker.close();
      }
    }
  }

  @Nested
  class UserNoLongerAllowedHere {

    @Test
    void userArrivesInactive_signInRefused_andTheOpenSessionEnds() {
      String hash = io.tracetrack.web.Passwords.hash("correct horse battery");
      pull(entry(new Change.User("ravi", "DISPATCHER", "NORTH", true, hash), "admin"));
      var signedIn = (io.tracetrack.edge.users.SignInResult.SignedIn) edge.users.signIn("s1", "ravi", "correct horse battery");
      assertThat(edge.users.session(signedIn.token())).isPresent();

      // moved to another area (or disabled): the hub sends this dock the user as inactive
      pull(entry(new Change.User("ravi", "DISPATCHER", "SOUTH", false, hash), "admin"));

      assertThat(edge.users.session(signedIn.token())).isEmpty();
      assertThat(edge.users.signIn("s1", "ravi", "correct horse battery"))
          .isInstanceOf(io.tracetrack.edge.users.SignInResult.Refused.class);
    }
  }

  @Nested
  class OtherArea {

    @BeforeEach
    void northDock() {
      store.recordHello(new HubApi.Hello("DOCK-T", "NORTH", null, Instant.EPOCH, null));
    }

    @Test
    void linkToAParentOfAnotherArea_refusedAtTheDock_namingTheArea() {
      pull(entry(new Change.Bag("P1001-5", "PARENT", 5, 5, "SOUTH"), "admin"));
      scan("P1001-5");

      ScanResult linked = scan("C1");

      assertThat(linked.accepted()).isFalse();
      assertThat(linked.reason()).isEqualTo(ErrorCode.BAG_IN_OTHER_AREA);
      assertThat(linked.message()).contains("SOUTH");
      assertThat(edge.count("select count(*) from outbox where op_type = 'LINK'")).isZero();
    }

    @Test
    void undoAndFinishOnAParentFoundToBeOfAnotherArea_refused() {
      pull(entry(new Change.Bag("P1001-5", "PARENT", 5, 5, null), "admin"));
      scan("P1001-5");
      assertThat(scan("C1").accepted()).isTrue();
      // the hub says now which area the parent is of
      pull(entry(new Change.Bag("P1001-5", "PARENT", 5, 5, "SOUTH"), "admin"));

      ScanResult undo = scan("CMD-UNDO");
      ScanResult finish = scan("CMD-FINISH");

      assertThat(undo.accepted()).isFalse();
      assertThat(undo.reason()).isEqualTo(ErrorCode.BAG_IN_OTHER_AREA);
      assertThat(finish.accepted()).isFalse();
      assertThat(finish.reason()).isEqualTo(ErrorCode.BAG_IN_OTHER_AREA);
      assertThat(onParent("C1", "P1001-5")).isOne();
    }

    @Test
    void parentOfAnotherAreaFromASnapshot_refusedAtTheDock() {
      try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
        loader.accept(new SnapshotLine.Begin(9, 1, 0, 0));
        loader.accept(new SnapshotLine.BagRow("P1001-5", "PARENT", 5, 5, 0, null, false, false, "SOUTH"));
        loader.accept(new SnapshotLine.End(9, 1));
        loader.finish();
      }
      scan("P1001-5");

      ScanResult linked = scan("C1");

      assertThat(linked.reason()).isEqualTo(ErrorCode.BAG_IN_OTHER_AREA);
      assertThat(linked.message()).contains("SOUTH").contains("NORTH");
    }

    @Test
    void areaUnknownOrTheSame_allowed() {
      pull(entry(new Change.Bag("P1001-5", "PARENT", 5, 5, null), "admin"),
          entry(new Change.Bag("P2002-5", "PARENT", 5, 5, "NORTH"), "admin"));

      scan("P1001-5");
      assertThat(scan("C1").accepted()).isTrue();
      scan("P2002-5");
      assertThat(scan("C2").accepted()).isTrue();
      scan("P3003-5"); // only this dock knows it
      assertThat(scan("C3").accepted()).isTrue();
    }
  }
}
