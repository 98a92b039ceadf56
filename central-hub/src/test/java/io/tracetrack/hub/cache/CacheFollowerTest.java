package io.tracetrack.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.bag.BagViews;
import io.tracetrack.hub.bill.BillSummaries;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Writers that commit at the same moment share one read of the log, and none returns before a read
 * that began after its own commit: what it wrote is out of the caches when it answers.
 */
class CacheFollowerTest {

  private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 6, 9, 0, 0, 0, ZoneOffset.UTC);

  /** Counts the reads and holds the first one until it is let go. */
  private static final class HeldLog extends ChangeLog {
    final AtomicInteger reads = new AtomicInteger();
    final CountDownLatch firstReading = new CountDownLatch(1);
    final CountDownLatch letGo = new CountDownLatch(1);

    HeldLog(HubDatabase db) {
      super(db);
    }

    @Override
    public Page read(long afterSeq, int limit) {
      if (reads.incrementAndGet() == 1) {
        Page page = super.read(afterSeq, limit); // begun before the others commit
        firstReading.countDown();
        await(letGo);
        return page;
      }
      return super.read(afterSeq, limit);
    }
  }

  @Test
  void writersCommittingTogether_shareOneRead_andEachFindsItsOwnChangeFollowed() throws Exception {
    try (HubDatabase db = TestDatabases.h2(4)) {
      HeldLog log = new HeldLog(db);
      Set<String> told = ConcurrentHashMap.newKeySet();
      CacheFollower follower = new CacheFollower(log, new BagViews(10), new BillSummaries(), told::add);
      append(db, "first");
      Thread reader = Thread.ofPlatform().start(follower::catchUp);
      assertThat(log.firstReading.await(10, TimeUnit.SECONDS)).isTrue();

      // three writers commit while that read is under way: it began before them, so it cannot cover them
      List<Thread> writers = new ArrayList<>();
      Set<String> missedOwn = ConcurrentHashMap.newKeySet();
      for (String name : List.of("w1", "w2", "w3")) {
        append(db, name);
        writers.add(Thread.ofPlatform().start(() -> {
          follower.catchUp();
          if (!told.contains(name)) {
            missedOwn.add(name);
          }
        }));
      }
      for (Thread w : writers) {
        while (w.getState() != Thread.State.WAITING && w.isAlive()) {
          Thread.sleep(5);
        }
      }
      log.letGo.countDown();
      reader.join(10_000);
      for (Thread w : writers) {
        w.join(10_000);
      }
      assertThat(missedOwn).as("writers whose catch-up returned before their own change was followed").isEmpty();
      assertThat(told).containsExactlyInAnyOrder("first", "w1", "w2", "w3");
      assertThat(log.reads).as("the held read, then one read for the three writers").hasValue(2);

      append(db, "later");
      follower.catchUp();
      assertThat(told).contains("later");
      assertThat(log.reads).hasValue(3);
    }
  }

  @Test
  void afterACommit_theWriterEvictsWhatItAppended_withoutReadingTheLog_andThePollReadsTheRest() throws Exception {
    try (HubDatabase db = TestDatabases.h2(4)) {
      HeldLog log = new HeldLog(db);
      log.letGo.countDown();
      List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
      CacheFollower follower = new CacheFollower(log, new BagViews(10), new BillSummaries(), told::add);
      db.afterEachCommit(follower::committed); // as the hub's composition root does

      append(db, "mine");
      assertThat(told).containsExactly("mine");
      assertThat(log.reads).as("no read of the log before the writer answers").hasValue(0);

      // a transaction inside another, on a connection of its own, commits first: its listener
      // evicts what it appended, and the outer's listener what the outer appended (after the inner
      // committed: the log's head row, which every append takes, is held to the commit)
      db.transaction(outer -> {
        db.transaction(inner -> ChangeLog.append(inner, user("inner")));
        assertThat(told).as("the inner commit's eviction").containsExactly("mine", "inner");
        ChangeLog.append(outer, user("outer"));
        return null;
      });
      assertThat(told).as("each once, after its own commit").containsExactly("mine", "inner", "outer");

      // a rolled-back transaction's entries are never evicted for it, nor left for the next commit
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.transaction(tx -> {
        ChangeLog.append(tx, user("rolled-back"));
        throw new IllegalStateException("rollback");
      })).hasMessage("rollback");
      append(db, "after");
      assertThat(told).containsExactly("mine", "inner", "outer", "after");
      assertThat(log.reads).hasValue(0);

      // the poll reads the log: what no commit on this hub told (another instance's), and the rest again
      long before = told.size();
      follower.catchUp();
      assertThat(log.reads).hasValue(1);
      assertThat(told).hasSize((int) before + 4);

      // more than a transaction keeps one by one (an import): the writer reads the log as the poll does
      db.transaction(tx -> {
        List<ChangeLog.Entry> many = new ArrayList<>();
        for (int i = 0; i <= ChangeLog.APPENDED_MAX; i++) {
          many.add(user("bulk" + i));
        }
        return ChangeLog.append(tx, many);
      });
      assertThat(log.reads.get()).as("read the log").isGreaterThan(1);
      assertThat(told).contains("bulk0", "bulk" + ChangeLog.APPENDED_MAX);
    }
  }

  private static ChangeLog.Entry user(String username) {
    return ChangeLog.Entry.hubOnly(new Change.User(username, "DISPATCHER", "NORTH", true, null), AT, "test");
  }

  private static void append(HubDatabase db, String username) {
    db.transaction(tx -> ChangeLog.append(tx, ChangeLog.Entry.hubOnly(new Change.User(username, "DISPATCHER", "NORTH", true, null),
        AT, "test")));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
