package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The feed never answers a page with a gap: a prune that runs between its cursor check and a read
 * (interposed here, deterministically, by a change log that prunes just before its first read) is
 * caught after the read.
 */
class ChangeFeedTest {

  private static final OffsetDateTime AT = OffsetDateTime.of(2025, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);
  private static final ChangeLog.Audience NORTH = new ChangeLog.Audience("DOCK-N", "NORTH");

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  /** A change log whose first audience read is preceded by a prune of everything but the newest entry. */
  private static final class PrunedUnderTheReader extends ChangeLog {
    private final AtomicBoolean pruned = new AtomicBoolean();

    PrunedUnderTheReader(HubDatabase db) {
      super(db);
    }

    @Override
    public Page read(long afterSeq, int limit, Audience audience) {
      if (pruned.compareAndSet(false, true)) {
        prune(AT.plusYears(1));
      }
      return super.read(afterSeq, limit, audience);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changes_pruneBetweenTheCursorCheckAndTheRead_answersSnapshotRequired(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"), entry("C2"), entry("C3"))));
      ChangeFeed feed = new ChangeFeed(new PrunedUnderTheReader(db));

      ChangeFeed.Result result = feed.changes(1, 10, 0, NORTH);

      assertThat(result).isEqualTo(new ChangeFeed.Result.SnapshotRequired(3, 3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changes_pruneThatLeavesTheCursorWhole_stillAnswersThePage(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"), entry("C2"), entry("C3"))));
      ChangeFeed feed = new ChangeFeed(new PrunedUnderTheReader(db));

      ChangeFeed.Result result = feed.changes(2, 10, 0, NORTH);

      assertThat(result).isInstanceOfSatisfying(ChangeFeed.Result.Page.class, p ->
          assertThat(p.page().entries()).extracting(ChangeEntry::key).containsExactly("C3"));
    }
  }

  /**
   * The shared tail answers what the database answers: for docks of two areas, a dock-addressed
   * entry and a hub-only one, page by page at a small limit, the entries and cursors are the same.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void pagesFromTheTail_equalTheDatabasesPages_forEveryAudience(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      ChangeLog log = new ChangeLog(db);
      ChangeFeed feed = new ChangeFeed(log);
      feed.changes(0, 10, 0, NORTH); // the tail starts here, at the head
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"),
          new ChangeLog.Entry(new Change.Link("P1001-3", "C2"), AT, "test", "NORTH", null),
          new ChangeLog.Entry(new Change.Link("P1001-3", "C3"), AT, "test", "SOUTH", null),
          new ChangeLog.Entry(new Change.Link("P1001-3", "C4"), AT, "test", null, "DOCK-N"),
          ChangeLog.Entry.hubOnly(new Change.Link("P1001-3", "C5"), AT, "test"),
          entry("C6"))));
      feed.signal();
      for (ChangeLog.Audience audience : List.of(NORTH, new ChangeLog.Audience("DOCK-S", "SOUTH"),
          new ChangeLog.Audience("DOCK-N2", "NORTH"))) {
        long cursor = 0;
        List<String> fromFeed = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
          ChangeFeed.Result r = feed.changes(cursor, 2, 0, audience);
          ChangeLog.Page expected = log.read(cursor, 2, audience);
          ChangePage page = ((ChangeFeed.Result.Page) r).page();
          assertThat(page.entries()).extracting(ChangeEntry::key).as(audience + " after " + cursor)
              .isEqualTo(expected.entries().stream().map(ChangeLog.Stored::entityKey).toList());
          assertThat(page.next()).as(audience + " after " + cursor).isEqualTo(expected.next());
          page.entries().forEach(e -> fromFeed.add(e.key()));
          if (page.next() == cursor) {
            break;
          }
          cursor = page.next();
        }
        assertThat(fromFeed).doesNotContain("C5").contains("C1", "C6");
        for (long after = 0; after <= 6; after++) { // a reader may stand at any position the tail holds
          ChangePage page = ((ChangeFeed.Result.Page) feed.changes(after, 3, 0, audience)).page();
          ChangeLog.Page expected = log.read(after, 3, audience);
          assertThat(page.entries()).extracting(ChangeEntry::key).as(audience + " after " + after)
              .isEqualTo(expected.entries().stream().map(ChangeLog.Stored::entityKey).toList());
          assertThat(page.next()).as(audience + " after " + after).isEqualTo(expected.next());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aPruneOfEntriesTheTailHadNotRead_sendsAReaderBeforeThemToItsSnapshot(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      ChangeLog log = new ChangeLog(db);
      ChangeFeed feed = new ChangeFeed(log);
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"))));
      feed.changes(1, 10, 0, NORTH); // the tail holds (1, 1]
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C2"), entry("C3"), entry("C4"))));
      log.prune(AT.plusYears(1)); // everything but C4, before the tail read C2 and C3

      assertThat(feed.changes(1, 10, 0, NORTH)).isEqualTo(new ChangeFeed.Result.SnapshotRequired(4, 4));
      assertThat(feed.changes(3, 10, 0, NORTH)).isInstanceOfSatisfying(ChangeFeed.Result.Page.class, p ->
          assertThat(p.page().entries()).extracting(ChangeEntry::key).containsExactly("C4"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aWaitingDock_isAnsweredFromTheTail_whenACommitSignals(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      ChangeFeed feed = new ChangeFeed(new ChangeLog(db));
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"))));
      var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return feed.changes(1, 10, 20_000, NORTH);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(200);
      assertThat(waiting).isNotDone();
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C2"))));
      feed.signal();
      ChangeFeed.Result r = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(((ChangeFeed.Result.Page) r).page().entries()).extracting(ChangeEntry::key).containsExactly("C2");
    }
  }

  /**
   * A woken dock waits for more in proportion to the docks long-polling with it (a millisecond
   * each, at most a second): a fleet is answered about a thousand times a second in all, a few
   * docks at once. Counted, not timed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theLinger_followsTheDocksLongPolling_andEveryOneIsAnswered(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      ChangeFeed feed = new ChangeFeed(new ChangeLog(db));
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"))));
      assertThat(feed.linger()).isZero();
      assertThat(feed.changes(0, 10, 0, NORTH)).isInstanceOf(ChangeFeed.Result.Page.class);
      assertThat(feed.linger()).as("a read without a wait is no long poll").isZero();
      List<java.util.concurrent.Future<ChangeFeed.Result>> docks = new java.util.ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 300; i++) {
          docks.add(pool.submit(() -> feed.changes(1, 10, 20_000, NORTH)));
        }
        for (int i = 0; i < 500 && feed.linger().toMillis() < 300; i++) {
          Thread.sleep(10);
        }
        assertThat(feed.linger()).isEqualTo(java.time.Duration.ofMillis(300));
        db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C2"))));
        feed.signal();
        for (var dock : docks) {
          ChangeFeed.Result r = dock.get(20, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(((ChangeFeed.Result.Page) r).page().entries()).extracting(ChangeEntry::key).containsExactly("C2");
        }
      }
      assertThat(feed.linger()).isZero();
    }
  }

  /**
   * On a busy machine the linger stretches, up to twice its length: the docks' answers wait a little
   * so that pushes do not. The load is the test's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theLinger_stretchesWhenTheMachineIsBusy(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      double[] load = {0.6};
      ChangeFeed feed = new ChangeFeed(new ChangeLog(db), ChangeFeed.Pace.SYSTEM, () -> load[0]);
      List<java.util.concurrent.Future<ChangeFeed.Result>> docks = new java.util.ArrayList<>();
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 300; i++) {
          docks.add(pool.submit(() -> feed.changes(0, 10, 20_000, NORTH)));
        }
        for (int i = 0; i < 500 && feed.linger().toMillis() < 300; i++) {
          Thread.sleep(10);
        }
        assertThat(feed.linger()).as("60 %% and below: as it was").isEqualTo(java.time.Duration.ofMillis(300));
        load[0] = 0.7;
        assertThat(feed.linger().toMillis()).as("half way: 1.5 times").isBetween(449L, 450L);
        load[0] = 0.99;
        assertThat(feed.linger()).isEqualTo(java.time.Duration.ofMillis(600));
        load[0] = 0;
        db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"))));
        feed.signal();
        for (var dock : docks) {
          assertThat(dock.get(20, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ChangeFeed.Result.Page.class);
        }
      }
    }
  }

  /**
   * The linger counts from each poll's arrival and differs a little between polls: woken by one
   * commit, 300 docks ask for waits spread over its last quarter (not one length, which
   * answered the fleet in waves); once they have waited a linger already, none waits at all. The
   * time is the test's, so nothing here is timed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theLinger_countsFromThePollsArrival_andIsSpread(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
      java.util.Queue<Long> asked = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.CountDownLatch allAsked = new java.util.concurrent.CountDownLatch(300);
      ChangeFeed feed = new ChangeFeed(new ChangeLog(db), new ChangeFeed.Pace() {
        @Override
        public long nanoTime() {
          return now.get();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
          asked.add(nanos);
          allAsked.countDown(); // every dock asks while all 300 still wait, as when the sleeps are real
          allAsked.await();
        }
      }, () -> 0);
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"))));
      for (String child : List.of("C2", "C3")) {
        List<java.util.concurrent.Future<ChangeFeed.Result>> docks = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < 300; i++) {
            long after = child.equals("C2") ? 1 : 2;
            docks.add(pool.submit(() -> feed.changes(after, 10, 20_000, NORTH)));
          }
          for (int i = 0; i < 500 && feed.linger().toMillis() < 300; i++) {
            Thread.sleep(10);
          }
          assertThat(feed.linger()).isEqualTo(java.time.Duration.ofMillis(300));
          if (child.equals("C3")) {
            now.addAndGet(java.time.Duration.ofMillis(300).toNanos()); // every dock has waited a whole linger
          }
          db.transaction(tx -> ChangeLog.append(tx, List.of(entry(child))));
          feed.signal();
          for (var dock : docks) {
            ChangeFeed.Result r = dock.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(((ChangeFeed.Result.Page) r).page().entries()).extracting(ChangeEntry::key).containsExactly(child);
          }
        }
        if (child.equals("C2")) {
          assertThat(asked).hasSize(300).allSatisfy(nanos -> assertThat(nanos)
              .isBetween(java.time.Duration.ofMillis(225).toNanos(), java.time.Duration.ofMillis(300).toNanos()));
          assertThat(new java.util.HashSet<>(asked)).as("spread, not one length for all").hasSizeGreaterThan(100);
          asked.clear();
        } else {
          assertThat(asked).as("waited a linger already: answered at once").isEmpty();
        }
      }
    }
  }

  private static ChangeLog.Entry entry(String child) {
    return new ChangeLog.Entry(new Change.Link("P1001-3", child), AT, "test");
  }
}
