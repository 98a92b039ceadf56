package io.tracetrack.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.TestClock;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The worker's rounds and loops against a real HTTP "hub" (canned answers) and the in-memory store. */
class SyncWorkerTest {

  static final WireCodec CODEC = new WireCodec();

  /** Always the top of the range: the backoff's ceilings, exactly. */
  static final RandomGenerator TOP = new RandomGenerator() {
    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  };

  final TestClock clock = TestClock.atNoon();
  final MemorySyncStore store = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", false);
  final List<Duration> slept = new CopyOnWriteArrayList<>();
  final List<String> console = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  FakeHub hub;
  SyncWorker worker;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (worker != null) {
      worker.close();
    }
    hub.close();
  }

  HubClient client(URI uri) {
    return new HubClient(uri, store.edgeId, "secret", HttpClient.newHttpClient(), HubClient.Timeouts.DEFAULTS);
  }

  SyncWorker worker(URI uri, Duration tick, SyncWorker.Sleeper sleeper) {
    return new SyncWorker(store, client(uri), clock, "test", TOP, sleeper, tick, console::add);
  }

  /** The hub applies every op it is sent. */
  void hubAppliesEverything() {
    hub.on("/api/v1/sync/push", ex -> {
      PushBatch batch = CODEC.decodePush(FakeHub.body(ex));
      List<OpOutcome> outcomes = batch.ops().stream().map(OpEnvelope::id).map(id -> OpOutcome.applied(id.seq())).toList();
      FakeHub.send(ex, 200, "application/json",
          CODEC.encode(new PushReply(batch.ops().getLast().id().seq(), clock.instant(), outcomes)));
    });
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Nested
  class Backoffs {

    @Test
    void backoff_ceilingsDoubleFromOneSecond_upToThreeSeconds_andResetStartsOver() {
      Backoff b = Backoff.standard(TOP);
      List<Long> waits = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        waits.add(b.next().toMillis());
      }
      // a dock must be back within seconds of its hub: a heal is noticed after at most 3 s
      assertThat(waits).containsExactly(1_000L, 2_000L, 3_000L, 3_000L, 3_000L, 3_000L, 3_000L, 3_000L, 3_000L);
      b.reset();
      assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void backoff_fullJitter_drawsFromZeroToTheCeiling() {
      Backoff b = Backoff.standard(new java.util.Random(7));
      for (int i = 0; i < 200; i++) {
        long ceiling = b.ceilingMs(b.failures());
        assertThat(b.next().toMillis()).isBetween(0L, ceiling);
      }
      // after days offline the wait is still at most the cap: no give-up, no overflow
      assertThat(b.ceilingMs(100_000)).isEqualTo(3_000L);
    }

    @Test
    void pushRound_hubUnreachable_retriesWithTheBackoffSequence_andRecordsOffline() throws IOException {
      store.addLink("P1001-3", "C1", clock.instant());
      worker = worker(URI.create("http://127.0.0.1:" + closedPort()), SyncWorker.DEFAULT_TICK, slept::add);

      List<SyncWorker.Next> rounds = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        rounds.add(worker.pushRound());
      }

      assertThat(rounds).extracting(n -> ((SyncWorker.Next.Retry) n).after().toSeconds())
          .containsExactly(1L, 2L, 3L, 3L, 3L, 3L, 3L, 3L);
      SyncStore.SyncStatus status = store.status(clock.instant());
      assertThat(status.online()).isFalse();
      assertThat(status.lastError()).startsWith("hub unreachable");
      assertThat(status.pendingOps()).isEqualTo(1);
    }

    @Test
    void pushRound_hubBackAfterAnOutage_pushes_andRecordsOnline() throws IOException {
      store.addLink("P1001-3", "C1", clock.instant());
      SyncWorker down = worker(URI.create("http://127.0.0.1:" + closedPort()), SyncWorker.DEFAULT_TICK, slept::add);
      down.pushRound();
      hubAppliesEverything();
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isInstanceOf(SyncWorker.Next.Idle.class);
      assertThat(store.answered()).isEqualTo(1);
      assertThat(store.status(clock.instant()).online()).isTrue();
      assertThat(store.status(clock.instant()).lastSyncAt()).isEqualTo(clock.instant());
    }

    @Test
    void pushRound_revokedDock_stopsHammering_fiveMinutes_andSaysWhy() {
      store.addLink("P1001-3", "C1", clock.instant());
      hub.onJson("/api/v1/sync/push", 401, FakeHub.problem("DOCK_REVOKED", "dock DOCK-1 was revoked"));
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isEqualTo(new SyncWorker.Next.Retry(Duration.ofMinutes(5)));
      assertThat(worker.pushRound()).isEqualTo(new SyncWorker.Next.Retry(Duration.ofMinutes(5)));
      assertThat(store.status(clock.instant()).lastError()).contains("DOCK_REVOKED").contains("enrol the dock again");
      assertThat(store.status(clock.instant()).pendingOps()).isEqualTo(1);
    }

    @Test
    void pushRound_opsTheHubHolds_stopsUntilTheNextTick_insteadOfResendingAtOnce() {
      store.addLink("P1001-3", "C1", clock.instant());
      hub.onJson("/api/v1/sync/push", 200, CODEC.encode(new PushReply(0, clock.instant(), List.of(OpOutcome.held(1, 0)))));
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isInstanceOf(SyncWorker.Next.Idle.class);
      assertThat(hub.seen.stream().filter(s -> s.path().equals("/api/v1/sync/push"))).hasSize(1);
    }
  }

  @Nested
  class Loops {

    @Test
    void nudge_afterACommittedOp_pushesIt_withoutWaitingForTheTick() throws Exception {
      hubAppliesEverything();
      // the pull loop's long poll is held open, as a hub with nothing new would
      hub.on("/api/v1/sync/changes", ex -> release.await());
      store.addLink("P1001-3", "C1", clock.instant());
      // a tick of an hour: only a nudge can wake the push loop within the test
      worker = worker(hub.uri(), Duration.ofHours(1), Thread::sleep);
      worker.start();
      awaitTrue(() -> store.answered() == 1 && store.batchAsks() >= 2);

      store.addLink("P1001-3", "C2", clock.instant());
      worker.nudge();

      awaitTrue(() -> store.answered() == 2);
      assertThat(hub.seen.stream().filter(s -> s.path().equals("/api/v1/sync/push")).count()).isEqualTo(2);
    }

    @Test
    void hubBack_cutsThePushBackoffShort_whenThePullReachesIt() throws Exception {
      CountDownLatch pushFailed = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger pushes = new java.util.concurrent.atomic.AtomicInteger();
      hub.on("/api/v1/sync/push", ex -> {
        if (pushes.getAndIncrement() == 0) {
          FakeHub.send(ex, 503, "text/plain", "starting up");
          pushFailed.countDown();
          return;
        }
        PushBatch batch = CODEC.decodePush(FakeHub.body(ex));
        FakeHub.send(ex, 200, "application/json", CODEC.encode(new PushReply(batch.ops().getLast().id().seq(), clock.instant(),
            batch.ops().stream().map(op -> OpOutcome.applied(op.id().seq())).toList())));
      });
      // the pull reaches the hub only once the push is backing off
      hub.on("/api/v1/sync/changes", ex -> {
        pushFailed.await();
        Thread.sleep(200);
        FakeHub.send(ex, 200, "application/json", CODEC.encode(new ChangePage(List.of(), 0, 0)));
      });
      store.addLink("P1001-3", "C1", clock.instant());
      // every wait is an hour: only the hub coming back can end the push's backoff within the test
      worker = worker(hub.uri(), Duration.ofHours(1), d -> Thread.sleep(Duration.ofHours(1)));
      worker.start();

      awaitTrue(() -> store.answered() == 1);
      assertThat(pushes.get()).isEqualTo(2);
    }

    /** A hub that, like the real one, applies an edge's ops once each, in seq order, holding what comes after a gap. */
    final class InOrderHub {
      long last;
      final java.util.Map<Long, Integer> applied = new java.util.concurrent.ConcurrentHashMap<>();

      synchronized PushReply apply(PushBatch batch) {
        List<OpOutcome> outcomes = new ArrayList<>();
        for (OpEnvelope op : batch.ops()) {
          long seq = op.id().seq();
          if (seq <= last) {
            outcomes.add(OpOutcome.duplicate(seq));
          } else if (seq == last + 1) {
            last = seq;
            applied.merge(seq, 1, Integer::sum);
            outcomes.add(OpOutcome.applied(seq));
          } else {
            outcomes.add(OpOutcome.held(seq, last + 1));
          }
        }
        return new PushReply(last, clock.instant(), outcomes);
      }
    }

    @Test
    void pushRound_sendsTheNextBatchBeforeTheFirstIsAnswered_andAppliesEachOpOnce() throws Exception {
      InOrderHub inOrder = new InOrderHub();
      CountDownLatch secondArrived = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
      hub.on("/api/v1/sync/push", ex -> {
        PushBatch batch = CODEC.decodePush(FakeHub.body(ex));
        requests.incrementAndGet();
        if (batch.ops().getFirst().id().seq() == 1) {
          // the first batch is answered only once the second is already here
          overlapped.set(secondArrived.await(10, java.util.concurrent.TimeUnit.SECONDS));
        } else {
          secondArrived.countDown();
        }
        FakeHub.send(ex, 200, "application/json", CODEC.encode(inOrder.apply(batch)));
      });
      for (int i = 0; i < 2_500; i++) {
        store.addLink("P1001-3", "C" + i, clock.instant());
      }
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isInstanceOf(SyncWorker.Next.Idle.class);
      assertThat(overlapped).isTrue();
      assertThat(store.answered()).isEqualTo(2_500);
      assertThat(inOrder.applied).hasSize(2_500).allSatisfy((seq, times) -> assertThat(times).isEqualTo(1));
    }

    @Test
    void aBatchThatOvertakesTheOneBeforeIt_isHeld_thenSentAgain_andNothingIsLostOrDoubled() throws Exception {
      InOrderHub inOrder = new InOrderHub();
      CountDownLatch secondAnswered = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
      hub.on("/api/v1/sync/push", ex -> {
        PushBatch batch = CODEC.decodePush(FakeHub.body(ex));
        int n = requests.incrementAndGet();
        if (batch.ops().getFirst().id().seq() == 1) {
          // the second batch reaches the hub and is answered (HELD: a gap) before the first is applied
          secondAnswered.await(10, java.util.concurrent.TimeUnit.SECONDS);
          FakeHub.send(ex, 200, "application/json", CODEC.encode(inOrder.apply(batch)));
        } else {
          PushReply reply = inOrder.apply(batch);
          FakeHub.send(ex, 200, "application/json", CODEC.encode(reply));
          if (secondAnswered.getCount() > 0) {
            assertThat(reply.outcomes()).allMatch(o -> o.status() == OpOutcome.Status.HELD);
            secondAnswered.countDown();
          }
        }
      });
      for (int i = 0; i < 1_500; i++) {
        store.addLink("P1001-3", "C" + i, clock.instant());
      }
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isInstanceOf(SyncWorker.Next.Idle.class);
      assertThat(store.answered()).isEqualTo(1_500);
      assertThat(inOrder.applied).hasSize(1_500).allSatisfy((seq, times) -> assertThat(times).isEqualTo(1));
      assertThat(requests.get()).as("the overtaking batch went again").isEqualTo(3);
      // the older word (lastSeq 0) was never recorded over the newer one
      assertThat(store.status(clock.instant()).pendingOps()).isZero();
    }

    @Test
    void close_stopsBothLoops_evenDuringALongPoll() throws Exception {
      hub.on("/api/v1/sync/changes", ex -> release.await());
      worker = worker(hub.uri(), Duration.ofHours(1), Thread::sleep);
      worker.start();
      awaitTrue(() -> hub.seen.stream().anyMatch(s -> s.path().equals("/api/v1/sync/changes")));

      worker.close();

      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sync-") && t.isAlive());
    }
  }

  @Nested
  class Pull {

    void snapshotOf(int bags, long cursor) {
      hub.on("/api/v1/sync/snapshot", ex -> {
        StringBuilder body = new StringBuilder();
        body.append(CODEC.encode(new SnapshotLine.Begin(cursor, bags, 0, 0))).append('\n');
        for (int i = 0; i < bags; i++) {
          body.append(CODEC.encode(new SnapshotLine.BagRow("P" + (1000 + i) + "-3", "PARENT", 3, 3, 0, null, false, false)))
              .append('\n');
        }
        body.append(CODEC.encode(new SnapshotLine.End(cursor, bags))).append('\n');
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      });
    }

    @Test
    void pullRound_newDock_loadsTheSnapshot_thenFollowsTheLogFromItsCursor() throws Exception {
      MemorySyncStore fresh = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", true);
      snapshotOf(3, 77);
      hub.onJson("/api/v1/sync/changes", 200, HubClientTest.page(79, 79, HubClientTest.entry(78, "P2001-5"),
          HubClientTest.entry(79, "P2002-5")));
      SyncWorker w = new SyncWorker(fresh, client(hub.uri()), clock, "test", TOP, slept::add, SyncWorker.DEFAULT_TICK,
          console::add);

      assertThat(w.pullRound()).isInstanceOf(SyncWorker.Next.Again.class);

      assertThat(fresh.loaded).hasSize(5);
      assertThat(fresh.applied).hasSize(2);
      assertThat(fresh.pullCursor()).isEqualTo(79);
      assertThat(fresh.needsSnapshot()).isFalse();
      assertThat(hub.seen.stream().filter(s -> s.path().equals("/api/v1/sync/changes")).findFirst().orElseThrow().query())
          .startsWith("after=77&");
      assertThat(console).anyMatch(l -> l.contains("snapshot loaded, 3 rows"));
    }

    @Test
    void pullRound_longSnapshot_printsProgressEveryFewSeconds_andShowsItWhileLoading() {
      MemorySyncStore fresh = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", true);
      snapshotOf(5_000, 10);
      hub.onJson("/api/v1/sync/changes", 200, HubClientTest.page(10, 10));
      List<SyncStore.Progress> seenWhileLoading = new CopyOnWriteArrayList<>();
      SyncWorker[] self = new SyncWorker[1];
      // each reading of the clock is 2 s later: a progress line is due every third reading
      java.time.Clock ticking = new java.time.Clock() {
        private java.time.Instant now = clock.instant();

        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public synchronized java.time.Instant instant() {
          now = now.plusSeconds(2);
          return now;
        }
      };
      self[0] = new SyncWorker(fresh, client(hub.uri()), ticking, "test", TOP, slept::add, SyncWorker.DEFAULT_TICK, line -> {
        console.add(line);
        self[0].bootstrap().ifPresent(seenWhileLoading::add);
      });

      self[0].pullRound();

      assertThat(console).filteredOn(l -> l.startsWith("sync: snapshot ") && l.contains(" of 5000 rows"))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).matches("sync: snapshot \\d+ of 5000 rows \\(\\d+%\\)"));
      assertThat(seenWhileLoading).isNotEmpty().allSatisfy(p -> assertThat(p.total()).isEqualTo(5_000));
      assertThat(self[0].bootstrap()).isEmpty();
    }

    @Test
    void pullRound_cursorTheHubNoLongerHolds_takesASnapshot_neverASilentGap() {
      hub.on("/api/v1/sync/changes", ex -> {
        String query = ex.getRequestURI().getRawQuery();
        if (query.startsWith("after=0&")) {
          FakeHub.send(ex, 410, "application/problem+json", FakeHub.problem("SNAPSHOT_REQUIRED", "log starts at 500"));
        } else {
          FakeHub.send(ex, 200, "application/json", HubClientTest.page(600, 600));
        }
      });
      snapshotOf(2, 600);
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      worker.pullRound();

      assertThat(store.loaded).hasSize(4);
      assertThat(store.pullCursor()).isEqualTo(600);
    }

    @Test
    void pullRound_behindTheHead_readsOnWithoutWaiting_untilCaughtUp() {
      hub.on("/api/v1/sync/changes", ex -> {
        String query = ex.getRequestURI().getRawQuery();
        String page = query.startsWith("after=0&")
            ? HubClientTest.page(1, 2, HubClientTest.entry(1, "P1-3"))
            : HubClientTest.page(2, 2, HubClientTest.entry(2, "P2-3"));
        FakeHub.send(ex, 200, "application/json", page);
      });
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      worker.pullRound();

      assertThat(hub.seen).extracting(FakeHub.Seen::query)
          .containsExactly("after=0&limit=1000&waitMs=25000", "after=1&limit=1000&waitMs=0");
      assertThat(store.pullCursor()).isEqualTo(2);
    }

    @Test
    void pullRound_emptyLongPoll_pausesBriefly_soAHubThatDoesNotWaitCannotSpinTheLoop() {
      hub.onJson("/api/v1/sync/changes", 200, HubClientTest.page(0, 0));
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pullRound()).isEqualTo(new SyncWorker.Next.Retry(SyncWorker.EMPTY_POLL_PAUSE));
    }

    @Test
    void pullRound_truncatedSnapshot_keepsTheOldReplica_andRetries() {
      MemorySyncStore fresh = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", true);
      hub.on("/api/v1/sync/snapshot", ex -> {
        byte[] bytes = (CODEC.encode(new SnapshotLine.Begin(9, 5, 0, 0)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      });
      SyncWorker w = new SyncWorker(fresh, client(hub.uri()), clock, "test", TOP, slept::add, SyncWorker.DEFAULT_TICK,
          console::add);

      assertThat(w.pullRound()).isEqualTo(new SyncWorker.Next.Retry(Duration.ofSeconds(1)));
      assertThat(fresh.needsSnapshot()).isTrue();
      assertThat(fresh.loaded).isEmpty();
      assertThat(fresh.status(clock.instant()).lastError()).contains("stopped short");
    }
  }

  /** Closed receipts go to the hub after the ops, over real HTTP; the hub's word decides whether one goes again. */
  @Nested
  class Receipts {

    io.tracetrack.sync.ReceiptReport receipt(String key, String bill) {
      return new io.tracetrack.sync.ReceiptReport(key, bill, "gate-1", List.of("P1-5"), "dana",
          clock.instant().minusSeconds(60), "dana", clock.instant(),
          List.of(new io.tracetrack.sync.ReceiptReport.Line("P1-5", "dana", clock.instant().minusSeconds(30))));
    }

    @Test
    void aClosedReceipt_isSentOnce_andAnUnknownBillIsKeptWithTheHubsReason_withoutHoldingUpTheNext() {
      store.receipts.put("k1", receipt("k1", "NOBILL1"));
      store.receipts.put("k2", receipt("k2", "BILL0042"));
      List<String> sent = new CopyOnWriteArrayList<>();
      hub.on("/api/v1/sync/receipts", ex -> {
        io.tracetrack.sync.ReceiptReport r = CODEC.decodeReceipt(FakeHub.body(ex));
        sent.add(r.key());
        if (r.bill().equals("NOBILL1")) {
          FakeHub.send(ex, 404, "application/problem+json", FakeHub.problem("BILL_NOT_FOUND", "this hub has no bill NOBILL1"));
        } else {
          FakeHub.send(ex, 200, "application/json", "{\"duplicate\":false,\"receipt\":{\"id\":7}}");
        }
      });
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);

      assertThat(worker.pushRound()).isInstanceOf(SyncWorker.Next.Idle.class);
      assertThat(sent).containsExactly("k1", "k2");
      assertThat(store.receiptAnswers).containsEntry("k2", "taken as 7");
      assertThat(store.receiptAnswers.get("k1")).contains("BILL_NOT_FOUND").contains("no bill NOBILL1");
      worker.pushRound();
      assertThat(sent).as("neither goes again").hasSize(2);
    }

    @Test
    void aHubThatCannotBeReached_orHasNoReceivingYet_keepsTheReceiptForTheNextRound() throws IOException {
      store.receipts.put("k1", receipt("k1", "BILL0042"));
      hub.onJson("/api/v1/sync/receipts", 404, FakeHub.problem("NOT_FOUND", "no such route"));
      worker = worker(hub.uri(), SyncWorker.DEFAULT_TICK, slept::add);
      worker.pushRound();
      assertThat(store.unsentReceipts(10)).hasSize(1);
      worker = worker(URI.create("http://127.0.0.1:" + closedPort()), SyncWorker.DEFAULT_TICK, slept::add);
      worker.pushRound();
      assertThat(store.unsentReceipts(10)).hasSize(1);
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    // a guard against hanging forever, not a timing expectation: the condition is normally met at once
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(10);
    }
  }
}
