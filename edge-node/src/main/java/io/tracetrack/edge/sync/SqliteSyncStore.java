package io.tracetrack.edge.sync;

import static io.tracetrack.edge.db.jooq.Tables.BAG;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.receiving.ReceiptStore;
import io.tracetrack.edge.scan.EdgeMetaStore;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.model.UserNames;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.HybridClock;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import io.tracetrack.web.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The store side of sync on the dock's SQLite file: the outbox as batches, the hub's replies, the
 * replica of the hub ({@code hub_bag}, HUB users, this dock's conflicts) and the station's view
 * kept equal to the hub's state with this dock's pending ops replayed on top ({@link ReplicaView}).
 * Every method is one short write transaction, or a series of them (a snapshot), so the station's
 * scans never wait long behind sync.
 */
@Store
public final class SqliteSyncStore implements SyncStore {

  /**
   * At most this many change entries per transaction: a page of up to 1,000 is cut into steps, so a
   * scan waits behind a few milliseconds of sync, never behind a whole page.
   */
  static final int PAGE_STEP = 200;
  /**
   * How long a step (or a snapshot chunk) goes on writing before it rebases and commits, nanoseconds.
   * A scan waiting for the writer waits at most about this long plus a commit; a fixed count of
   * entries did not bound that (200 entries took 10 ms p50 but 70-260 ms under load, measured), a
   * clock read between entries does. Much shorter costs more commits (an fsync each) for the
   * same work.
   */
  static final long STEP_BUDGET_NANOS = 4_000_000;
  /**
   * Snapshot bag rows buffered before they are written (in transactions of at most
   * {@link #STEP_BUDGET_NANOS} each, {@link SnapshotLoad#ROWS_PER_STATEMENT} rows a statement).
   */
  static final int SNAPSHOT_CHUNK = 2_000;
  /**
   * View rows rebuilt per transaction after a staged snapshot: 2,000 held the writer 24 ms p50
   * (measured, loaded machine); without a commit fsync a smaller chunk costs little more in total.
   */
  static final int REBUILD_CHUNK = 500;

  private final EdgeDatabase db;
  private final Clock clock;
  private final OpCodec opCodec = new OpCodec();
  private final WireCodec wire = new WireCodec();
  private final PendingOps pending = new PendingOps();
  private final ReplicaView view;
  /** Where each sync transaction's duration goes (what it was, nanoseconds): tests print them; nothing by default. */
  private volatile Timings timings = (what, nanos) -> { };
  /** {@link #STEP_BUDGET_NANOS}; tests that need steps of a known length set it to forever. */
  private volatile long stepBudgetNanos = STEP_BUDGET_NANOS;
  /** {@link #PAGE_STEP}; the simulator sets fewer, with no time budget, so a seed splits a page the same way every run. */
  private volatile int stepEntries = PAGE_STEP;

  /** A sink for transaction durations. */
  @FunctionalInterface
  interface Timings {
    void accept(String what, long nanos);
  }

  public SqliteSyncStore(EdgeDatabase db, CodeGrammar grammar, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.view = new ReplicaView(new Reconciler(Objects.requireNonNull(grammar, "grammar")), pending);
  }

  // ------------------------------------------------------------------ push

  @Override
  public Optional<PushBatch> nextBatch(int max, String version) {
    return nextBatch(0, max, version);
  }

  @Override
  public Optional<PushBatch> nextBatch(long afterSeq, int max, String version) {
    return nextBatch(afterSeq, max, MAX_BATCH_OP_BYTES, version);
  }

  /**
   * Room left in a push body for everything but the ops: the batch's own fields (edge id, dock,
   * clock, version: a few hundred bytes at their longest) and the commas between ops, with margin.
   */
  static final int ENVELOPE_ROOM = 16 * 1024;
  /** The most bytes the encoded ops of one batch add up to: the hub's body limit less the envelope. */
  static final long MAX_BATCH_OP_BYTES = WireCodec.MAX_PUSH_BYTES - ENVELOPE_ROOM;

  @Override
  public Optional<PushBatch> nextBatch(long afterSeq, int max, long maxBytes, String version) {
    int limit = Math.max(1, Math.min(max, WireCodec.MAX_BATCH));
    return db.read(dsl -> {
      Record meta = dsl.fetchSingle("select edge_id, dock, acked_seq, hlc_floor_wall, hlc_floor_logical from edge_meta where id = 1");
      long acked = Math.max(meta.get(2, Long.class), afterSeq);
      List<Record> rows = dsl.fetch("select seq, op_json, created_at from outbox where seq > ? order by seq limit ?", acked, limit);
      if (rows.isEmpty()) {
        return Optional.<PushBatch>empty();
      }
      Record tail = dsl.fetchSingle("select seq, hlc_wall, hlc_logical from outbox order by seq desc limit 1");
      Hlc last = new Hlc(tail.get(1, Long.class), tail.get(2, Integer.class));
      List<OpEnvelope> ops = new ArrayList<>(rows.size());
      long bytes = 0;
      for (Record r : rows) {
        String json = r.get(1, String.class);
        // the op goes on the wire exactly as stored (the same codec wrote it), plus a comma
        long size = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
        if (!ops.isEmpty() && bytes + size > maxBytes) {
          break;
        }
        bytes += size;
        ops.add(opCodec.decode(json));
      }
      long pendingOps = tail.get(0, Long.class) - acked;
      return Optional.of(new PushBatch(meta.get(0, String.class), meta.get(1, String.class),
          HybridClock.tick(last, clock.millis()), pendingOps, rows.getFirst().get(2, Long.class), version, ops));
    });
  }

  @Override
  public long lastOutboxSeq() {
    return db.read(dsl -> dsl.fetchSingle("select coalesce(max(seq), 0) from outbox").get(0, Long.class));
  }

  @Override
  public PushCounts recordReply(PushBatch sent, PushReply reply) {
    Map<Long, OpEnvelope> bySeq = new HashMap<>();
    sent.ops().forEach(op -> bySeq.put(op.id().seq(), op));
    int applied = 0;
    int duplicates = 0;
    int rejected = 0;
    int held = 0;
    // the highest seq of this batch the hub compared and answered: acked_seq never moves past it,
    // whatever lastSeq says (after a restore the hub holds seqs this dock never sent it)
    long answered = sent.ops().isEmpty() ? 0 : sent.ops().getFirst().id().seq() - 1;
    Long reusedFrom = null;
    for (OpOutcome o : reply.outcomes()) {
      if (seqReused(o)) {
        reusedFrom = reusedFrom == null ? o.seq() : Math.min(reusedFrom, o.seq());
        continue;
      }
      switch (o.status()) {
        case APPLIED -> applied++;
        case DUPLICATE -> duplicates++;
        case REJECTED -> rejected++;
        case HELD -> held++;
      }
      if (o.status() != OpOutcome.Status.HELD && bySeq.containsKey(o.seq())) {
        answered = Math.max(answered, o.seq());
      }
    }
    long acked = Math.min(reply.lastSeq(), reusedFrom == null ? answered : Math.min(answered, reusedFrom - 1));
    Long reused = reusedFrom;
    long now = clock.millis();
    int[] renumbered = {0};
    db.writeSession(session -> {
      DSLContext dsl = session.dsl();
      // the hub's word is the truth: if it says less than we thought (it lost a commit), resend
      dsl.execute("update edge_meta set acked_seq = ? where id = 1", acked);
      dsl.execute("update sync_state set replica_seq = min(replica_seq, ?), last_sync_at = ? where id = 1",
          reply.lastSeq(), now);
      dsl.execute("delete from settle_point where last_seq > ?", acked);
      Set<String> dirty = new LinkedHashSet<>();
      for (OpOutcome o : reply.outcomes()) {
        OpEnvelope op = bySeq.get(o.seq());
        boolean refused = o.status() == OpOutcome.Status.REJECTED;
        boolean stoodWithNote = o.status() == OpOutcome.Status.APPLIED && o.code() != null;
        if (op == null || seqReused(o) || !(refused || stoodWithNote)) {
          continue;
        }
        insertConflict(dsl, o, op, sent.edgeId(), refused, now);
        if (refused) {
          dirty.addAll(TouchedBags.of(op.op()));
        }
      }
      if (reply.logPosition() != null && acked > 0) {
        dsl.execute("insert into settle_point (position, last_seq) values (?, ?) "
            + "on conflict (position) do update set last_seq = max(last_seq, excluded.last_seq)", reply.logPosition(), acked);
        // the pull may be there already (it ran while the push was under way)
        settle(dsl, dsl.fetchSingle("select pull_cursor from sync_state where id = 1").get(0, Long.class), dirty);
      }
      if (reused != null) {
        renumbered[0] = renumber(dsl, reused, reply.lastSeq(), now, dirty);
      }
      view.rebase(session, dirty, now);
      return null;
    });
    return new PushCounts(sent.ops().size(), applied, duplicates, rejected, held, renumbered[0]);
  }

  private static boolean seqReused(OpOutcome o) {
    return o.status() == OpOutcome.Status.REJECTED && ErrorCode.SEQ_REUSED.name().equals(o.code());
  }

  /**
   * Moves replica_seq up to the settle points the cursor has reached: the dock's ops up to their
   * seq are in the replica (those the hub applied as no-ops too), so the view stops replaying them;
   * the bags they touch are rebased onto the hub's state. In the caller's transaction, which moves
   * the cursor to {@code cursor}.
   */
  private long settle(DSLContext dsl, long cursor, Set<String> dirty) {
    long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    Long settled = dsl.fetchSingle("select max(last_seq) from settle_point where position <= ?", cursor).get(0, Long.class);
    dsl.execute("delete from settle_point where position <= ?", cursor);
    if (settled == null || settled <= replicaSeq) {
      return replicaSeq;
    }
    raiseReplicaSeq(dsl, replicaSeq, settled, dirty);
    return settled;
  }

  /**
   * Moves replica_seq from {@code from} up to {@code to}: this dock's ops in between stop being
   * replayed onto the view, so the bags they touch are rebased with the rest. Every raise goes
   * through here: an op that leaves the pending set unnamed keeps its effect in the view even when
   * the hub's state has since moved on (an earlier step replayed it over another dock's unlink:
   * simulation seed 1453).
   */
  private void raiseReplicaSeq(DSLContext dsl, long from, long to, Set<String> dirty) {
    for (String json : dsl.fetch("select op_json from outbox where seq > ? and seq <= ?", from, to)
        .getValues(0, String.class)) {
      dirty.addAll(TouchedBags.of(opCodec.decode(json).op()));
    }
    dsl.execute("update sync_state set replica_seq = ? where id = 1", to);
  }

  /**
   * The hub holds another op under {@code from} (SEQ_REUSED: this dock was restored from a backup,
   * and scans since then reused seqs the hub had): every op of this dock's outbox from {@code from}
   * on moves, in order, to the consecutive seqs right after the hub's last seq (and after this
   * dock's ops below {@code from}), with its envelope re-encoded (the same op, the same
   * fingerprint, a new seq); what refers to an op by its seq moves with it (a link's seq in the
   * view) and new scans continue above. Nothing is dropped.
   *
   * <p>Consecutive, not shifted: the outbox itself may have a gap here (a hello raised the floor
   * between two scans of a restored dock), and the hub holds every op behind a missing seq, so a
   * gap carried over would hold the later ops for ever (simulation seed 107509).
   *
   * @return how many ops moved
   */
  private int renumber(DSLContext dsl, long from, long hubLastSeq, long now, Set<String> dirty) {
    String edgeId = dsl.fetchSingle("select edge_id from edge_meta where id = 1").get(0, String.class);
    Record below = dsl.fetchOne("select seq from outbox where seq < ? order by seq desc limit 1", from);
    long base = Math.max(hubLastSeq, below == null ? 0 : below.get(0, Long.class));
    List<Record> rows = dsl.fetch("select seq, op_json from outbox where seq >= ? order by seq", from);
    if (rows.isEmpty() || base < from) {
      return 0;
    }
    pending.clear();
    // old seq -> new seq, for the view's links: one pass over the bags, not one per moved op
    dsl.execute("create temp table if not exists seq_move (old_seq integer primary key, new_seq integer not null)");
    dsl.execute("delete from seq_move");
    long next = base;
    for (Record r : rows) {
      long seq = r.get(0, Long.class);
      long to = ++next;
      OpEnvelope was = opCodec.decode(r.get(1, String.class));
      OpEnvelope moved = new OpEnvelope(new io.tracetrack.sync.OpId(edgeId, to), was.hlc(), was.actor(),
          was.dock(), was.station(), was.op());
      dirty.addAll(TouchedBags.of(was.op()));
      // negative first: seqs are a primary key, and a row moved up may land on one not moved yet
      dsl.update(OUTBOX).set(OUTBOX.SEQ, -to).set(OUTBOX.OP_JSON, opCodec.encode(moved)).where(OUTBOX.SEQ.eq(seq)).execute();
      dsl.execute("insert into seq_move (old_seq, new_seq) values (?, ?)", seq, to);
    }
    dsl.update(OUTBOX).set(OUTBOX.SEQ, OUTBOX.SEQ.neg()).where(OUTBOX.SEQ.lt(0L)).execute();
    // set-based: one statement moves every link's seq, whatever the number of ops moved
    dsl.update(BAG).set(BAG.LINK_SEQ, DSL.select(MOVED_TO).from(SEQ_MOVE).where(MOVED_FROM.eq(BAG.LINK_SEQ)))
        .where(BAG.LINK_SEQ.in(DSL.select(MOVED_FROM).from(SEQ_MOVE))).execute();
    dsl.execute("delete from seq_move");
    dsl.execute("update edge_meta set seq_floor = max(seq_floor, ?) where id = 1", next);
    String notice = String.format(java.util.Locale.ROOT, "a restored backup was detected: the hub holds other ops "
        + "under seq %d and later, so this dock's %d unsent ops from seq %d on were moved to seq %d-%d and sent again; "
        + "nothing was lost", from, rows.size(), from, base + 1, next);
    dsl.execute("update sync_state set restore_detected_at = ?, notice = ? where id = 1", now, notice);
    return rows.size();
  }

  /** The old seq to new seq of a renumbering ({@code temp.seq_move}, made per connection: not a generated table). */
  private static final org.jooq.Table<?> SEQ_MOVE = DSL.table(DSL.name("seq_move"));
  private static final org.jooq.Field<Long> MOVED_FROM = DSL.field(DSL.name("seq_move", "old_seq"), Long.class);
  private static final org.jooq.Field<Long> MOVED_TO = DSL.field(DSL.name("seq_move", "new_seq"), Long.class);

  @Override
  public boolean recordHello(HubApi.Hello hello) {
    long now = clock.millis();
    return db.write(dsl -> {
      if (hello.area() != null) {
        EdgeMetaStore.setArea(dsl, hello.area());
      }
      if (hello.lastSeq() == null) {
        return false;
      }
      return raiseFloor(dsl, hello.lastSeq(), now, "the hub holds");
    });
  }

  /**
   * When {@code heldByHub}, a seq the hub holds from this dock, is past every seq this dock has made
   * or reserved, the dock was restored from a backup (or its folder copied): new scans must not
   * reuse those seqs, so the floor moves up to it and status says a restore was detected. Told by
   * hello, and by the dock's own ops coming back in the change log, whichever comes first (a dock
   * that pulls before it ever says hello must not hand out a seq its log already names).
   *
   * @return whether the floor moved
   */
  private static boolean raiseFloor(DSLContext dsl, long heldByHub, long now, String source) {
    Record meta = dsl.fetchSingle("select seq_floor from edge_meta where id = 1");
    Record tail = dsl.fetchOne("select seq from outbox order by seq desc limit 1");
    long localMax = Math.max(meta.get(0, Long.class), tail == null ? 0 : tail.get(0, Long.class));
    if (heldByHub <= localMax) {
      return false;
    }
    dsl.execute("update edge_meta set seq_floor = ? where id = 1", heldByHub);
    dsl.execute("update sync_state set restore_detected_at = ?, notice = ? where id = 1", now, String.format(
        java.util.Locale.ROOT, "a restored backup was detected: %s ops up to seq %d from this dock, which "
            + "has only up to %d; new scans continue from seq %d", source, heldByHub, localMax, heldByHub + 1));
    return true;
  }

  @Override
  public void recordPushLimit(Integer limit, String why) {
    db.write(dsl -> dsl.execute("update sync_state set push_limit = ?, notice = coalesce(?, notice) where id = 1", limit, why));
  }

  @Override
  public Integer pushLimit() {
    return db.read(dsl -> dsl.fetchSingle("select push_limit from sync_state where id = 1").get(0, Integer.class));
  }

  /** The dock's own record of a refusal, until the hub's full conflict.v1 arrives and overwrites it. */
  private static void insertConflict(DSLContext dsl, OpOutcome o, OpEnvelope op, String edgeId, boolean refused, long now) {
    // a refusal without a hub record still needs a key: the op's seq, negated, cannot clash with a hub id
    long id = o.conflictId() != null ? o.conflictId() : -op.id().seq();
    List<String> codes = TouchedBags.of(op.op());
    String child = op.op() instanceof Op.Link || op.op() instanceof Op.Unlink ? codes.get(1) : null;
    dsl.execute("insert into conflict (id, edge_id, op_seq, code, message, op_type, parent, child, actor, station, "
            + "hub_at, op_applied) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
        id, edgeId, op.id().seq(), o.code(), o.message() == null ? o.code() : o.message(), op.op().type(),
        codes.getFirst(), child, op.actor(), op.station(), now, refused ? 0 : 1);
  }

  // ------------------------------------------------------------------ pull

  @Override
  public long pullCursor() {
    return db.read(dsl -> dsl.fetchSingle("select pull_cursor from sync_state where id = 1").get(0, Long.class));
  }

  @Override
  public boolean needsSnapshot() {
    return db.read(dsl -> dsl.fetchSingle("select snapshot_required from sync_state where id = 1").get(0, Integer.class) != 0);
  }

  @Override
  public void requireSnapshot() {
    db.write(dsl -> dsl.execute("update sync_state set snapshot_required = 1 where id = 1"));
  }

  @Override
  public int applyPage(ChangePage page) {
    resumeRebuild();
    List<ChangeEntry> entries = page.entries();
    // decoded before any transaction: JSON parsing is CPU the writer's lock need not be held for
    // entry by entry: one the dock cannot read is skipped (and reported), never a stop for the rest
    List<Optional<Change>> changes = new ArrayList<>(entries.size());
    Map<Integer, String> unreadable = new HashMap<>();
    for (ChangeEntry entry : entries) {
      try {
        changes.add(wire.change(entry));
      } catch (io.tracetrack.sync.CodecException | IllegalArgumentException e) {
        unreadable.put(changes.size(), entry.type() + " at " + entry.seq() + " cannot be read: " + e.getMessage());
        changes.add(Optional.empty());
      }
    }
    int applied = 0;
    int from = 0;
    do {
      int start = from;
      long[] locked = new long[2];
      Step step = db.writeReplayable(session -> {
        locked[0] = System.nanoTime();
        Step done = applyStep(session, entries, changes, unreadable, start, page.next());
        locked[1] = System.nanoTime();
        return done;
      });
      long committed = System.nanoTime();
      // the time this step held the writer (to after its commit): what a scan may have waited behind
      timings.accept("page.step", committed - locked[0]);
      timings.accept("page.commit", committed - locked[1]);
      applied += step.applied();
      from = step.to();
    } while (from < entries.size());
    return applied;
  }

  /** How far a step got (the index after its last entry) and how many entries it applied. */
  private record Step(int to, int applied) {}

  /**
   * One short transaction of a page: entries from {@code from} until the step's time budget or
   * {@link #PAGE_STEP} entries are used up, the rebase of what they touch, and the cursor to the
   * last entry taken (to the page's {@code next} when that was the page's last, past entries the
   * hub filtered out).
   */
  private Step applyStep(EdgeDatabase.Session session, List<ChangeEntry> entries, List<Optional<Change>> changes,
      Map<Integer, String> unreadable, int from, long pageNext) {
    // the budget counts from here, not from before the lock: time spent waiting behind a scan is not this step's
    long startedNanos = System.nanoTime();
    long now = clock.millis();
    DSLContext dsl = session.dsl();
    Record state = dsl.fetchSingle("select pull_cursor, replica_seq from sync_state where id = 1");
    long cursor = state.get(0, Long.class);
    long replicaSeqBefore = state.get(1, Long.class);
    long replicaSeq = replicaSeqBefore;
    String edgeId = dsl.fetchSingle("select edge_id from edge_meta where id = 1").get(0, String.class);
    String ownOrigin = "edge:" + edgeId + ":";
    long ownSeen = 0;
    Set<String> dirty = new LinkedHashSet<>();
    int applied = 0;
    int limit = Math.min(entries.size(), from + stepEntries);
    long budget = stepBudgetNanos;
    int i = from;
    // at least one entry a step, or a slow moment would never move on
    while (i < limit && (i == from || System.nanoTime() - startedNanos < budget)) {
      ChangeEntry entry = entries.get(i);
      Optional<Change> change = changes.get(i);
      i++;
      if (entry.seq() > cursor && unreadable.containsKey(i - 1)) {
        // skipped: the replica may now miss what it said, so the next pull loads a snapshot
        skipUnreadable(dsl, entry.seq(), unreadable.get(i - 1));
        continue;
      }
      if (entry.seq() <= cursor || change.isEmpty()) {
        continue; // applied before (a page taken twice changes nothing more), or a newer hub's type: skipped
      }
      Replica.apply(session, change.get(), entry, edgeId, dirty);
      applied++;
      if (entry.origin().startsWith(ownOrigin)) {
        long own = parseSeq(entry.origin().substring(ownOrigin.length()));
        replicaSeq = Math.max(replicaSeq, own);
        ownSeen = Math.max(ownSeen, own);
      }
    }
    if (ownSeen > 0) {
      raiseFloor(dsl, ownSeen, now, "the hub's change log names");
    }
    long stepEnd = i == entries.size() ? pageNext : entries.get(i - 1).seq();
    if (replicaSeq > replicaSeqBefore) {
      raiseReplicaSeq(dsl, replicaSeqBefore, replicaSeq, dirty);
    }
    // ops the hub answered up to a position the cursor now reaches are in the replica: settled
    settle(dsl, Math.max(cursor, stepEnd), dirty);
    long rebaseFrom = System.nanoTime();
    timings.accept("page.entries", rebaseFrom - startedNanos);
    view.rebase(session, dirty, now);
    timings.accept("page.rebase", System.nanoTime() - rebaseFrom);
    dsl.execute("update sync_state set pull_cursor = ?, last_sync_at = ? where id = 1", Math.max(cursor, stepEnd), now);
    return new Step(i, applied);
  }

  private static void skipUnreadable(DSLContext dsl, long position, String reason) {
    String shortReason = reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    dsl.execute("update sync_state set pull_error_position = ?, pull_error_reason = ?, "
        + "pull_errors_total = pull_errors_total + 1, snapshot_required = 1 where id = 1", position, shortReason);
  }

  @Override
  public void recordPullError(long position, String reason) {
    db.write(dsl -> {
      skipUnreadable(dsl, position, reason);
      return null;
    });
  }

  private static long parseSeq(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0; // an origin this dock did not write in that form: not one of its ops
    }
  }

  static Long epochMillis(String isoInstant) {
    if (isoInstant == null) {
      return null;
    }
    try {
      return Instant.parse(isoInstant).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Upserts a hub user; true when it was one this dock keeps (a known role and a valid name). */
  static boolean upsertUser(DSLContext dsl, Change.User user, long now) {
    Optional<String> name = UserNames.normalize(user.username());
    Optional<Role> role = roleOf(user.role());
    if (name.isEmpty() || role.isEmpty()) {
      return false;
    }
    // a disabled user, or a changed password, ends that user's sessions at their next request:
    // LocalUsers checks both on every request
    dsl.execute("insert into local_user (name, role, password_hash, source, disabled, created_at) values (?, ?, ?, 'HUB', ?, ?) "
            + "on conflict (name) do update set role = excluded.role, password_hash = excluded.password_hash, "
            + "source = 'HUB', disabled = excluded.disabled",
        name.get(), role.get().name(), user.passwordHash(), user.active() ? 0 : 1, now);
    return true;
  }

  private static Optional<Role> roleOf(String text) {
    for (Role r : Role.values()) {
      if (r.name().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ snapshot

  @Override
  public SnapshotLoader snapshotLoader() {
    return new SnapshotStream(new SnapshotLoad(this));
  }

  Timings timings() {
    return timings;
  }

  long stepBudgetNanos() {
    return stepBudgetNanos;
  }

  /** Sets how long a step writes before committing; {@code Long.MAX_VALUE} gives steps of a fixed size. */
  void stepBudgetNanos(long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("a step budget must be positive: " + nanos);
    }
    this.stepBudgetNanos = nanos;
  }

  /**
   * Steps of exactly {@code entries} change entries (fewer at a page's end), whatever the machine's
   * speed: where a page splits into transactions then depends on the page alone, not on timing.
   */
  void fixedSteps(int entries) {
    if (entries < 1 || entries > PAGE_STEP) {
      throw new IllegalArgumentException("entries per step must be 1.." + PAGE_STEP + ": " + entries);
    }
    this.stepBudgetNanos = Long.MAX_VALUE;
    this.stepEntries = entries;
  }

  void timings(Timings sink) {
    this.timings = Objects.requireNonNull(sink, "sink");
  }

  EdgeDatabase db() {
    return db;
  }

  Clock clock() {
    return clock;
  }

  ReplicaView view() {
    return view;
  }

  PendingOps pending() {
    return pending;
  }

  /**
   * Finishes a view rebuild a snapshot left unfinished (the process stopped in the middle): the
   * view is rebuilt chunk by chunk from where it got to.
   */
  void resumeRebuild() {
    while (true) {
      long now = clock.millis();
      long[] locked = new long[1];
      boolean more = db.writeReplayable(session -> {
        locked[0] = System.nanoTime();
        DSLContext dsl = session.dsl();
        String from = dsl.fetchSingle("select rebuild_from from sync_state where id = 1").get(0, String.class);
        if (from == null) {
          return false;
        }
        String upTo = chunkEnd(dsl, from);
        view.rebuildRange(session, from, upTo, now);
        dsl.execute("update sync_state set rebuild_from = ? where id = 1", upTo.equals(ReplicaView.LAST_CODE) ? null : upTo);
        return !upTo.equals(ReplicaView.LAST_CODE);
      });
      timings.accept("rebuild.chunk", System.nanoTime() - locked[0]);
      if (!more) {
        return;
      }
    }
  }

  /** The end of the next rebuild chunk after {@code from}: at most a chunk of rows of either table. */
  private static String chunkEnd(DSLContext dsl, String from) {
    String end = ReplicaView.LAST_CODE;
    for (String table : List.of("hub_bag", "bag")) {
      Record r = dsl.fetchOne("select code from " + table + " where code > ? order by code limit 1 offset ?", from, REBUILD_CHUNK - 1);
      if (r != null && r.get(0, String.class).compareTo(end) < 0) {
        end = r.get(0, String.class);
      }
    }
    return end;
  }

  // ------------------------------------------------------------------ status and conflicts

  @Override
  public void recordAttempt(boolean online, Instant at, String error) {
    String shortError = error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    db.write(dsl -> dsl.execute("update sync_state set online = ?, last_attempt_at = ?, last_error = ? where id = 1",
        online ? 1 : 0, at.toEpochMilli(), shortError));
  }

  @Override
  public SyncStatus status(Instant now) {
    return db.read(dsl -> {
      Record meta = dsl.fetchSingle("select hub_url, acked_seq, seq_floor from edge_meta where id = 1");
      Record state = dsl.fetchSingle("select online, last_sync_at, last_error, pull_error_position, pull_error_reason, "
          + "pull_errors_total, restore_detected_at, notice from sync_state where id = 1");
      long acked = meta.get(1, Long.class);
      // seqs are contiguous but where a restore moved the floor (hello, renumbering) past seqs this
      // dock never used: until the hub has answered up to the floor, count rows, not "last - acked"
      Record tail = dsl.fetchOne("select seq from outbox order by seq desc limit 1");
      long lastSeq = tail == null ? 0 : tail.get(0, Long.class);
      long pendingOps = meta.get(2, Long.class) > acked
          ? dsl.fetchSingle("select count(*) from outbox where seq > ?", acked).get(0, Long.class)
          : Math.max(0, lastSeq - acked);
      Record oldest = dsl.fetchOne("select created_at from outbox where seq > ? order by seq limit 1", acked);
      int open = dsl.fetchSingle("select count(*) from conflict where acknowledged_at is null").get(0, Integer.class);
      Long lastSync = state.get(1, Long.class);
      Long errorAt = state.get(3, Long.class);
      Long restoredAt = state.get(6, Long.class);
      return new SyncStatus(meta.get(0, String.class), state.get(0, Integer.class) != 0,
          lastSync == null ? null : Instant.ofEpochMilli(lastSync), pendingOps,
          oldest == null ? null : Math.max(0, now.toEpochMilli() - oldest.get(0, Long.class)), open,
          state.get(2, String.class), errorAt == null ? null : new PullError(errorAt, state.get(4, String.class)),
          state.get(5, Long.class), restoredAt == null ? null : Instant.ofEpochMilli(restoredAt), state.get(7, String.class));
    });
  }

  @Override
  public List<LocalConflict> conflicts(boolean openOnly, int max) {
    return db.read(dsl -> dsl.fetch("select c.id, c.op_seq, c.code, c.message, c.op_type, c.parent, c.child, "
            + "c.other_parent, c.other_dock, c.actor, c.station, c.hub_at, c.resolution, c.resolved_by, c.resolved_at, "
            + "h.parent_code, c.acknowledged_at, c.acknowledged_by from conflict c left join hub_bag h on h.code = c.child "
            + (openOnly ? "where c.acknowledged_at is null " : "")
            + "order by c.acknowledged_at is null desc, c.id desc limit ?", Math.max(0, max))
        .map(r -> new LocalConflict(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class),
            r.get(3, String.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
            r.get(7, String.class), r.get(8, String.class), r.get(9, String.class), r.get(10, String.class),
            instant(r.get(11, Long.class)), r.get(12, String.class), r.get(13, String.class), instant(r.get(14, Long.class)),
            r.get(15, String.class), instant(r.get(16, Long.class)), r.get(17, String.class))));
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public boolean acknowledge(long conflictId, String user, Instant at) {
    return db.write(dsl -> dsl.execute("update conflict set acknowledged_at = ?, acknowledged_by = ? "
        + "where id = ? and acknowledged_at is null", at.toEpochMilli(), user, conflictId)) == 1;
  }

  @Override
  public List<Long> unsentAcks(int max) {
    return db.read(dsl -> dsl.fetch("select id from conflict where id > 0 and acknowledged_at is not null "
        + "and ack_sent_at is null order by acknowledged_at, id limit ?", Math.max(0, max)).getValues(0, Long.class));
  }

  @Override
  public void ackSent(long conflictId) {
    long now = clock.millis();
    db.write(dsl -> dsl.execute("update conflict set ack_sent_at = ? where id = ? and ack_sent_at is null", now, conflictId));
  }

  @Override
  public List<io.tracetrack.sync.ReceiptReport> unsentReceipts(int max) {
    return db.read(dsl -> new ReceiptStore(dsl).unsent(Math.max(0, max)));
  }

  @Override
  public void receiptAnswered(String key, Long hubId, String refusal) {
    long now = clock.millis();
    db.write(dsl -> {
      new ReceiptStore(dsl).answered(key, now, hubId, refusal);
      if (refusal != null) {
        // the station's sync strip shows the notice: someone at the dock learns the hub will not take it
        dsl.execute("update sync_state set notice = ? where id = 1", refusal);
      }
      return null;
    });
  }
}
