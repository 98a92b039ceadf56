package io.tracetrack.sync.sim;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.ParentLimits;
import io.tracetrack.model.Rejection;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.InMemoryState;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.StateView;
import io.tracetrack.sync.WireCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The hub as the contract describes it, every call one transaction that either happens whole or
 * not at all (a hub crash between calls loses nothing committed; the answer in flight is lost).
 * It holds the authoritative bags, each edge's last applied {@code seq}, one change log in commit
 * order, and the conflicts; an admin can finalize bills, resolve conflicts and prune the log.
 */
final class Hub {

  /** Deliberate defects, to prove the invariants catch them. {@link #NONE} is the hub we mean. */
  enum Flaw {
    NONE,
    /** Forgets {@code edge_progress}: a resent op is decided again. */
    NO_EXACTLY_ONCE,
    /**
     * Takes a log position when a transaction begins, not when it commits (an identity column read
     * with {@code id > n}): a push's entries may become visible after later ones, and a reader
     * that already paged past their positions never sees them.
     */
    LOG_POSITION_AT_BEGIN,
    /** Decides ops as if no bill were ever finalized. */
    IGNORES_FINALIZED,
    /** Decides links as if every parent could hold the maximum, whatever its count. */
    NO_LIMIT_CHECK,
    /**
     * Filters user.v1 by the user's new area only (the contract's literal rule): a user moved out of
     * an area is never announced to that area's docks, who keep letting them sign in.
     */
    USERS_BY_NEW_AREA_ONLY
  }

  /** A conflict as the hub's {@code sync_conflict} row: the opened record and OPEN or its closing action. */
  record Conflict(Change.ConflictOpened opened, String status) {}

  /** What an admin's resolve call answered: resolved, or refused with a problem code. */
  sealed interface Resolution {
    record Done(String action, List<Change> changes) implements Resolution {}

    record Refused(ErrorCode code, String message) implements Resolution {}
  }

  private final Flaw flaw;
  private final Reconciler reconciler;
  private final WireCodec wire;
  private final LongSupplier now;
  final SimState state = new SimState();
  // the shared reference store, fed every effect: the model's own state must agree with it
  final InMemoryState reference = new InMemoryState();
  private final Map<String, String> edgeOfDock = new HashMap<>();
  private final Map<String, String> areaOfDock = new HashMap<>();
  /** The fleet view's row per dock, as {@code GET /api/v1/docks} shows it. */
  record Fleet(long lastSeq, long backlog, long lastSeenAt) {}

  final Map<String, Fleet> fleet = new TreeMap<>();
  /** Users by name, as the hub's users table holds them. */
  final TreeMap<String, Change.User> users = new TreeMap<>();
  private final Map<String, Long> lastSeq = new HashMap<>();
  /** How often each op was decided (applied or refused): invariant 2 wants exactly 1. */
  final Map<OpId, Integer> decisions = new HashMap<>();
  final Map<OpId, OpOutcome.Status> verdicts = new HashMap<>();
  private final TreeMap<Long, ChangeEntry> log = new TreeMap<>();
  private long head;
  private long firstHeld = 1;
  private long positions; // the flawed hub's sequence, taken at begin
  private final List<Pending> uncommitted = new ArrayList<>();
  final TreeMap<Long, Conflict> conflicts = new TreeMap<>();
  /** Parents on a finalized bill, as they were when it was finalized (invariant 4). */
  final Map<String, Frozen> frozen = new LinkedHashMap<>();
  private long nextConflict = 1;
  private long nextBill = 1;

  /** What a finalized parent looked like at finalization: nothing of it may change afterwards. */
  record Frozen(BagFacts bag, List<String> children) {}

  private record Pending(List<ChangeEntry> entries, int stepsLeft) {}

  Hub(Flaw flaw, Reconciler reconciler, WireCodec wire, LongSupplier now) {
    this.flaw = flaw;
    this.reconciler = reconciler;
    this.wire = wire;
    this.now = now;
  }

