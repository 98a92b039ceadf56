package io.tracetrack.hub.cache;

import io.tracetrack.hub.bag.BagViews;
import io.tracetrack.hub.bill.BillSummaries;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.WireCodec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drops what the change log says changed from the read caches. Every write to bags, links and bills
 * appends its entries to the log as its transaction's last write, so the log names every bag and
 * bill whose cached view went stale, from this hub and from any other on the same database.
 *
 * <p>{@link #committed} runs after each commit on this hub, on the writer's thread, before it
 * answers: it evicts what the writer itself appended, so a write is never followed by a stale read
 * from the same hub. {@link #catchUp} runs on a short poll and reads the log for everything, the
 * other instances' writes among it. When the log cannot say (it was pruned past the cursor, or the
 * read failed), everything is dropped: a cold cache is slower, never wrong.
 */
public final class CacheFollower {

  private static final Logger LOG = Logger.getLogger(CacheFollower.class.getName());
  private static final WireCodec WIRE = new WireCodec();

  private final ChangeLog log;
  private final BagViews bags;
  private final BillSummaries bills;
  private final java.util.function.Consumer<String> accounts;
  /** One reader at a time, so the cursor only moves forward and no entry is skipped. */
  private final ReentrantLock reading = new ReentrantLock();
  private long cursor;
  /** Catch-ups asked for so far: each caller takes its number after its commit. */
  private final java.util.concurrent.atomic.AtomicLong asked = new java.util.concurrent.atomic.AtomicLong();
  /**
   * The last number taken before a finished read began (guarded by {@link #reading}): that read
   * began after those callers' commits, so it saw their entries.
   */
  private long covered;

  public CacheFollower(ChangeLog log, BagViews bags, BillSummaries bills) {
    this(log, bags, bills, username -> { });
  }

  /**
   * @param accounts told the name of every user the log says changed, or {@code null} when the log
   *     cannot say (the account check's recent answers for reads are dropped by it)
   */
  public CacheFollower(ChangeLog log, BagViews bags, BillSummaries bills, java.util.function.Consumer<String> accounts) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.log = Objects.requireNonNull(log, "log");
    this.bags = Objects.requireNonNull(bags, "bags");
    this.bills = Objects.requireNonNull(bills, "bills");
    // what is in the log now is older than anything the (empty) caches will hold
    this.cursor = log.head();
    bags.followed();
    bills.followed();
  }

  /**
   * A commit listener: evicts what the transaction that just committed on this thread appended to
   * the log, as the writer knows it ({@link ChangeLog#appendedInThisTransaction}), without reading
   * the log back. Reading it back was a round trip to the database before every push's answer, and
   * on a hub sharing its cores a round trip is mostly the wait to be scheduled again ({@code bench
   * fleet}). The other instances' writes, which this one cannot know, wait for the poll
   * ({@link #catchUp}), as they did. A writer that appended more than the list keeps (an import)
   * reads the log as the poll does.
   */
  public void committed() {
    Optional<List<Change>> mine = ChangeLog.appendedInThisTransaction();
    if (mine.isEmpty()) {
      catchUp();
      return;
    }
    try {
      mine.get().forEach(this::evict);
    } catch (RuntimeException e) {
      // the write has committed: it must not fail now; an empty cache is always right
      LOG.log(Level.FINE, "caches not evicted; dropping them", e);
      dropEverything();
    }
  }

  /**
   * Reads the entries after the cursor and evicts what they name; never throws. Writers that commit
   * at the same moment share one read: a caller that waited for the reader before it returns at once
   * when that read began after the caller's commit (a hundred pushes a second made a log read each,
   * most of them empty: {@code bench fleet}).
   */
  public void catchUp() {
    long mine = asked.incrementAndGet();
    reading.lock();
    try {
      if (covered >= mine) {
        return;
      }
      long starting = asked.get();
      readAll();
      covered = starting;
    } finally {
      reading.unlock();
    }
  }

  /** The read itself, under {@link #reading}: the caches follow the log to its head, or are dropped. */
  private void readAll() {
    try {
      while (true) {
        ChangeLog.Page page = log.read(cursor, ChangeLog.MAX_PAGE);
        List<ChangeLog.Stored> entries = page.entries();
        if (entries.isEmpty()) {
          return;
        }
        if (entries.getFirst().seq() != cursor + 1) {
          // positions have no gaps: a jump means entries were pruned before this hub read them
          dropEverything();
        } else {
          entries.forEach(this::evict);
        }
        cursor = page.next();
        if (entries.size() < ChangeLog.MAX_PAGE) {
          return;
        }
      }
    } catch (RuntimeException e) {
      // the write it follows has committed: it must not fail now; an empty cache is always right
      LOG.log(Level.FINE, "change log not read; dropping the read caches", e);
      dropEverything();
    }
  }

  private void dropEverything() {
    bags.evictAll();
    bills.evictAll();
    accounts.accept(null);
  }

  private void evict(ChangeLog.Stored stored) {
    Optional<Change> change = WIRE.change(new ChangeEntry(stored.seq(), stored.type(), stored.entityKey(),
        stored.at().toInstant(), stored.origin(), stored.payload()));
    if (change.isEmpty()) {
      // a type this hub does not know (a newer instance's): it cannot say what it touched
      dropEverything();
      return;
    }
    evict(change.get());
  }

  private void evict(Change change) {
    switch (change) {
      case Change.Bag b -> bags.evict(List.of(b.code()));
      case Change.Link l -> {
        bags.evict(List.of(l.parent(), l.child()));
        bills.evictCarrying(l.parent());
      }
      case Change.Unlink u -> {
        bags.evict(List.of(u.parent(), u.child()));
        bills.evictCarrying(u.parent());
      }
      case Change.Finish f -> {
        bags.evict(List.of(f.parent()));
        bills.evictCarrying(f.parent());
      }
      case Change.BillFinalized f -> bills.evict(f.bill());
      case Change.BillReopened r -> bills.evict(r.bill());
      // a child's view shows its parent's bill, so the children go too
      case Change.BillParentAdded a -> {
        bags.evictWithChildren(a.parent());
        bills.evict(a.bill());
      }
      case Change.BillParentRemoved r -> {
        bags.evictWithChildren(r.parent());
        bills.evict(r.bill());
      }
      case Change.User u -> accounts.accept(u.username());
      case Change.ConflictOpened c -> { }
      // a MOVE's links come as their own Link and Unlink entries
      case Change.ConflictResolved c -> { }
      // receipts are read from their own table, which no cache holds
      case Change.BillReceived r -> { }
    }
  }
}
