package io.tracetrack.hub.log;

import io.tracetrack.sync.Change;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.Concurrently;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.bag.BagService;
import io.tracetrack.hub.bill.BillService;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.sync.ChangeFeed;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.Role;
import io.tracetrack.model.WeightPolicy;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The change log on real databases: positions in commit order (the no-skip proof on PostgreSQL,
 * where sequence values are not commit order), reading with a cursor, and the hub's writers each
 * appending exactly their one entry in their own transaction, and nothing when refused.
 */
class ChangeLogTest {

  private static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));
  private static final OffsetDateTime AT = OffsetDateTime.of(2025, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static ChangeLog.Entry entry(String child) {
    return new ChangeLog.Entry(new Change.Link("P1001-3", child), AT, "test");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void append_thenRead_givesEntriesInOrder_withCursor(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      ChangeLog log = new ChangeLog(db);
      assertThat(log.oldest()).isEmpty();
      assertThat(log.read(0, 10).entries()).isEmpty();
      assertThat(log.read(0, 10).next()).isZero();
      long first = db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"), entry("C2"), entry("C3"))));
      long fourth = db.transaction(tx -> ChangeLog.append(tx, entry("C4")));
      assertThat(first).isEqualTo(1);
      assertThat(fourth).isEqualTo(4);
      ChangeLog.Page page = log.read(0, 2);
      assertThat(page.entries()).extracting(ChangeLog.Stored::seq).containsExactly(1L, 2L);
      assertThat(page.next()).isEqualTo(2);
      ChangeLog.Page rest = log.read(page.next(), 10);
      assertThat(rest.entries()).extracting(ChangeLog.Stored::entityKey).containsExactly("C3", "C4");
      assertThat(rest.entries().getFirst().type()).isEqualTo("link.v1");
      assertThat(rest.entries().getFirst().payload()).isEqualTo("{\"parent\":\"P1001-3\",\"child\":\"C3\"}");
      assertThat(rest.next()).isEqualTo(4);
      assertThat(log.read(4, 10).next()).isEqualTo(4);
      assertThat(log.oldest()).hasValue(1L);
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void rolledBackAppend_givesItsPositionsBack_noGap(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      try {
        db.transaction(tx -> {
          ChangeLog.append(tx, List.of(entry("C1"), entry("C2")));
          throw new IllegalStateException("the writer fails after its take");
        });
      } catch (IllegalStateException expected) {
        // rolled back
      }
      long third = db.transaction(tx -> ChangeLog.append(tx, entry("C3")));
      assertThat(third).isEqualTo(1);
      assertThat(new ChangeLog(db).read(0, 10).entries()).extracting(ChangeLog.Stored::seq).containsExactly(1L);
    }
  }

  /**
   * A takes its position and stays open; B's append waits on the head row until A commits, so B's
   * position is after A's, and a reader never sees B's entry while A's is still uncommitted.
   */
  @Test
  void openWriter_blocksTheNext_readerSeesNothingPastIt_onPostgres() throws Exception {
    try (HubDatabase db = TestDatabases.fresh("postgresql", 4)) {
      ChangeLog log = new ChangeLog(db);
      CountDownLatch aTook = new CountDownLatch(1);
      CountDownLatch aMayCommit = new CountDownLatch(1);
      CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> db.transaction(tx -> {
        long seq = ChangeLog.append(tx, entry("CA"));
        aTook.countDown();
        await(aMayCommit);
        return seq;
      }));
      assertThat(aTook.await(60, TimeUnit.SECONDS)).isTrue();
      CountDownLatch bStarted = new CountDownLatch(1);
      CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> db.transaction(tx -> {
        bStarted.countDown();
        return ChangeLog.append(tx, entry("CB"));
      }));
      assertThat(bStarted.await(60, TimeUnit.SECONDS)).isTrue();
      // however long B has had, while A is open the reader sees nothing, and B has not finished
      assertThat(log.read(0, 10).entries()).isEmpty();
      assertThat(b).isNotDone();
      aMayCommit.countDown();
      long seqA = a.get(60, TimeUnit.SECONDS);
      long seqB = b.get(60, TimeUnit.SECONDS);
      assertThat(seqB).isGreaterThan(seqA);
      assertThat(log.read(0, 10).entries()).extracting(ChangeLog.Stored::entityKey).containsExactly("CA", "CB");
    }
  }

  /** 8 writers × 200 appends of 1–3 entries while a reader pages with its cursor: every position exactly once. */
  @Test
  void readerPagingDuringConcurrentCommits_collectsEveryEntryOnce_onPostgres() throws Exception {
    try (HubDatabase db = TestDatabases.fresh("postgresql", 10)) {
      ChangeLog log = new ChangeLog(db);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Long> seen = new ArrayList<>();
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        long cursor = 0;
        while (true) {
          boolean finalPass = !writing.get();
          ChangeLog.Page page = log.read(cursor, 50);
          page.entries().forEach(e -> seen.add(e.seq()));
          cursor = page.next();
          if (page.entries().isEmpty() && finalPass) {
            break;
          }
        }
      });
      List<Integer> appended = Concurrently.run(8, w -> () -> {
        int n = 0;
        for (int i = 0; i < 200; i++) {
          int k = 1 + ThreadLocalRandom.current().nextInt(3);
          List<ChangeLog.Entry> batch = new ArrayList<>();
          for (int j = 0; j < k; j++) {
            batch.add(entry("C" + w + "-" + i + "-" + j));
          }
          db.transaction(tx -> {
            long first = ChangeLog.append(tx, batch);
            // hold the position a moment before committing, so commits interleave with reads
            sleepMillis(ThreadLocalRandom.current().nextInt(3));
            return first;
          });
          n += k;
        }
        return n;
      });
      writing.set(false);
      reader.get(300, TimeUnit.SECONDS);
      long total = appended.stream().mapToLong(Integer::longValue).sum();
      assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }
  }

  /**
   * The long poll never skips: a writer holds its position open while others queue behind it, and
   * 6 writers append entries for this dock and for others while a dock long-polls through
   * {@link ChangeFeed}: it sees every entry meant for it exactly once, in order, and none of the others.
   */
  @Test
  void longPollingDock_duringConcurrentCommits_seesEachOfItsEntriesOnce_onPostgres() throws Exception {
    try (HubDatabase db = TestDatabases.fresh("postgresql", 10);
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      ChangeLog log = new ChangeLog(db);
      ChangeFeed feed = new ChangeFeed(log);
      db.afterEachCommit(feed::signal);
      ChangeLog.Audience dock = new ChangeLog.Audience("DOCK-A", "NORTH");
      AtomicBoolean writing = new AtomicBoolean(true);
      List<String> seen = new ArrayList<>();
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        long cursor = 0;
        try {
          while (true) {
            boolean finalPass = !writing.get();
            ChangeFeed.Result result = feed.changes(cursor, 20, finalPass ? 0 : 200, dock);
            io.tracetrack.sync.ChangePage page = ((ChangeFeed.Result.Page) result).page();
            page.entries().forEach(e -> seen.add(e.key()));
            assertThat(page.next()).isGreaterThanOrEqualTo(cursor);
            cursor = page.next();
            if (finalPass && cursor == log.head()) {
              break;
            }
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, threads);
      // one writer takes its position and stays open while the others start
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Long> holder = CompletableFuture.supplyAsync(() -> db.transaction(tx -> {
        long seq = ChangeLog.append(tx, forDock("held", true));
        held.countDown();
        await(release);
        return seq;
      }), threads);
      assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<List<Integer>> writers = CompletableFuture.supplyAsync(() -> {
        try {
          return Concurrently.run(6, w -> () -> {
            for (int i = 0; i < 100; i++) {
              ChangeLog.Entry e = forDock("w" + w + "-" + i, (i + w) % 3 != 0);
              db.transaction(tx -> ChangeLog.append(tx, e));
            }
            return w;
          });
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, threads);
      release.countDown();
      holder.get(60, TimeUnit.SECONDS);
      writers.get(300, TimeUnit.SECONDS);
      writing.set(false);
      reader.get(300, TimeUnit.SECONDS);
      List<String> expected = log.read(0, ChangeLog.MAX_PAGE, dock).entries().stream()
          .map(ChangeLog.Stored::entityKey).toList();
      assertThat(expected).hasSizeGreaterThan(390).contains("held");
      assertThat(seen).containsExactlyElementsOf(expected);
    }
  }

  /** An entry this dock hears (a user of its area) or not (a user of another area). */
  private static ChangeLog.Entry forDock(String name, boolean forA) {
    return new ChangeLog.Entry(new Change.User(name, "DISPATCHER", forA ? "NORTH" : "SOUTH", true, null), AT, "test");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepMillis(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hub's writers, as Main wires them. */
  private record Hub(HubDatabase db, BagService bags, BillService bills, ChangeLog log) implements AutoCloseable {
    static Hub on(String kind) {
      HubDatabase db = TestDatabases.fresh(kind, 4);
      TestClock clock = new TestClock(Instant.parse("2025-03-01T08:00:00Z"));
      AuditLog audit = new AuditLog(db, clock);
      BagService bags = new BagService(db, CodeGrammar.defaults(), audit, clock);
      BillService bills = new BillService(db, CodeGrammar.defaults(), bags, WeightPolicy.defaults(), audit, clock);
      return new Hub(db, bags, bills, new ChangeLog(db));
    }

    /** The types of the entries after {@code cursor}. */
    List<String> typesAfter(long cursor) {
      return log.read(cursor, ChangeLog.MAX_PAGE).entries().stream().map(ChangeLog.Stored::type).toList();
    }

    long head() {
      return log.read(0, ChangeLog.MAX_PAGE).next();
    }

    @Override
    public void close() {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void eachBagWriter_appendsItsOneEntry_andRefusalsOrNoOpsAppendNothing(String kind) {
    try (Hub hub = Hub.on(kind)) {
      long at = hub.head();
      assertThat(hub.bags.create("P1001-3", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(hub.typesAfter(at)).containsExactly("bag.v1");
      assertThat(hub.log.read(at, 1).entries().getFirst().payload())
          .isEqualTo("{\"code\":\"P1001-3\",\"role\":\"PARENT\",\"expectedCount\":3,\"limit\":3,\"area\":null}");

      at = hub.head();
      assertThat(hub.bags.create("C9", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(hub.typesAfter(at)).containsExactly("bag.v1");

      at = hub.head();
      assertThat(hub.bags.create("C9", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(hub.typesAfter(at)).as("creating an existing bag changes nothing").isEmpty();

      at = hub.head();
      assertThat(hub.bags.link("P1001-3", "C1", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(hub.typesAfter(at)).containsExactly("link.v1");

      at = hub.head();
      hub.bags.link("P1001-3", "C1", ADMIN);
      assertThat(hub.typesAfter(at)).as("a repeated link changes nothing").isEmpty();

      at = hub.head();
      assertThat(hub.bags.link("P1001-3", "P1001-3", ADMIN)).isInstanceOf(BagService.Outcome.Rejected.class);
      assertThat(hub.bags.link("C1", "C2", ADMIN)).isInstanceOf(BagService.Outcome.Rejected.class);
      assertThat(hub.typesAfter(at)).as("refusals append nothing").isEmpty();

      at = hub.head();
      assertThat(hub.bags.unlink("C1", "P1001-3", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(hub.typesAfter(at)).containsExactly("unlink.v1");
      assertThat(hub.log.read(at, 1).entries().getFirst().payload())
          .isEqualTo("{\"parent\":\"P1001-3\",\"child\":\"C1\",\"reason\":\"CORRECTION\"}");
      assertThat(hub.log.read(at, 1).entries().getFirst().origin()).isEqualTo("admin");
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void eachBillWriter_appendsItsOneEntry_andRefusalsAppendNothing(String kind) {
    try (Hub hub = Hub.on(kind)) {
      hub.bags.create("P1-5", ADMIN);
      hub.bags.create("P2-5", ADMIN);
      assertThat(hub.bills.create("BILL0001", "Delhi", "MH12", 2, ADMIN)).isInstanceOf(BillService.Outcome.Done.class);

      long at = hub.head();
      assertThat(hub.bills.addParent("BILL0001", "P1-5", ADMIN, false, "loaded by hand")).isInstanceOf(BillService.Outcome.Done.class);
      assertThat(hub.typesAfter(at)).containsExactly("bill.parent.added.v1");

      at = hub.head();
      assertThat(hub.bills.addParent("BILL0001", "P3-5", ADMIN, true, "typed at the desk")).isInstanceOf(BillService.Outcome.Done.class);
      assertThat(hub.typesAfter(at)).as("a typed parent is created, then added, in one transaction")
          .containsExactly("bag.v1", "bill.parent.added.v1");

      at = hub.head();
      assertThat(hub.bills.removeParent("BILL0001", "P3-5", ADMIN)).isInstanceOf(BillService.Outcome.Done.class);
      assertThat(hub.typesAfter(at)).containsExactly("bill.parent.removed.v1");

      at = hub.head();
      assertThat(hub.bills.removeParent("BILL0001", "P3-5", ADMIN)).isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.bills.addParent("BILL0001", "P404-5", ADMIN, false, null)).isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.bills.addParent("BILL0001", "P2-5", ADMIN, false, null)).as("not ready")
          .isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.bills.addParent("BILL0001", "P405-5", ADMIN, true, null)).as("typed, not ready: not created either")
          .isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.bills.finalize("BILL0001", false, ADMIN)).as("short of full")
          .isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.typesAfter(at)).as("refusals append nothing").isEmpty();

      at = hub.head();
      assertThat(hub.bills.finalize("BILL0001", true, ADMIN)).isInstanceOf(BillService.Outcome.Done.class);
      assertThat(hub.typesAfter(at)).containsExactly("bill.finalized.v1");
      assertThat(hub.log.read(at, 1).entries().getFirst().payload())
          .isEqualTo("{\"bill\":\"BILL0001\",\"shortClosed\":true,\"parents\":[\"P1-5\"]}");

      at = hub.head();
      assertThat(hub.bills.finalize("BILL0001", true, ADMIN)).isInstanceOf(BillService.Outcome.Refused.class);
      assertThat(hub.typesAfter(at)).isEmpty();

      assertThat(hub.bills.reopen("BILL0001", ADMIN)).isInstanceOf(BillService.Outcome.Done.class);
      assertThat(hub.typesAfter(at)).containsExactly("bill.reopened.v1");
      assertThat(hub.log.read(at, 1).entries().getFirst().payload())
          .isEqualTo("{\"bill\":\"BILL0001\",\"parents\":[\"P1-5\"]}");
    }
  }
}
