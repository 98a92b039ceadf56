package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.log.PgBulk;
import io.tracetrack.hub.log.PgPipeline;
import io.tracetrack.hub.write.BagWriter;
import io.tracetrack.hub.write.Overlay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.Reconciler;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Applies a dock's pushed ops, exactly once each, in the hub's commit order: the hub half of the
 * DESIGN's push. One batch is one transaction:
 *
 * <ol>
 *   <li>lock the edge's {@code edge_progress} row (refused whole when the hub holds that edge id's
 *       ops for another dock), then every bag the batch's ops name with one statement, in code order
 *       (reading their areas), and read the batch's distinct actors with one more: on PostgreSQL
 *       the three in one round trip ({@link IngestStore#lock});
 *   <li>sort the ops by {@code seq} against its {@code last_seq}: at or below it DUPLICATE when
 *       its fingerprint is the one the hub keeps for that seq, else SEQ_REUSED and every later op
 *       of the batch HELD (a restored backup renumbers them); the next ones in line applicable; the
 *       rest (after a gap the batch does not fill) HELD;
 *   <li>refuse an op that names another area's bag, or whose actor may not sign in at this dock, as
 *       the API would; decide each other op in {@code seq} order with the shared {@link Reconciler}
 *       against those rows plus what the batch's earlier ops did ({@link Overlay}); a refusal, or an
 *       op that stood with a difference (a different expected count), becomes a conflict record
 *       holding both sides;
 *   <li>write it all with a fixed number of set-based statements (the answered ops' fingerprints
 *       among them), move {@code last_seq} and the fleet fields, and append the change-log entries
 *       last, under one take of its head; the reply's {@code logPosition} is the last of them, or
 *       the head read then when there were none. On PostgreSQL these writes go to the server in one
 *       round trip with the commit ({@link PgPipeline}): a push takes two round trips (its locks and
 *       reads, then its writes, the append and the commit), three when it resends ops (their
 *       fingerprints) and more when an op becomes a conflict (its other side, its id).
 * </ol>
 *
 * <p>Moving {@code last_seq} in the same transaction as the effects is what makes an op count once
 * however often it is resent: a batch that rolls back moved neither. Business refusals are
 * outcomes, not errors, so one bad op never wedges a dock's queue. No audit entries: the bag
 * history ({@code bag_event}, source EDGE) and the conflict records are the sync's record; the
 * audit log keeps people's actions at the hub.
 */
public final class Ingest {

  /**
   * PostgreSQL makes a clashing insert wait for the other writer's commit, so one retry then sees its
   * row; H2 refuses at once while the other is still uncommitted, so a batch may lose several times
   * in a row to docks busy with the same new bags: a few more tries, spaced a little.
   */
  private static final int ATTEMPTS = 12;
  private static final OpCodec OPS = new OpCodec();

  /** What became of a push. */
  public sealed interface Result {
    record Done(PushReply reply) implements Result {}

    /** Refused whole (the batch speaks for another edge or dock); nothing changed. */
    record Refused(int status, ErrorCode code, String message) implements Result {}
  }

  private final HubDatabase db;
  private final Reconciler reconciler;
  private final Clock clock;
  private final Map<OpOutcome.Status, Counter> counted = new EnumMap<>(OpOutcome.Status.class);
  private final Counter seqReused;

  /** @param meters where the ops are counted by outcome ({@code tracetrack_sync_ops_total}) */
  public Ingest(HubDatabase db, CodeGrammar grammar, Clock clock, MeterRegistry meters) {
    this.db = Objects.requireNonNull(db, "db");
    this.reconciler = new Reconciler(Objects.requireNonNull(grammar, "grammar"));
    this.clock = Objects.requireNonNull(clock, "clock");
    for (OpOutcome.Status s : OpOutcome.Status.values()) {
      counted.put(s, Counter.builder("tracetrack.sync.ops").description("ops pushed by docks, by outcome")
          .tag("outcome", s.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
    }
    seqReused = Counter.builder("tracetrack.sync.seq.reused")
        .description("pushed ops refused because their seq was used before by another op of the edge (a restored backup)")
        .register(meters);
  }

  /** Applies a batch sent with {@code device}'s credential. */
  public Result push(Docks.Device.Known device, PushBatch batch) {
    if (!batch.edgeId().equals(device.edgeId()) || !batch.dock().equals(device.dock())) {
      return new Result.Refused(403, ErrorCode.FORBIDDEN, "this credential speaks for edge " + device.edgeId()
          + " of dock " + device.dock() + ", not for the batch's edge or dock");
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Result result = db.transaction(tx -> apply(tx, device, batch));
        if (result instanceof Result.Done done) {
          for (OpOutcome o : done.reply().outcomes()) {
            counted.get(o.status()).increment();
            if (ErrorCode.SEQ_REUSED.name().equals(o.code())) {
              seqReused.increment();
            }
          }
        }
        return result;
      } catch (DataAccessException e) {
        // another writer created one of the batch's new bags a moment before: decide again against it
        if (attempt >= ATTEMPTS || !(HubDatabase.isUniqueViolation(e) || retryable(e))) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * The edge was heard from (its hello): the fleet view's "last seen".
   *
   * @return the last seq the hub holds from this edge (0 if none): a dock restored from a backup
   *     learns here that it is behind, and numbers its new ops past it
   */
  public long seen(Docks.Device.Known device) {
    return IngestStore.seen(db.dsl(), device.edgeId(), device.dock(), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }

  /**
   * How stale a dock's "last seen" may get while it polls before a poll writes it again: half the
   * shortest {@code --dock-silent-minutes} (one), so a polling dock never shows as silent. A thousand
   * docks make a write every 30 ms of it, against the pushes' connections ({@code bench fleet}).
   */
  static final java.time.Duration POLL_CONTACT_GRAIN = java.time.Duration.ofSeconds(30);

  /**
   * When this instance last wrote each edge's contact: within the grain a poll writes nothing and
   * asks nothing (a fleet polls thousands of times a second; the write would change nothing).
   */
  private final java.util.concurrent.ConcurrentHashMap<String, java.time.Instant> contactWritten =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The edge polled the change log: it is connected, so the fleet view must not call it silent. */
  public void polled(Docks.Device.Known device) {
    java.time.Instant now = clock.instant();
    java.time.Instant written = contactWritten.get(device.edgeId());
    if (written != null && written.isAfter(now.minus(POLL_CONTACT_GRAIN)) && !written.isAfter(now)) {
      return;
    }
    IngestStore.polled(db.dsl(), device.edgeId(), device.dock(), OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
        POLL_CONTACT_GRAIN);
    contactWritten.put(device.edgeId(), now);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a push", e);
    }
  }

  /** A deadlock or serialization failure the database broke by rolling this transaction back. */
  private static boolean retryable(DataAccessException e) {
    String state = e.sqlState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private Result apply(DSLContext tx, Docks.Device.Known device, PushBatch batch) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    // on PostgreSQL the writes wait and go in one round trip with the log's append (PgPipeline); the
    // reads (progress, fingerprints, bags, signers, the other sides) all come before the first of them
    PgPipeline pipeline = PgBulk.isPostgres(tx) ? new PgPipeline() : null;
    IngestStore store = new IngestStore(tx, pipeline);
    // 1. lock the edge's row, then every bag the batch names in code order, and read its signers:
    // all of the batch's, before knowing which ops are next in line, so that on PostgreSQL the three
    // go in one round trip (a resent op's bags are locked too, and left as they are)
    TreeSet<String> codes = new TreeSet<>();
    TreeSet<String> actors = new TreeSet<>();
    for (OpEnvelope e : batch.ops()) {
      codes.addAll(named(e.op()));
      actors.add(e.actor());
    }
    Overlay overlay = new Overlay();
    IngestStore.Locked locked = store.lock(device.edgeId(), device.dock(), codes, actors, device.area(), overlay);
    IngestStore.Progress progress = locked.progress();
    if (!progress.dock().equals(device.dock())) {
      // the hub holds this edge id's ops for another dock: taking these as its duplicates would lose them
      return new Result.Refused(403, ErrorCode.FORBIDDEN, "the hub holds the ops of edge " + device.edgeId()
          + " for dock " + progress.dock() + ", not " + device.dock() + "; start this dock on an empty data folder"
          + " and enrol it with a new code");
    }
    long last = progress.lastSeq();

    // 2. which ops are next in line; the codec guarantees ascending seq without repeats. An op at or
    // below last_seq is a duplicate only when it says what the op the hub holds under that seq said
    Map<Long, String> stored = store.fingerprints(device.edgeId(), batch.ops().stream()
        .mapToLong(op -> op.id().seq()).filter(seq -> seq <= last).boxed().toList());
    List<OpEnvelope> applicable = new ArrayList<>();
    OpOutcome[] outcomes = new OpOutcome[batch.ops().size()];
    long expected = last + 1;
    boolean held = false;
    Long reused = null;
    for (int i = 0; i < outcomes.length; i++) {
      OpEnvelope op = batch.ops().get(i);
      long seq = op.id().seq();
      if (reused != null) {
        // the dock renumbers everything after a reused seq and sends it again: nothing of it may apply now
        outcomes[i] = new OpOutcome(seq, OpOutcome.Status.HELD, null,
            "held: op " + reused + " reuses a seq the hub holds; renumber and send again", null);
      } else if (seq <= last) {
        String before = stored.get(seq);
        // no fingerprint: an op answered before the hub kept them, taken as a duplicate as it always was
        if (before == null || before.equals(op.fingerprint())) {
          outcomes[i] = OpOutcome.duplicate(seq);
        } else {
          reused = seq;
          outcomes[i] = OpOutcome.rejected(seq, ErrorCode.SEQ_REUSED, "seq " + seq + " of edge " + device.edgeId()
              + " holds another op at the hub (up to " + last + " taken): was this dock restored from a backup?"
              + " Its ops after " + last + " are sent again under new numbers", null);
        }
      } else if (!held && seq == expected) {
        applicable.add(op);
        expected++;
      } else {
        held = true;
        outcomes[i] = OpOutcome.held(seq, expected);
      }
    }

    Map<String, String> areas = locked.areas();
    Map<String, IngestStore.Signer> signers = locked.signers();

    // 3. decide in seq order against the rows plus the batch's own earlier effects
    List<Decided> decided = new ArrayList<>(applicable.size());
    for (OpEnvelope e : applicable) {
      Rejection confined = confined(e, device.area(), areas, signers);
      if (confined != null) {
        // the same rule as the API's: a dock works on its own area's bags, signed by people it may have
        decided.add(new Decided(e, null, confined, new Other(confined.otherBag(), null, null, null, null)));
        continue;
      }
      Decision decision = reconciler.decide(e.op(), overlay);
      if (decision instanceof Decision.Accepted a) {
        for (Effect effect : a.effects()) {
          overlay.apply(effect, e.actor(), now);
        }
        // the other side of a note (a different expected count) is the bag as it stands
        decided.add(new Decided(e, a.effects(), a.note(), a.note() == null ? null : otherSide(a.note(), e, overlay)));
      } else if (((Decision.Rejected) decision).rejection().code() == ErrorCode.DUPLICATE) {
        // the child is already on this very parent (another dock, or the API, linked it the same
        // way first): the scan's fact stands, so it is applied with nothing left to change, not a
        // conflict an admin would have to dismiss
        decided.add(new Decided(e, List.of(), null, null));
      } else {
        Rejection r = ((Decision.Rejected) decision).rejection();
        decided.add(new Decided(e, null, r, otherSide(r, e, overlay)));
      }
    }
    fillOtherSides(store, decided);

    // 4. write: bags, history, counters, conflicts, progress, and the change log last
    BagWriter writer = new BagWriter(tx, pipeline);
    BagWriter.Stamp stamp = new BagWriter.Stamp(device.area(), device.dock(), "EDGE", now);
    writer.write(overlay, stamp);
    List<BagWriter.Event> events = new ArrayList<>();
    List<IngestStore.Conflict> conflicts = new ArrayList<>();
    for (Decided d : decided) {
      if (d.effects != null && !d.effects.isEmpty()) {
        Op op = d.envelope.op();
        events.add(new BagWriter.Event(op.type(), op.bag(), op instanceof Op.CreateParent ? null : parentOf(op),
            d.envelope.actor(), d.envelope.station()));
      }
      if (d.rejection != null) {
        conflicts.add(conflict(d, now));
      }
    }
    writer.history(events, stamp);
    Map<Long, Long> conflictIds = store.insertConflicts(device.edgeId(), conflicts);
    store.insertFingerprints(device.edgeId(), applicable);
    long lastSeq = applicable.isEmpty() ? last : applicable.getLast().id().seq();
    // the edge counts this batch among its pending ops; what the hub has now taken waits no more, or a
    // dock that pushed everything would show its last batch as backlog until it scans again
    long delivered = batch.ops().stream().filter(op -> op.id().seq() <= lastSeq).count();
    long backlog = Math.max(0, batch.pendingOps() - delivered);
    store.updateProgress(device.edgeId(), new IngestStore.Report(lastSeq, now,
        batch.clock().wallMillis() - now.toInstant().toEpochMilli(), backlog,
        backlog == 0 ? null : batch.oldestPendingAt(), batch.version(), reused == null ? null : now));

    Map<Long, IngestStore.Conflict> bySeq = new java.util.HashMap<>();
    conflicts.forEach(c -> bySeq.put(c.seq(), c));
    List<ChangeLog.Entry> entries = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] != null) {
        continue;
      }
      Decided d = decided.get(next++);
      long seq = d.envelope.id().seq();
      Long conflictId = d.rejection == null ? null : conflictIds.get(seq);
      String origin = "edge:" + device.edgeId() + ":" + seq;
      if (d.effects == null) {
        outcomes[i] = OpOutcome.rejected(seq, d.rejection.code(), d.rejection.message(), conflictId);
      } else {
        outcomes[i] = d.rejection == null ? OpOutcome.applied(seq)
            : new OpOutcome(seq, OpOutcome.Status.APPLIED, d.rejection.code().name(), d.rejection.message(), conflictId);
        if (!d.effects.isEmpty()) {
          entries.add(new ChangeLog.Entry(Change.of(d.envelope.op(), device.area()), now, origin));
        }
      }
      if (conflictId != null) {
        entries.add(new ChangeLog.Entry(opened(conflictId, bySeq.get(seq)), now, origin));
      }
    }
    // the shared rows last, each held only from here to the commit: the counters, then the log's head
    writer.counters(overlay.counts(), stamp);
    if (pipeline != null) {
      pipeline.commitWithLast(); // nothing after the append reads or writes: the commit goes with it
    }
    long first = ChangeLog.append(tx, entries, pipeline);
    // where in the log every op up to lastSeq is true: the batch's last entry; with none, the head
    // read now, after the bag locks: a writer whose change made one of these ops a no-op held those
    // rows until its commit, so its entry is at or below this head
    long position = entries.isEmpty() ? ChangeLog.head(tx) : first + entries.size() - 1;
    return new Result.Done(new PushReply(lastSeq, now.toInstant(), List.of(outcomes), position));
  }

  /**
   * Why {@code e} may not be taken from this dock at all, or null: it names a bag of another area
   * (as a dispatcher of this area gets 404 for it at the API), or it is signed by a hub user who may
   * not sign in at this dock. An actor the hub does not know is a dock-local dispatcher from before
   * the dock got its users from the hub: taken. A bag with no area (made at the hub by an admin
   * without one) belongs to no area and is shared, as at the API for admins and billers.
   */
  private static Rejection confined(OpEnvelope e, String area, Map<String, String> areas,
      Map<String, IngestStore.Signer> signers) {
    for (String code : named(e.op())) {
      String bagArea = areas.get(code);
      if (bagArea != null && !bagArea.equals(area)) {
        return Rejection.of(ErrorCode.BAG_IN_OTHER_AREA, code + " belongs to area " + bagArea + "; this dock is in " + area,
            code);
      }
    }
    IngestStore.Signer signer = signers.get(e.actor());
    if (signer != null && !signer.maySignInAt(area)) {
      return Rejection.of(ErrorCode.ACTOR_NOT_ALLOWED, e.actor() + " may not sign in at a dock of area " + area
          + " (" + signer.why(area) + "); the hub does not take scans in their name from this dock");
    }
    return null;
  }

  /** One applicable op and what the Reconciler made of it. */
  private static final class Decided {
    final OpEnvelope envelope;
    /** Null when refused. */
    final List<Effect> effects;
    /** The refusal, or the note of an op that stood; null for a plain success. */
    final Rejection rejection;
    Other other;

    Decided(OpEnvelope envelope, List<Effect> effects, Rejection rejection, Other other) {
      this.envelope = envelope;
      this.effects = effects;
      this.rejection = rejection;
      this.other = other;
    }
  }

  /**
   * The other side of a conflict as far as the batch's rows tell it: the bag in the way, and who
   * put it there when the batch itself did. {@code lookup} names what the database must add: the
   * latest link of a child ({@code c:}) or of a parent ({@code p:}), or a parent's bill ({@code b:}).
   */
  private record Other(String parent, String dock, String actor, OffsetDateTime at, String lookup) {}

  private static Other otherSide(Rejection r, OpEnvelope e, Overlay overlay) {
    String parent = parentOf(e.op());
    return switch (r.code()) {
      case CHILD_ALREADY_LINKED, STALE_UNLINK -> {
        Overlay.Bag child = overlay.row(parentAndChild(e.op())[1]).orElse(null);
        if (child == null || child.parent == null) {
          yield new Other(r.otherBag(), null, null, null, null);
        }
        yield child.linkedHere ? new Other(child.parent, e.dock(), child.linkedBy, child.linkedAt, null)
            : new Other(child.parent, null, child.linkedBy, child.linkedAt, "c:" + child.code);
      }
      case PARENT_FULL, PARENT_COMPLETE -> {
        Overlay.Bag row = overlay.row(parent).orElse(null);
        yield row != null && row.lastLinkBy != null ? new Other(parent, e.dock(), row.lastLinkBy, row.lastLinkAt, null)
            : new Other(parent, null, null, null, "p:" + parent);
      }
      case PARENT_FINALIZED -> new Other(parent, null, null, null, "b:" + parent);
      case EXPECTED_COUNT_MISMATCH -> {
        // the first creation stands: where, by whom and when it was made is the other side
        Overlay.Bag row = overlay.row(parent).orElse(null);
        yield row == null ? new Other(parent, null, null, null, null)
            : new Other(parent, row.isNew ? e.dock() : row.createdDock, row.createdBy, row.createdAt, null);
      }
      default -> new Other(r.otherBag(), null, null, null, null);
    };
  }

  /** Completes the other sides from the history and the bills, with at most three statements for the batch. */
  private static void fillOtherSides(IngestStore store, List<Decided> decided) {
    Set<String> children = new HashSet<>();
    Set<String> parents = new HashSet<>();
    Set<String> billed = new HashSet<>();
    for (Decided d : decided) {
      String lookup = d.other == null ? null : d.other.lookup();
      if (lookup != null) {
        String code = lookup.substring(2);
        (lookup.startsWith("c:") ? children : lookup.startsWith("p:") ? parents : billed).add(code);
      }
    }
    Map<String, IngestStore.LinkSide> links = store.latestLinks(children, parents);
    Map<String, IngestStore.FinalBill> bills = store.finalBills(billed);
    for (Decided d : decided) {
      Other o = d.other;
      if (o == null || o.lookup() == null) {
        continue;
      }
      if (o.lookup().startsWith("b:")) {
        IngestStore.FinalBill bill = bills.get(o.lookup().substring(2));
        d.other = bill == null ? new Other(o.parent(), null, null, null, null)
            : new Other(o.parent(), "bill " + bill.bill(), bill.by(), bill.at(), null);
        continue;
      }
      IngestStore.LinkSide side = links.get(o.lookup());
      if (side == null) {
        d.other = new Other(o.parent(), null, o.actor(), o.at(), null);
      } else {
        // the row's own linked_by / linked_at are exact for a child; the history adds the dock
        d.other = new Other(o.parent(), side.dock(), o.actor() != null ? o.actor() : side.actor(),
            o.at() != null ? o.at() : side.at(), null);
      }
    }
  }

  private static IngestStore.Conflict conflict(Decided d, OffsetDateTime now) {
    OpEnvelope e = d.envelope;
    String[] pc = parentAndChild(e.op());
    Other o = d.other == null ? new Other(null, null, null, null, null) : d.other;
    return new IngestStore.Conflict(d.rejection.code().name(), cut(d.rejection.message(), 500), e.dock(), e.id().edgeId(),
        e.id().seq(), e.op().type(), OPS.encode(e), cut(pc[0], 64), cut(pc[1], 64), e.actor(), e.station(),
        e.hlc().wallMillis(), e.hlc().logical(), now, cut(o.parent(), 64), cut(o.dock(), 64), cut(o.actor(), 64), o.at(),
        d.effects != null);
  }

  private static Change.ConflictOpened opened(long id, IngestStore.Conflict c) {
    return new Change.ConflictOpened(id, c.code(), c.message(), c.dock(), c.edgeId(), c.seq(), c.opType(), c.parent(),
        c.child(), c.actor(), c.station(), c.hlcWall(), c.hlcLogical(), c.hubAt().toString(), c.otherParent(),
        c.otherDock(), c.otherActor(), c.otherAt() == null ? null : c.otherAt().toString(), c.applied());
  }


  private static List<String> named(Op op) {
    return switch (op) {
      case Op.CreateParent c -> List.of(c.parent());
      case Op.Link l -> List.of(l.parent(), l.child());
      case Op.Unlink u -> List.of(u.parent(), u.child());
      case Op.Finish f -> List.of(f.parent());
    };
  }

  private static String parentOf(Op op) {
    return parentAndChild(op)[0];
  }

  private static String[] parentAndChild(Op op) {
    return switch (op) {
      case Op.CreateParent c -> new String[] {c.parent(), null};
      case Op.Link l -> new String[] {l.parent(), l.child()};
      case Op.Unlink u -> new String[] {u.parent(), u.child()};
      case Op.Finish f -> new String[] {f.parent(), null};
    };
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