  void enrol(String dock, String edgeId, String area) {
    edgeOfDock.put(dock, edgeId);
    areaOfDock.put(dock, area);
  }

  long head() {
    return head;
  }

  long lastSeq(String edgeId) {
    return lastSeq.getOrDefault(edgeId, 0L);
  }

  // ------------------------------------------------------------------ the dock's calls

  /** {@code POST /api/v1/sync/push} from the dock the credential names. */
  Message push(Message.Push call) {
    PushBatch batch;
    try {
      batch = wire.decodePush(call.body());
    } catch (CodecException e) {
      return new Message.Refused(call.dock(), call.request(), e.code());
    }
    String edge = edgeOfDock.get(call.dock());
    if (!batch.dock().equals(call.dock()) || !batch.edgeId().equals(edge)) {
      return new Message.Refused(call.dock(), call.request(), ErrorCode.FORBIDDEN);
    }
    List<ChangeEntry> entries = new ArrayList<>();
    List<OpOutcome> outcomes = new ArrayList<>();
    long last = lastSeq(edge);
    Long missing = null;
    for (OpEnvelope op : batch.ops()) {
      long seq = op.id().seq();
      if (missing == null && seq > last + 1) {
        missing = last + 1;
      }
      if (missing != null) {
        outcomes.add(OpOutcome.held(seq, missing));
      } else if (seq <= last && flaw != Flaw.NO_EXACTLY_ONCE) {
        outcomes.add(OpOutcome.duplicate(seq));
      } else {
        outcomes.add(decide(op, entries));
        last = Math.max(last, seq);
      }
    }
    lastSeq.put(edge, last);
    // pendingOps counts the edge's outbox from this batch's first op on (its outbox has no holes),
    // so its newest op is first + pendingOps - 1 and everything past last_seq still waits; a
    // count of the whole outbox would include ops answered in a reply that was lost, and the
    // fleet view would show a backlog for a dock that has none
    long backlog = batch.ops().isEmpty() ? batch.pendingOps()
        : Math.max(0, batch.ops().getFirst().id().seq() + batch.pendingOps() - 1 - last);
    fleet.put(call.dock(), new Fleet(last, backlog, now.getAsLong()));
    commit(entries, flaw == Flaw.LOG_POSITION_AT_BEGIN);
    return new Message.PushAnswer(call.dock(), call.request(),
        wire.encode(new PushReply(last, Instant.ofEpochMilli(now.getAsLong()), outcomes)));
  }

  /** {@code GET /api/v1/sync/changes}: entries after {@code after} this dock may see, in commit order. */
  Message changes(Message.Pull call) {
    if (call.after() < firstHeld - 1) {
      return new Message.Refused(call.dock(), call.request(), ErrorCode.SNAPSHOT_REQUIRED);
    }
    List<ChangeEntry> page = new ArrayList<>();
    long next = call.after();
    for (ChangeEntry e : log.tailMap(call.after(), false).values()) {
      if (page.size() == call.limit()) {
        break;
      }
      next = e.seq(); // examined: a filtered-out entry is skipped for good, never re-read
      if (visibleTo(call.dock(), e)) {
        page.add(e);
      }
    }
    return new Message.PageAnswer(call.dock(), call.request(), wire.encode(new ChangePage(page, next, head)));
  }

