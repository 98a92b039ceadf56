package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@code GET /api/v1/sync/changes} answers: a dock's page of the change log, waiting a while
 * (long poll) when there is nothing new yet.
 *
 * <p>A waiting reader wakes as soon as a writer on this instance commits ({@link #signal}, wired to
 * {@code HubDatabase.afterEachCommit}), and otherwise re-checks the database every {@link #RECHECK}:
 * hubs run as several stateless instances behind a balancer, and a change committed by another
 * instance has no way to signal this one. The wait blocks the request's own thread, which Helidon
 * runs as a virtual thread: a thousand waiting docks cost no platform threads.
 */
public final class ChangeFeed {

  /** How long a reader waits before looking at the database again for another instance's writes. */
  static final Duration RECHECK = Duration.ofMillis(300);

  /** The longest wait a dock may ask for: under the usual 60 s proxy timeouts, with room. */
  public static final int MAX_WAIT_MS = 30_000;

  public static final int DEFAULT_LIMIT = 500;

  private final ChangeLog log;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private long signals;

  public ChangeFeed(ChangeLog log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The answer: a page, or "your cursor is not one this hub can continue from". */
  public sealed interface Result {
    record Page(ChangePage page) implements Result {}

    /** {@code oldest} the oldest position held (0 if none), {@code head} the newest. */
    record SnapshotRequired(long oldest, long head) implements Result {}
  }

  /** A writer on this instance committed: wake the waiting readers to look. Cheap; never blocks long. */
  public void signal() {
    lock.lock();
    try {
      signals++;
      committed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The entries after {@code after} that {@code audience} hears, at most {@code limit}; when none
   * are there, waits up to {@code waitMs} for one.
   *
   * <p>A cursor below the oldest held position - 1 asks for entries pruned away; one above the
   * head was never handed out by this database (another hub's, or one from before a restore): both
   * get {@link Result.SnapshotRequired}, never a page that silently leaves a gap. The check is made
   * again after every read, so a prune that runs while this call waits or reads is caught too.
   */
  public Result changes(long after, int limit, int waitMs, ChangeLog.Audience audience) throws InterruptedException {
    if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
      throw new IllegalArgumentException("waitMs must be 0.." + MAX_WAIT_MS + ": " + waitMs);
    }
    long head = log.head();
    long oldest = log.oldest().orElse(head + 1);
    if (after > head || after < oldest - 1) {
      return new Result.SnapshotRequired(log.oldest().orElse(0L), head);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    long cursor = after;
    while (true) {
      long seen = signalsNow();
      long from = cursor;
      ChangeLog.Page page = log.read(from, limit, audience);
      // a prune may have run between the check above (or the last round) and this read: it removes
      // only a prefix, so the page is whole exactly when what is held still starts at or below from + 1
      Optional<Long> held = log.oldest();
      if (held.isPresent() && from < held.get() - 1) {
        return new Result.SnapshotRequired(held.get(), log.head());
      }
      // entries for other docks move the cursor on even when this dock hears none of them
      cursor = page.next();
      long left = deadline - System.nanoTime();
      if (!page.entries().isEmpty() || left <= 0) {
        return new Result.Page(new ChangePage(entries(page.entries()), cursor, Math.max(cursor, log.head())));
      }
      awaitSignal(seen, Math.min(left, RECHECK.toNanos()));
    }
  }

  /** What an integrator's read of the whole log came to ({@link #all}). */
  public sealed interface Whole {
    /** Every entry after the cursor, at most the limit; {@code next} is the last one's position. */
    record Page(List<ChangeLog.Stored> entries, long next, long head) implements Whole {}

    /** The cursor is below what the log still holds: those entries were pruned. */
    record Gone(long oldest, long head) implements Whole {}

    /** The cursor is past the head: no position this log handed out. */
    record Ahead(long head) implements Whole {}
  }

  /**
   * Every entry after {@code after} (for every audience, hub-only ones too), at most {@code limit};
   * when none are there, waits up to {@code waitMs} for one, woken by commits as docks are. For the
   * events feed; the same prune check as {@link #changes}.
   */
  public Whole all(long after, int limit, int waitMs) throws InterruptedException {
    return all(after, limit, waitMs, null);
  }

  /**
   * {@link #all(long, int, int)} confined to the entries {@code visible} lets through (null: all);
   * a commit it does not let through moves the cursor on and the wait goes on, so a confined
   * reader is woken by what it may see, and its {@code next} steps over the rest.
   */
  public Whole all(long after, int limit, int waitMs, org.jooq.Condition visible) throws InterruptedException {
    if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
      throw new IllegalArgumentException("waitMs must be 0.." + MAX_WAIT_MS + ": " + waitMs);
    }
    long head = log.head();
    if (after > head) {
      return new Whole.Ahead(head);
    }
    Optional<Long> held = log.oldest();
    if (held.isPresent() && after < held.get() - 1) {
      return new Whole.Gone(held.get(), head);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    long cursor = after;
    while (true) {
      long seen = signalsNow();
      ChangeLog.Page page = visible == null ? log.read(cursor, limit) : log.read(cursor, limit, visible);
      if (cursor == after) {
        // a prune may have run between the check above and this read: the same check again (as for docks)
        held = log.oldest();
        if (held.isPresent() && after < held.get() - 1) {
          return new Whole.Gone(held.get(), log.head());
        }
      }
      cursor = Math.max(cursor, page.next());
      long left = deadline - System.nanoTime();
      if (!page.entries().isEmpty() || left <= 0) {
        return new Whole.Page(page.entries(), cursor, Math.max(cursor, log.head()));
      }
      awaitSignal(seen, Math.min(left, RECHECK.toNanos()));
    }
  }

  private long signalsNow() {
    lock.lock();
    try {
      return signals;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a signal after {@code seen}, or {@code nanos}; a signal between the read and here is not lost. */
  private void awaitSignal(long seen, long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (signals == seen && left > 0) {
        left = committed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private static List<ChangeEntry> entries(List<ChangeLog.Stored> stored) {
    return stored.stream()
        .map(s -> new ChangeEntry(s.seq(), s.type(), s.entityKey(), s.at().toInstant(), s.origin(), s.payload()))
        .toList();
  }
}
