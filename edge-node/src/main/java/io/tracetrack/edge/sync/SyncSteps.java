package io.tracetrack.edge.sync;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * One push and one pull, as both the background {@link SyncWorker} and {@code sync --once} run them:
 * push every pending batch, pull (snapshot first if the replica needs one) until the hub's head.
 * Each hub answer is recorded ({@link SyncStore#recordAttempt}) so status shows online/offline and
 * why. No waiting and no retries here: that is the caller's policy.
 */
final class SyncSteps {

  /**
   * Ops per push: the hub's maximum. A batch costs the hub one transaction and one take of the
   * change-log head whatever its size, so a dock catching up after days offline sends the fewest.
   */
  static final int PUSH_BATCH = WireCodec.MAX_BATCH;
  /** Acknowledgements sent to the hub per push round at most. */
  static final int ACKS_PER_ROUND = 100;

  /** Entries per change page asked for (the hub's maximum). */
  static final int PULL_LIMIT = 1000;
  /** How often bootstrap progress goes to the console. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  /** Snapshot lines between two progress readings (a reading is one small object). */
  private static final int PROGRESS_LINES = 1000;

  /** What a push run added up to. {@code stalled}: it stopped at ops the hub holds (a gap) rather than at the end. */
  record Pushed(int pushed, int applied, int duplicates, int rejected, int held, boolean stalled) {
    static final Pushed NONE = new Pushed(0, 0, 0, 0, 0, false);

    Pushed plus(SyncStore.PushCounts c, boolean stalledNow) {
      return new Pushed(pushed + c.pushed(), applied + c.applied(), duplicates + c.duplicates(), rejected + c.rejected(),
          held + c.held(), stalledNow);
    }
  }

  private final SyncStore store;
  private final HubApi hub;
  private final Clock clock;
  private final String version;
  private final Consumer<String> console;
  /**
   * Where a push call runs: a virtual thread of its own in the product, so the next batch goes out
   * while the hub applies the one before. The seeded simulator passes a direct executor (the call
   * runs on the caller's thread at once), which keeps a run deterministic; the loop's logic is the same.
   */
  private final Executor pushCalls;
  private volatile SyncStore.Progress bootstrap;
  /** Ops per push; read from the store on first use. Only the push loop uses it. */
  private Integer pushLimit;
  private static final io.tracetrack.sync.WireCodec CODEC = new io.tracetrack.sync.WireCodec();

  SyncSteps(SyncStore store, HubApi hub, Clock clock, String version, Consumer<String> console) {
    this(store, hub, clock, version, console, SyncSteps::onVirtualThread);
  }

  SyncSteps(SyncStore store, HubApi hub, Clock clock, String version, Consumer<String> console, Executor pushCalls) {
    this.pushCalls = Objects.requireNonNull(pushCalls, "pushCalls");
    this.store = Objects.requireNonNull(store, "store");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.version = Objects.requireNonNull(version, "version");
    this.console = Objects.requireNonNull(console, "console");
  }

  /** The snapshot being loaded right now, if one is. */
  Optional<SyncStore.Progress> bootstrap() {
    return Optional.ofNullable(bootstrap);
  }

  /**
   * Pushes batch after batch until nothing is pending, or only ops the hub holds back (a gap in
   * seq). Two batches are in flight: the next goes out while the hub applies the one before, so a
   * catch-up is not one round trip per batch. The hub applies an edge's batches one at a time in
   * seq order (it locks the edge's progress row); a batch that overtakes the one sent before it is
   * answered HELD with an older {@code lastSeq} than the reply already recorded, and is then simply
   * sent again. Replies are recorded in send order, never an older word over a newer one.
   *
   * <p>It pushes what was pending when it began (up to {@link SyncStore#lastOutboxSeq}), not what is
   * scanned while it runs: a dock scanning faster than one round trip would otherwise keep one
   * {@code sync --once} going for as long as it scans. The worker's push loop comes straight back
   * for those (each scan nudges it).
   */
  HubClient.Result<Pushed> pushAll() {
    Pushed total = Pushed.NONE;
    long answered = -1;
    long upTo = store.lastOutboxSeq();
    PushBatch batch = null;
    Future<HubClient.Result<PushReply>> inFlight = null;
    while (true) {
      if (batch == null) {
        Optional<PushBatch> fresh = store.nextBatch(0, pushLimit(), SqliteSyncStore.MAX_BATCH_OP_BYTES, version);
        if (fresh.isEmpty() || fresh.get().ops().getFirst().id().seq() > upTo) {
          sendAcks();
          sendReceipts();
          return new HubClient.Result.Ok<>(total);
        }
        batch = fresh.get();
        inFlight = send(batch);
      }
      Optional<PushBatch> next = batch.ops().getLast().id().seq() >= upTo ? Optional.empty()
          : store.nextBatch(batch.ops().getLast().id().seq(), pushLimit(), SqliteSyncStore.MAX_BATCH_OP_BYTES, version);
      Future<HubClient.Result<PushReply>> nextInFlight = next.map(this::send).orElse(null);
      int sentOps = batch.ops().size();
      switch (await(inFlight)) {
        case HubClient.Result.Ok<PushReply>(PushReply reply) -> {
          store.recordAttempt(true, clock.instant(), null);
          if (reply.lastSeq() < answered) {
            // it overtook the batch before it: drop this older word (and the one behind it) and
            // go on from what the hub has answered, which sends both again
            await(nextInFlight);
            batch = null;
            continue;
          }
          SyncStore.PushCounts counts = store.recordReply(batch, reply);
          if (counts.renumbered() > 0) {
            // a restored backup: the ops from the reused seq on moved to fresh seqs; the batch
            // behind this one went out under the old ones, so its answer means nothing now
            console.accept("sync: the hub holds other ops under seqs this dock reused (a restored backup); "
                + counts.renumbered() + " ops moved to fresh seqs and sent again");
            await(nextInFlight);
            total = total.plus(counts, false);
            // the moved ops sit above the bound now: they were pending when this round began
            upTo = Math.max(upTo, store.lastOutboxSeq());
            batch = null;
            continue;
          }
          // the hub answered nothing new (every op HELD, or a store handing out the same batch
          // again): pushing again now would only repeat it; the caller's next round retries
          boolean stalled = reply.lastSeq() <= answered || counts.held() == batch.ops().size();
          total = total.plus(counts, stalled);
          if (stalled) {
            settle(next, nextInFlight, reply.lastSeq());
            return new HubClient.Result.Ok<>(total);
          }
          answered = reply.lastSeq();
          // nothing was pending past this batch when it went out: look again (a scan since then)
          batch = next.orElse(null);
          inFlight = nextInFlight;
        }
        case HubClient.Result.Refused<PushReply> r when r.status() == 413 && sentOps > 1 -> {
          // too large for the hub: never the same again; half as many ops from now on
          int smaller = Math.max(1, batch.ops().size() / 2);
          String why = String.format(Locale.ROOT, "push batches cut to %d ops: the hub refused a batch of %d ops (%d "
              + "bytes) as too large (HTTP 413)", smaller, batch.ops().size(), CODEC.encode(batch).length());
          console.accept("sync: " + why);
          pushLimit = smaller;
          store.recordPushLimit(smaller, why);
          settle(next, nextInFlight, answered);
          batch = null;
        }
        case HubClient.Result.Refused<PushReply> r -> {
          settle(next, nextInFlight, answered);
          return recordRefusal(r);
        }
        case HubClient.Result.Unreachable<PushReply> u -> {
          settle(next, nextInFlight, answered);
          return recordUnreachable(u);
        }
      }
    }
  }

  /** Ops per push: the hub's maximum, or less after the hub answered 413 (kept in the store). */
  private int pushLimit() {
    if (pushLimit == null) {
      Integer stored = store.pushLimit();
      pushLimit = stored == null ? PUSH_BATCH : Math.max(1, Math.min(stored, PUSH_BATCH));
    }
    return pushLimit;
  }

  /**
   * Asks the hub who it takes this dock for ({@code hello}): its area, and the last seq it holds
   * from this edge, which moves new scans past it after a restored backup. A hub without hello
   * (404) has nothing to say: Ok.
   *
   * @return true when a restore was detected
   */
  HubClient.Result<Boolean> hello() {
    return switch (hub.hello()) {
      case HubClient.Result.Ok<HubApi.Hello>(HubApi.Hello hello) -> {
        store.recordAttempt(true, clock.instant(), null);
        boolean restored = store.recordHello(hello);
        if (restored) {
          console.accept("sync: the hub holds ops up to seq " + hello.lastSeq()
              + " from this dock, past its own: a restored backup; new scans continue above it");
        }
        yield new HubClient.Result.Ok<>(restored);
      }
      case HubClient.Result.Refused<HubApi.Hello> r when r.status() == 404 -> new HubClient.Result.Ok<>(false);
      case HubClient.Result.Refused<HubApi.Hello> r -> recordRefusal(r);
      case HubClient.Result.Unreachable<HubApi.Hello> u -> recordUnreachable(u);
    };
  }

  private Future<HubClient.Result<PushReply>> send(PushBatch batch) {
    FutureTask<HubClient.Result<PushReply>> call = new FutureTask<>(() -> hub.push(batch));
    pushCalls.execute(call);
    return call;
  }

  private static void onVirtualThread(Runnable call) {
    Thread.ofVirtual().name("sync-push-call").start(call);
  }

  private static HubClient.Result<PushReply> await(Future<HubClient.Result<PushReply>> call) {
    if (call == null) {
      return new HubClient.Result.Unreachable<>("not sent");
    }
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HubClient.Result.Unreachable<>("interrupted");
    } catch (ExecutionException e) {
      return new HubClient.Result.Unreachable<>("push failed: " + e.getCause());
    }
  }

  /**
   * The batch sent behind one that ended the round: its answer is the hub's word on its ops, so it
   * is recorded before the round ends, unless it is older than {@code recorded} (it overtook).
   */
  private void settle(Optional<PushBatch> next, Future<HubClient.Result<PushReply>> nextInFlight, long recorded) {
    if (nextInFlight != null && await(nextInFlight) instanceof HubClient.Result.Ok<PushReply>(PushReply reply)
        && reply.lastSeq() >= recorded) {
      store.recordReply(next.orElseThrow(), reply);
    }
  }

  /**
   * Tells the hub of acknowledgements made at the dock that it has not taken yet (made offline, or
   * whose background call failed): a courtesy to the admin's view, so a failure just waits for the
   * next round.
   */
  private void sendAcks() {
    for (long id : store.unsentAcks(ACKS_PER_ROUND)) {
      switch (hub.ack(id)) {
        case HubClient.Result.Ok<Long> ok -> store.ackSent(id);
        // the hub no longer has it, or never had it (a dock-made placeholder): nothing to tell
        case HubClient.Result.Refused<Long> r when r.status() == 404 -> store.ackSent(id);
        case HubClient.Result.Refused<Long> r -> {
          return;
        }
        case HubClient.Result.Unreachable<Long> u -> {
          return;
        }
      }
    }
  }

  /**
   * Sends the receipts closed at this dock that the hub has not taken yet, oldest first. A receipt
   * the hub will never take (it has no such bill, or cannot read it) keeps the hub's reason and is
   * not sent again; any other failure (unreachable, a hub without receiving) waits for the next round.
   */
  private void sendReceipts() {
    for (io.tracetrack.sync.ReceiptReport receipt : store.unsentReceipts(ACKS_PER_ROUND)) {
      switch (hub.receipt(receipt)) {
        case HubClient.Result.Ok<Long>(Long id) -> store.receiptAnswered(receipt.key(), id, null);
        // the same receipt will never be taken: keep why, and let the ones behind it go
        case HubClient.Result.Refused<Long> r when ErrorCode.BILL_NOT_FOUND.name().equals(r.code()) || r.status() == 400
            || r.status() == 413 -> {
          String why = "the hub refused the receipt of bill " + receipt.bill() + " (" + r.code() + ")"
              + (r.detail().isEmpty() ? "" : ": " + r.detail());
          console.accept("sync: " + why + "; it stays at this dock");
          store.receiptAnswered(receipt.key(), null, why);
        }
        case HubClient.Result.Refused<Long> r -> {
          return;
        }
        case HubClient.Result.Unreachable<Long> u -> {
          return;
        }
      }
    }
  }

  /**
   * Pulls until the replica is at the hub's head: a snapshot first if it needs one, then change
   * pages. The first page may wait up to {@code firstWaitMs} for something new (a long poll); the
   * rest are read without waiting.
   *
   * @return how many changes (and snapshot rows: bags, users, conflicts) were taken
   */
  HubClient.Result<Long> pullAll(int firstWaitMs) {
    long pulled = 0;
    int waitMs = firstWaitMs;
    int snapshots = 0;
    while (true) {
      if (store.needsSnapshot()) {
        // a hub that asks for a snapshot right after one is broken; do not loop on it
        if (snapshots++ > 1) {
          return new HubClient.Result.Unreachable<>("the hub asked for a snapshot again right after one was loaded");
        }
        HubClient.Result<Long> loaded = loadSnapshot();
        if (!(loaded instanceof HubClient.Result.Ok<Long>(Long lines))) {
          return loaded;
        }
        pulled += lines;
        waitMs = 0;
      }
      long cursor = store.pullCursor();
      switch (hub.changes(cursor, PULL_LIMIT, waitMs)) {
        case HubClient.Result.Ok<HubClient.Pulled>(HubClient.Pulled.Page(ChangePage page)) -> {
          pulled += store.applyPage(page);
          store.recordAttempt(true, clock.instant(), null);
          if (store.needsSnapshot()) {
            // the page held an entry this dock could not read and skipped: repair by a snapshot now
            waitMs = 0;
            continue;
          }
          if (page.next() >= page.head() || page.next() <= cursor) {
            return new HubClient.Result.Ok<>(pulled);
          }
          waitMs = 0;
        }
        case HubClient.Result.Ok<HubClient.Pulled>(HubClient.Pulled.Unreadable(String reason)) -> {
          // the hub answered (it is reachable): a pull error at the cursor, then a snapshot past it
          console.accept("sync: " + reason + "; loading a snapshot");
          store.recordAttempt(true, clock.instant(), null);
          store.recordPullError(cursor, reason);
          if (snapshots > 0) {
            return new HubClient.Result.Unreachable<>(reason);
          }
        }
        case HubClient.Result.Ok<HubClient.Pulled>(HubClient.Pulled.SnapshotRequired s) -> {
          console.accept("sync: the hub no longer holds changes after " + cursor + "; loading a snapshot");
          store.requireSnapshot();
        }
        case HubClient.Result.Refused<HubClient.Pulled> r -> {
          return recordRefusal(r);
        }
        case HubClient.Result.Unreachable<HubClient.Pulled> u -> {
          return recordUnreachable(u);
        }
      }
    }
  }

  private HubClient.Result<Long> loadSnapshot() {
    Instant started = clock.instant();
    console.accept("sync: loading a snapshot from " + hub.hub());
    try (SyncStore.SnapshotLoader loader = store.snapshotLoader()) {
      bootstrap = loader.progress();
      Instant[] lastPrinted = {started};
      long[] lines = {0};
      HubClient.Result<Long> result = hub.snapshot(line -> {
        loader.accept(line);
        if (++lines[0] % PROGRESS_LINES == 0) {
          SyncStore.Progress p = loader.progress();
          bootstrap = p;
          Instant now = clock.instant();
          if (!now.isBefore(lastPrinted[0].plus(PROGRESS_EVERY))) {
            lastPrinted[0] = now;
            console.accept(progressLine(p));
          }
        }
      });
      return switch (result) {
        case HubClient.Result.Ok<Long> ok -> {
          try {
            loader.finish();
          } catch (IllegalStateException e) {
            yield recordUnreachable(new HubClient.Result.Unreachable<Long>("the snapshot was not whole: " + e.getMessage()));
          }
          SyncStore.Progress p = loader.progress();
          store.recordAttempt(true, clock.instant(), null);
          console.accept("sync: snapshot loaded, " + p.loaded() + " rows in "
              + Duration.between(started, clock.instant()).toMillis() + " ms");
          yield new HubClient.Result.Ok<>(p.loaded());
        }
        case HubClient.Result.Refused<Long> r -> recordRefusal(r);
        case HubClient.Result.Unreachable<Long> u -> recordUnreachable(u);
      };
    } finally {
      bootstrap = null;
    }
  }

  static String progressLine(SyncStore.Progress p) {
    long percent = p.total() <= 0 ? 0 : Math.min(100, p.loaded() * 100 / p.total());
    return String.format(Locale.ROOT, "sync: snapshot %d of %d rows (%d%%)", p.loaded(), p.total(), percent);
  }

  private <T> HubClient.Result<T> recordRefusal(HubClient.Result.Refused<?> r) {
    String why = "the hub refused this dock (" + r.code() + ", HTTP " + r.status() + ")"
        + (r.detail().isEmpty() ? "" : ": " + r.detail())
        + (r.credentialRefused() ? "; enrol the dock again with a new code" : "");
    store.recordAttempt(false, clock.instant(), why);
    return new HubClient.Result.Refused<>(r.status(), r.code(), why);
  }

  private <T> HubClient.Result<T> recordUnreachable(HubClient.Result.Unreachable<?> u) {
    store.recordAttempt(false, clock.instant(), "hub unreachable: " + u.why());
    return new HubClient.Result.Unreachable<>(u.why(), u.retryAfter());
  }
}
