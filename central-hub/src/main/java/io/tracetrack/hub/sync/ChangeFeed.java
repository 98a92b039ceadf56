package io.tracetrack.hub.sync;

import io.tracetrack.hub.db.SharedReads;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.WireCodec;
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
 *
 * <p>Waiting docks are served from a shared tail of the log ({@link Tail}): after a commit one
 * reader reads the new entries once and every dock waiting at the head takes its page from memory,
 * filtered by its audience as the database query would. Without it a commit woke every waiting
 * dock into queries of its own: a thousand docks at a hundred scans a second made hundreds of
 * thousands of queries a second ({@code bench fleet}). A dock behind the tail (catching up) reads
 * the database as before.
 */
public final class ChangeFeed {

  /** How long a reader waits before looking at the database again for another instance's writes. */
  static final Duration RECHECK = Duration.ofMillis(300);

  /** The longest wait a dock may ask for: under the usual 60 s proxy timeouts, with room. */
  public static final int MAX_WAIT_MS = 30_000;

  public static final int DEFAULT_LIMIT = 500;

  /**
   * How many answers a second the waiting docks of this instance are given, about, when commits come
   * faster than that: a dock woken by a commit waits for more before its answer goes, and the more
   * docks wait, the longer ({@link #linger}). Each answer is a request; without the wait every
   * waiting dock made one per commit (a thousand docks, a hundred commits a second: a hundred
   * thousand requests a second). A few docks are answered at once.
   */
  static final int ANSWERS_PER_SECOND = 1_000;

  /** The longest a woken dock waits for more: well inside the two seconds a scan may take to reach every dock. */
  static final Duration MAX_LINGER = Duration.ofSeconds(1);

  /**
   * Above this CPU load the linger stretches, up to twice its length at {@link #SATURATED}: the docks'
   * answers are work that can wait a little, a push is a dispatcher waiting, and past about 60 % of
   * two shared cores pushes begin to queue for them. Two hubs on one 2-core machine each answered
   * their 500 docks twice a second (2,466 answers/s), saturating it: push p99 473 ms against one
   * hub's 94 ms for the same fleet ({@code bench fleet}); on machines of their own each instance
   * keeps its full rate.
   */
  static final double BUSY = 0.6;

  static final double SATURATED = 0.8;

  /**
   * How a lingering reader waits, and what time it is: {@code Thread.sleep} and {@code
   * System.nanoTime}, but a test sees what was asked and moves the time itself.
   */
  interface Pace {
    Pace SYSTEM = new Pace() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(long nanos) throws InterruptedException {
        Thread.sleep(Duration.ofNanos(nanos));
      }
    };

    long nanoTime();