  /** {@code GET /api/v1/sync/snapshot}: every bag, this dock's conflicts, at one cursor. */
  Message snapshot(Message.SnapshotCall call) {
    List<SnapshotLine> rows = new ArrayList<>();
    for (BagFacts b : state.bags().values()) {
      rows.add(new SnapshotLine.BagRow(b.code(), b.role().name(), b.expectedCount(), b.limit(), b.childCount(),
          b.parent(), b.finished(), b.onFinalizedBill()));
    }
    long usersOfDock = 0;
    for (Change.User u : users.values()) {
      if (u.area() == null || u.area().equals(areaOfDock.get(call.dock()))) {
        rows.add(new SnapshotLine.UserRow(u));
        usersOfDock++;
      }
    }
    long conflictsOfDock = 0;
    for (Conflict c : conflicts.values()) {
      if (c.opened().dock().equals(call.dock())) {
        rows.add(new SnapshotLine.ConflictRow(c.opened(), c.status()));
        conflictsOfDock++;
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(wire.encode(new SnapshotLine.Begin(head, state.bags().size(), usersOfDock, conflictsOfDock)));
    rows.forEach(r -> lines.add(wire.encode(r)));
    lines.add(wire.encode(new SnapshotLine.End(head, rows.size())));
    return new Message.SnapshotAnswer(call.dock(), call.request(), lines);
  }

  // ------------------------------------------------------------------ admin

  /** Finalizes a bill holding these parents: from now on nothing about them may change. */
  void finalizeBill(List<String> parents) {
    List<String> sorted = parents.stream().sorted().toList();
    for (String p : sorted) {
      state.finalizeParent(p);
      reference.finalizeParent(p);
      frozen.put(p, new Frozen(state.bag(p).orElseThrow(), state.childrenOf(p)));
    }
    String bill = String.format(java.util.Locale.ROOT, "BILL%06d", nextBill++);
    commit(List.of(entry(new Change.BillFinalized(bill, false, sorted), "admin")), false);
  }

  /** {@code POST /api/v1/conflicts/{id}/resolve}: MOVE goes through the Reconciler like any op. */
  Resolution resolve(long id, String action) {
    Conflict c = conflicts.get(id);
    if (c == null) {
      return new Resolution.Refused(ErrorCode.CONFLICT_NOT_FOUND, "no conflict " + id);
    }
    if (!c.status().equals("OPEN")) {
      return new Resolution.Refused(ErrorCode.CONFLICT_CLOSED, "conflict " + id + " is " + c.status());
    }
    Change.ConflictOpened o = c.opened();
    List<Effect> effects = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    changes.add(new Change.ConflictResolved(id, o.dock(), action, "admin", Instant.ofEpochMilli(now.getAsLong()).toString()));
    if (action.equals("MOVE")) {
      if (!o.opType().equals(Op.LINK) || o.child() == null) {
        return new Resolution.Refused(ErrorCode.CONFLICT_ACTION_INVALID, "only a refused link can be moved");
      }
      SimState trial = state.copy();
      String current = trial.bag(o.child()).map(BagFacts::parent).orElse(null);
      if (!o.parent().equals(current)) {
        if (current != null) {
          Decision unlink = reconciler.decide(new Op.Unlink(current, o.child(), Op.UnlinkReason.CORRECTION), trial);
          if (unlink instanceof Decision.Rejected r) {
            return new Resolution.Refused(r.rejection().code(), r.rejection().message());
          }
          Decision.Accepted a = (Decision.Accepted) unlink;
          trial.apply(a.effects());
          effects.addAll(a.effects());
          changes.add(new Change.Unlink(current, o.child(), Op.UnlinkReason.CORRECTION.name()));
        }
        Decision link = reconciler.decide(new Op.Link(o.parent(), o.child()), trial);
        if (link instanceof Decision.Rejected r) {
          return new Resolution.Refused(r.rejection().code(), r.rejection().message());
        }
        for (Effect e : ((Decision.Accepted) link).effects()) {
          effects.add(e);
          changes.addAll(changesOf(e, null, trial));
        }
      }
    }
    apply(effects);
    conflicts.put(id, new Conflict(o, action));
    commit(changes.stream().map(ch -> entry(ch, "admin")).toList(), false);
    return new Resolution.Done(action, changes);
  }

  /**
   * An admin creates or changes a user. A user who leaves an area is announced to that area once
   * more, inactive, so its docks stop letting them sign in: filtered by the new area alone, those
   * docks would never hear of the move.
   */
  void putUser(Change.User user) {
    Change.User before = users.put(user.username(), user);
    List<ChangeEntry> entries = new ArrayList<>();
    if (before != null && !Objects.equals(before.area(), user.area()) && flaw != Flaw.USERS_BY_NEW_AREA_ONLY) {
      entries.add(entry(new Change.User(before.username(), before.role(), before.area(), false, null), "admin"));
    }
    entries.add(entry(user, "admin"));
    commit(entries, false);
  }

  /** The users a dock of this area lets sign in: active, of its area or of every area. */
  Map<String, Change.User> signInUsers(String area) {
    Map<String, Change.User> out = new TreeMap<>();
    users.forEach((name, u) -> {
      if (u.active() && (u.area() == null || u.area().equals(area))) {
        out.put(name, u);
      }
    });
    return out;
  }

  /** Drops log entries up to {@code upTo}: a dock behind them must load a snapshot. */
  void prune(long upTo) {
    log.headMap(upTo, true).clear();
    firstHeld = Math.max(firstHeld, upTo + 1);
  }

  /** A step of time for transactions still open (the flawed hub only). */
  void tick() {
    for (int i = uncommitted.size() - 1; i >= 0; i--) {
      Pending p = uncommitted.get(i);
      if (p.stepsLeft() <= 1) {
        uncommitted.remove(i);
        p.entries().forEach(e -> log.put(e.seq(), e));
        head = Math.max(head, p.entries().getLast().seq());
      } else {
        uncommitted.set(i, new Pending(p.entries(), p.stepsLeft() - 1));
      }
    }
  }

  /** Commits whatever is still open (the flawed hub): the end of a run. */
  void settle() {
    while (!uncommitted.isEmpty()) {
      tick();
    }
  }

  List<Long> openConflicts() {
    return conflicts.entrySet().stream().filter(e -> e.getValue().status().equals("OPEN")).map(Map.Entry::getKey).toList();
  }

  /** This dock's conflicts as the dock should know them: id to OPEN or the closing action. */
  Map<Long, String> conflictsOf(String dock) {
    Map<Long, String> out = new TreeMap<>();
    conflicts.forEach((id, c) -> {
      if (c.opened().dock().equals(dock)) {
        out.put(id, c.status());
      }
    });
    return out;
  }

  // ------------------------------------------------------------------ inside

  private OpOutcome decide(OpEnvelope env, List<ChangeEntry> entries) {
    OpId id = env.id();
    decisions.merge(id, 1, Integer::sum);
    String origin = "edge:" + id.edgeId() + ":" + id.seq();
    Decision decision = reconciler.decide(env.op(), decidingView());
    switch (decision) {
      case Decision.Accepted a -> {
        SimState before = state.copy();
        apply(a.effects());
        for (Effect e : a.effects()) {
          for (Change ch : changesOf(e, env.op(), before)) {
            entries.add(entry(ch, origin));
          }
        }
        verdicts.put(id, OpOutcome.Status.APPLIED);
        if (a.note() == null) {
          return OpOutcome.applied(id.seq());
        }
        long conflict = open(env, a.note(), true, entries, origin);
        return new OpOutcome(id.seq(), OpOutcome.Status.APPLIED, a.note().code().name(), a.note().message(), conflict);
      }
      case Decision.Rejected r -> {
        verdicts.put(id, OpOutcome.Status.REJECTED);
        long conflict = open(env, r.rejection(), false, entries, origin);
        return OpOutcome.rejected(id.seq(), r.rejection().code(), r.rejection().message(), conflict);
      }
    }
  }

  /** What ops are decided against: the state, or the state as a flawed hub misreads it. */
  private StateView decidingView() {
    return switch (flaw) {
      case IGNORES_FINALIZED -> code -> state.bag(code).map(b -> new BagFacts(b.code(), b.role(), b.expectedCount(),
          b.limit(), b.childCount(), b.finished(), b.parent(), false));
      case NO_LIMIT_CHECK -> code -> state.bag(code).map(b -> b.role() != BagRole.PARENT ? b
          : new BagFacts(b.code(), b.role(), b.expectedCount(), ParentLimits.MAX_CHILDREN, b.childCount(), b.finished(),
              b.parent(), b.onFinalizedBill()));
      default -> state;
    };
  }

  private long open(OpEnvelope env, Rejection why, boolean applied, List<ChangeEntry> entries, String origin) {
    long id = nextConflict++;
    String parent = switch (env.op()) {
      case Op.CreateParent c -> c.parent();
      case Op.Link l -> l.parent();
      case Op.Unlink u -> u.parent();
      case Op.Finish f -> f.parent();
    };
    String child = switch (env.op()) {
      case Op.Link l -> l.child();
      case Op.Unlink u -> u.child();
      default -> null;
    };
    String at = Instant.ofEpochMilli(now.getAsLong()).toString();
    Change.ConflictOpened opened = new Change.ConflictOpened(id, why.code().name(), why.message(), env.dock(),
        env.id().edgeId(), env.id().seq(), env.op().type(), parent, child, env.actor(), env.station(),
        env.hlc().wallMillis(), env.hlc().logical(), at, why.otherBag(), null, null, null, applied);
    conflicts.put(id, new Conflict(opened, "OPEN"));
    entries.add(entry(opened, origin));
    return id;
  }

  private void apply(List<Effect> effects) {
    state.apply(effects);
    reference.apply(effects);
  }

  /** The log entries an effect becomes; a ClearFinished rides on its unlink (a dock clears it too). */
  private static List<Change> changesOf(Effect e, Op op, SimState before) {
    return switch (e) {
      case Effect.CreateBag c -> List.of(new Change.Bag(c.code(), c.role().name(), c.expectedCount(),
          c.role() == BagRole.PARENT ? c.limit() : null, null));
      case Effect.AddLink l -> List.of(new Change.Link(l.parent(), l.child()));
      case Effect.RemoveLink r -> List.of(new Change.Unlink(r.parent(), r.child(),
          op instanceof Op.Unlink u ? u.reason().name() : Op.UnlinkReason.CORRECTION.name()));
      case Effect.MarkFinished f -> List.of(new Change.Finish(f.parent(), before.bag(f.parent()).orElseThrow().childCount()));
      case Effect.ClearFinished f -> List.of();
    };
  }

  private ChangeEntry entry(Change change, String origin) {
    // seq 0 for now: the position is given at commit (or, by the flawed hub, at begin)
    return new ChangeEntry(0, change.type().wire(), change.key(), Instant.ofEpochMilli(now.getAsLong()), origin,
        wire.payload(change));
  }

  private void commit(List<ChangeEntry> entries, boolean late) {
    if (entries.isEmpty()) {
      return;
    }
    List<ChangeEntry> placed = new ArrayList<>(entries.size());
    if (late) {
      // positions taken now; visible only when the transaction "commits", some steps later
      for (ChangeEntry e : entries) {
        placed.add(at(++positions, e));
      }
      uncommitted.add(new Pending(placed, 1 + (int) (Math.floorMod(positions * 7919, 5))));
      return;
    }
    long position = Math.max(head, positions);
    for (ChangeEntry e : entries) {
      placed.add(at(++position, e));
    }
    positions = position;
    placed.forEach(e -> log.put(e.seq(), e));
    head = position;
  }

  private static ChangeEntry at(long seq, ChangeEntry e) {
    return new ChangeEntry(seq, e.type(), e.key(), e.at(), e.origin(), e.payload());
  }

  private boolean visibleTo(String dock, ChangeEntry e) {
    if (!e.type().startsWith("conflict.") && !e.type().startsWith("user.")) {
      return true; // bags, links, finishes and bills go to every dock
    }
    return switch (wire.change(e).orElseThrow()) {
      case Change.User u -> u.area() == null || u.area().equals(areaOfDock.get(dock));
      case Change.ConflictOpened c -> c.dock().equals(dock);
      case Change.ConflictResolved c -> c.dock().equals(dock);
      default -> true;
    };
  }
}