    void sleep(long nanos) throws InterruptedException;
  }

  /** Entries the shared tail keeps: minutes of a busy fleet, a few MB. */
  static final int TAIL_ENTRIES = 20_000;

  private static final WireCodec WIRE = new WireCodec();

  private final ChangeLog log;
  /** The head as read after a request came: the requests of one moment share the query. */
  private final SharedReads<Boolean, Long> heads;
  private final Tail tail = new Tail();
  /** Docks long-polling this instance now (in {@link #changes} with a wait). */
  private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private long signals;

  private final Pace pace;
  /** The machine's recent CPU load, 0 to 1 ({@link io.tracetrack.hub.ops.CpuLoad}). */
  private final java.util.function.DoubleSupplier cpuLoad;

  /** A feed on a machine whose CPU load is {@code cpuLoad}'s (0 to 1), which stretches the linger when busy. */
  public ChangeFeed(ChangeLog log, java.util.function.DoubleSupplier cpuLoad) {
    this(log, Pace.SYSTEM, cpuLoad);
  }

  /** A feed whose linger never stretches (tests, tools). */
  public ChangeFeed(ChangeLog log) {
    this(log, Pace.SYSTEM, () -> 0);
  }

  ChangeFeed(ChangeLog log, Pace pace, java.util.function.DoubleSupplier cpuLoad) {
    this.log = Objects.requireNonNull(log, "log");
    this.pace = Objects.requireNonNull(pace, "pace");
    this.cpuLoad = Objects.requireNonNull(cpuLoad, "cpuLoad");
    this.heads = new SharedReads<>("change-log-head", one -> java.util.Map.of(Boolean.TRUE, log.head()));
  }

  /** The answer: a page, or "your cursor is not one this hub can continue from". */
  public sealed interface Result {
    /**
     * A page; {@code encoded} its entries as the wire has them when they came from the shared
     * tail (each encoded once for every dock), else null.
     */
    record Page(ChangePage page, List<String> encoded) implements Result {
      public Page(ChangePage page) {
        this(page, null);
      }

      /** The page as {@code GET /api/v1/sync/changes} answers it. */
      public String wire() {
        return encoded == null ? WIRE.encode(page) : WIRE.encodePage(page.next(), page.head(), encoded);
      }
    }

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
    long arrived = pace.nanoTime();
    long deadline = arrived + TimeUnit.MILLISECONDS.toNanos(waitMs);
    // at the head, from the shared tail: no query of this dock's own (entries the tail holds were
    // committed, so no prune can take them from this answer)
    // the first look reads the head: the answer holds every commit made before the request came
    boolean exact = true;
    boolean longPoll = waitMs > 0;
    boolean lingered = false;
    if (longPoll) {
      waiting.incrementAndGet();
    }
    try {
      while (true) {
        long seen = signalsNow();
        Optional<Tail.Page> fromTail = tail.page(after, limit, audience, seen, exact);
        if (fromTail.isEmpty()) {
          break; // behind the tail (or ahead of it): the database
        }
        Tail.Page page = fromTail.get();
        long left = deadline - pace.nanoTime();
        if (longPoll && !lingered && !page.entries().isEmpty() && page.entries().size() < limit && left > 0) {
          // at the head with something new: while many docks poll, let the next few come too, so
          // each dock is answered about once a linger rather than once per commit (a dock that
          // is catching up, a full page, is answered at once). The linger counts from the poll's
          // arrival, not from the commit that woke it: a dock that has waited that long already
          // (a quiet moment) is answered at once. And each poll's is a little different: with one
          // length for all, every dock woken by one commit was answered in the same instant and
          // polled again in the next, a wave each linger that a push arriving then queued behind
          // for the two cores (push p99 0.7-0.9 s in bench fleet). Drawn from its last quarter, the
          // phases drift apart within a few answers and the answers come evenly; a wider draw (half
          // of it) made a third more answers for the same freshness.
          lingered = true;
          long linger = linger().toNanos();
          long until = arrived + linger - java.util.concurrent.ThreadLocalRandom.current().nextLong(linger / 4 + 1);
          long wait = Math.min(left, until - pace.nanoTime());
          if (wait > 0) {
            pace.sleep(wait);
            page = tail.page(after, limit, audience, signalsNow(), false).orElse(page);
          }
        }
        if (!page.entries().isEmpty() || left <= 0) {
          return new Result.Page(new ChangePage(page.entries(), page.next(), Math.max(page.next(), tail.head())), page.encoded());
        }
        awaitSignal(seen, Math.min(left, RECHECK.toNanos()));
        // woken by a commit here: the signal says the tail must be read again, and after that the
        // tail has it. Woken by the recheck instead: another instance may have committed, read the head
        exact = signalsNow() == seen;
      }
    } finally {
      if (longPoll) {
        waiting.decrementAndGet();
      }
    }
    long head = log.head();
    long oldest = log.oldest().orElse(head + 1);
    if (after > head || after < oldest - 1) {
      return new Result.SnapshotRequired(log.oldest().orElse(0L), head);
    }
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
      long left = deadline - pace.nanoTime();
      if (!page.entries().isEmpty() || left <= 0) {
        return new Result.Page(new ChangePage(entries(page.entries()), cursor, Math.max(cursor, log.head())));
      }
      awaitSignal(seen, Math.min(left, RECHECK.toNanos()));
    }
  }

  /**
   * How long a dock with something new waits for more: the docks long-polling this instance now,
   * answered about {@link #ANSWERS_PER_SECOND} a second between them, at most {@link #MAX_LINGER}.
   * Two docks: 2 ms; a thousand: a second. Each poll takes between three quarters of it and the whole,
   * counted from its arrival. On a busy machine it stretches ({@link #BUSY}): 500 docks, 0.5 s at
   * 60 % CPU and below, 1 s at 80 % and above.
   */
  Duration linger() {
    double stretch = 1 + Math.clamp((cpuLoad.getAsDouble() - BUSY) / (SATURATED - BUSY), 0.0, 1.0);
    long nanos = (long) (waiting.get() * (1_000_000_000L / ANSWERS_PER_SECOND) * stretch);
    return Duration.ofNanos(Math.min(nanos, MAX_LINGER.toNanos()));
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
    long deadline = pace.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
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
      long left = deadline - pace.nanoTime();
      if (!page.entries().isEmpty() || left <= 0) {
        return new Whole.Page(page.entries(), cursor, Math.max(cursor, log.head()));
      }
      awaitSignal(seen, Math.min(left, RECHECK.toNanos()));
    }
  }

  /**
   * The newest entries of the log, read once for every waiting dock. Brought up to the head by
   * whichever reader needs it first (a new request, a commit signal, a recheck for other
   * instances' commits); the others wait for that read instead of making their own.
   */
  private final class Tail {
    /** The entries in ({@code from}, {@code head}], oldest first. */
    private record Held(long from, long head, List<Fed> entries, long signals) {}

    /** A held entry, who hears it, and its wire form: encoded once, sent to every dock that hears it. */
    private record Fed(ChangeLog.Addressed addressed, ChangeEntry entry, String encoded) {
      static Fed of(ChangeLog.Addressed a) {
        ChangeEntry e = ChangeFeed.entry(a.entry());
        return new Fed(a, e, WIRE.encode(e));
      }
    }

    /** A dock's page from the tail: its entries, and the same entries encoded. */
    record Page(List<ChangeEntry> entries, List<String> encoded, long next) {}

    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Held held;

    long head() {
      Held h = held;
      return h == null ? log.head() : h.head();
    }

    /**
     * The page for a reader at {@code after}, or empty when the tail does not reach back to it
     * (the reader then reads the database). With {@code exact} the log's head is read first and the
     * tail brought up to it; without, the tail is brought up only if it was read before signal
     * {@code seen} (a commit on this instance signals after it committed).
     */
    Optional<Page> page(long after, int limit, ChangeLog.Audience audience, long seen, boolean exact) {
      Held h = current(seen, exact);
      if (h == null || after < h.from() || after > h.head()) {
        return Optional.empty();
      }
      List<ChangeEntry> out = new java.util.ArrayList<>();
      List<String> encoded = new java.util.ArrayList<>();
      long next = h.head();
      List<Fed> entries = h.entries();
      // the entries are in position order: start at the first after the reader's cursor, not at the
      // tail's oldest (a dock at the head walked all 20,000 held entries on every poll: a sixth of a
      // hub's CPU in bench fleet)
      for (int i = firstAfter(entries, after); i < entries.size(); i++) {
        Fed f = entries.get(i);
        ChangeLog.Addressed a = f.addressed();
        if (!a.heardBy(audience)) {
          continue;
        }
        out.add(f.entry());
        encoded.add(f.encoded());
        if (out.size() == limit) {
          next = a.entry().seq();
          break;
        }
      }
      return Optional.of(new Page(out, encoded, Math.max(after, next)));
    }

    /** The index of the first of {@code entries} (in position order) after position {@code after}. */
    static int firstAfter(List<Fed> entries, long after) {
      int low = 0;
      int high = entries.size();
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (entries.get(mid).addressed().entry().seq() <= after) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    private Held current(long seen, boolean exact) {
      Held h = held;
      long head = exact ? heads.get(Boolean.TRUE) : -1;
      if (h != null && (exact ? h.head() >= head : h.signals() >= seen)) {
        return h;
      }
      refreshing.lock();
      try {
        h = held;
        if (h != null && (exact ? h.head() >= head : h.signals() >= seen)) {
          return h; // another reader refreshed it while this one waited
        }
        long signalsBefore = signalsNow();
        head = log.head();
        if (h == null || head < h.head()) {
          // first use, or the log is not the one the tail came from (a restore): start at the head
          h = new Held(head, head, List.of(), signalsBefore);
        } else if (head > h.head()) {
          List<Fed> fresh = log.readAddressed(h.head(), head, TAIL_ENTRIES).stream().map(Fed::of).toList();
          long newHead = fresh.size() == TAIL_ENTRIES ? fresh.getLast().entry().seq() : head;
          List<Fed> all = new java.util.ArrayList<>(h.entries().size() + fresh.size());
          long from = h.from();
          if (fresh.isEmpty() || fresh.getFirst().entry().seq() != h.head() + 1) {
            // a prune took entries after the tail's head before they were read: the tail starts
            // again after the gap, and a reader before it goes to the database (and its snapshot check)
            from = fresh.isEmpty() ? head : fresh.getFirst().entry().seq() - 1;
          } else {
            all.addAll(h.entries());
          }
          all.addAll(fresh);
          if (all.size() > TAIL_ENTRIES) {
            List<Fed> dropped = all.subList(0, all.size() - TAIL_ENTRIES);
            from = dropped.getLast().entry().seq();
            all = new java.util.ArrayList<>(all.subList(all.size() - TAIL_ENTRIES, all.size()));
          }
          h = new Held(from, newHead, List.copyOf(all), signalsBefore);
        } else {
          h = new Held(h.from(), h.head(), h.entries(), signalsBefore);
        }
        held = h;
        return h;
      } finally {
        refreshing.unlock();
      }
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
    return stored.stream().map(ChangeFeed::entry).toList();
  }

  private static ChangeEntry entry(ChangeLog.Stored s) {
    return new ChangeEntry(s.seq(), s.type(), s.entityKey(), s.at().toInstant(), s.origin(), s.payload());
  }
}
