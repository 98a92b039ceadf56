package io.tracetrack.sync.sim;

import io.tracetrack.model.BagRole;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.HybridClock;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One dock's edge node. {@link Durable} is what its SQLite file holds and survives a crash; every
 * change to it happens in one step (one SQLite transaction). The rest is volatile: calls in flight,
 * the cached view. The station decides every scan against the view with the same {@link Reconciler}
 * as the hub, and records an op only when it is accepted there (the green light).
 */
final class Dock {

  /** Deliberate defects, to prove the invariants catch them. */
  enum Flaw {
    NONE,
    /** Treats a HELD outcome as done and forgets the op (a lost scan). */
    FORGETS_HELD,
    /** Reports its whole outbox as pending, answered-but-unacknowledged ops included. */
    COUNTS_WHOLE_OUTBOX
  }

  /** What the dock's SQLite file holds. */
  static final class Durable {
    /** Ops not yet answered by the hub, by seq: the outbox. */
    final TreeMap<Long, OpEnvelope> outbox = new TreeMap<>();
    /**
     * Ops the hub applied that the replica may not show yet (their changes come with a later pull):
     * still replayed in the view until a pull that began after the answer reached the head, so a
     * scan never blinks out between push and pull. The value is the call id that answered it.
     */
    final TreeMap<Long, Settling> settling = new TreeMap<>();
    long nextSeq = 1;
    Hlc clock = Hlc.ZERO;
    SimState replica = new SimState();
    /** Change-log position read up to; -1 before the first snapshot. */
    long cursor = -1;
    /** This dock's conflicts: id to OPEN or the action that closed it. */
    final TreeMap<Long, String> conflicts = new TreeMap<>();
    /** The users of its area (and of every area), to sign in offline. */
    final TreeMap<String, Change.User> users = new TreeMap<>();
  }

  record Settling(OpEnvelope op, long answeredBy) {}

  final String name;
  final String edgeId;
  final String area;
  final long skewMillis;
  private final Flaw flaw;
  private final Reconciler reconciler;
  private final WireCodec wire;
  private final OpCodec opCodec = new OpCodec();
  final Durable durable = new Durable();

  // ---- volatile: lost in a crash
  final Set<Long> pushesInFlight = new HashSet<>();
  Long pullInFlight;
  Long snapshotInFlight;
  boolean snapshotRequired;
  /** The highest seq sent in a push still unanswered (pipelined pushes send after it). */
  long sentUpTo;
  private SimState view;
  boolean lastPullCaughtUp;

  Dock(String name, String edgeId, String area, long skewMillis, Flaw flaw, Reconciler reconciler, WireCodec wire) {
    this.name = name;
    this.edgeId = edgeId;
    this.area = area;
    this.skewMillis = skewMillis;
    this.flaw = flaw;
    this.reconciler = reconciler;
    this.wire = wire;
  }

  boolean bootstrapped() {
    return durable.cursor >= 0;
  }

  /** Everything volatile is gone; the SQLite file is read again on restart. */
  void crash() {
    pushesInFlight.clear();
    pullInFlight = null;
    snapshotInFlight = null;
    snapshotRequired = false;
    sentUpTo = 0;
    view = null;
    lastPullCaughtUp = false;
  }

  /** The HTTP client gave up on every call in flight (a timeout); their answers will be ignored. */
  void timeOut() {
    pushesInFlight.clear();
    pullInFlight = null;
    snapshotInFlight = null;
    sentUpTo = 0;
  }

  /** What the station shows: the replica with the ops the hub has not shown back replayed on top. */
  SimState view() {
    if (view == null) {
      view = rebase();
    }
    return view;
  }

  /** Who may sign in at this dock now: its active users. */
  Map<String, Change.User> signInUsers() {
    Map<String, Change.User> out = new TreeMap<>();
    durable.users.forEach((name, u) -> {
      if (u.active()) {
        out.put(name, u);
      }
    });
    return out;
  }

  /** True when the view was built incrementally since the last rebase (worth comparing to one). */
  boolean viewCached() {
    return view != null;
  }

  /** The view built from durable state alone (what a restart computes). */
  SimState rebase() {
    SimState v = durable.replica.copy();
    TreeMap<Long, OpEnvelope> replay = new TreeMap<>();
    durable.settling.forEach((seq, s) -> replay.put(seq, s.op()));
    replay.putAll(durable.outbox);
    for (OpEnvelope env : replay.values()) {
      // an op the hub has meanwhile refused, or whose effect the replica already has, drops out
      if (reconciler.decide(env.op(), v) instanceof Decision.Accepted a) {
        v.apply(a.effects());
      }
    }
    return v;
  }

  /**
   * A scan at the station: decided against the view; recorded (outbox + clock in one transaction)
   * only when accepted. Empty when the station showed red.
   */
  Optional<OpEnvelope> scan(Op op, String actor, long nowMillis) {
    Decision decision = reconciler.decide(op, view());
    if (!(decision instanceof Decision.Accepted accepted)) {
      return Optional.empty();
    }
    Hlc stamp = HybridClock.tick(durable.clock, nowMillis + skewMillis);
    OpEnvelope env = new OpEnvelope(new OpId(edgeId, durable.nextSeq), stamp, actor, name, "station-1", op);
    OpEnvelope decoded = opCodec.decode(opCodec.encode(env));
    if (!decoded.equals(env)) {
      throw new IllegalStateException("op codec round trip changed " + env + " into " + decoded);
    }
    durable.outbox.put(env.id().seq(), env);
    durable.nextSeq++;
    durable.clock = stamp;
    view().apply(accepted.effects());
    return Optional.of(env);
  }

  /** The next push to send, or empty (nothing pending, or a push in flight and no pipelining). */
  Optional<String> nextPush(int batchSize, boolean pipeline, long nowMillis) {
    if (!pushesInFlight.isEmpty() && !pipeline) {
      return Optional.empty();
    }
    long from = pushesInFlight.isEmpty() ? 0 : sentUpTo;
    List<OpEnvelope> ops = durable.outbox.tailMap(from, false).values().stream().limit(batchSize).toList();
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    sentUpTo = ops.getLast().id().seq();
    Long oldest = durable.outbox.isEmpty() ? null : durable.outbox.firstEntry().getValue().hlc().wallMillis();
    // pending from this batch on: the hub derives the backlog left after it from this count
    long pending = flaw == Flaw.COUNTS_WHOLE_OUTBOX ? durable.outbox.size()
        : durable.outbox.tailMap(ops.getFirst().id().seq(), true).size();
    PushBatch batch = new PushBatch(edgeId, name, HybridClock.tick(durable.clock, nowMillis + skewMillis),
        pending, oldest, "sim", ops);
    return Optional.of(wire.encode(batch));
  }

  /**
   * The hub's answer to a push, applied in one transaction: every op up to {@code lastSeq} leaves
   * the outbox (a refused one for good, an applied one into {@link Durable#settling}).
   *
   * @param answeredBy the newest call id issued anywhere when the answer arrived: a pull issued
   *     after it is sure to see the op's changes
   *
   * @return the outcomes, for the simulator's books
   */
  List<OpOutcome> onPushAnswer(long request, String body, long answeredBy) {
    pushesInFlight.remove(request);
    PushReply reply = wire.decodeReply(body);
    Map<Long, OpOutcome> bySeq = new TreeMap<>();
    for (OpOutcome o : reply.outcomes()) {
      boolean held = o.status() == OpOutcome.Status.HELD;
      if (held == (o.seq() <= reply.lastSeq())) {
        throw new IllegalStateException("push answer of " + name + " says lastSeq " + reply.lastSeq() + " but " + o);
      }
      bySeq.put(o.seq(), o);
    }
    List<Long> done = new ArrayList<>(durable.outbox.headMap(reply.lastSeq(), true).keySet());
    for (long seq : done) {
      OpEnvelope env = durable.outbox.remove(seq);
      OpOutcome o = bySeq.get(seq);
      if (o == null || o.status() != OpOutcome.Status.REJECTED) {
        durable.settling.put(seq, new Settling(env, answeredBy));
      }
    }
    if (flaw == Flaw.FORGETS_HELD) {
      bySeq.values().stream().filter(o -> o.status() == OpOutcome.Status.HELD).forEach(o -> durable.outbox.remove(o.seq()));
    }
    if (bySeq.values().stream().anyMatch(o -> o.status() == OpOutcome.Status.HELD) || pushesInFlight.isEmpty()) {
      sentUpTo = reply.lastSeq();
    }
    HybridClock.Receive r = HybridClock.receive(durable.clock, new Hlc(reply.hubTime().toEpochMilli(), 0),
        reply.hubTime().toEpochMilli() + skewMillis, HybridClock.DEFAULT_MAX_SKEW);
    if (r instanceof HybridClock.Receive.Advanced a) {
      durable.clock = a.hlc();
    }
    view = null;
    return List.copyOf(bySeq.values());
  }

  /**
   * A page of changes, applied with the new cursor in one transaction.
   *
   * @return the number of entries applied
   */
  int onPage(long request, String body) {
    pullInFlight = null;
    ChangePage page = wire.decodePage(body);
    if (page.next() < durable.cursor) {
      throw new IllegalStateException(name + " got a page moving its cursor back from " + durable.cursor + " to " + page.next());
    }
    SimState replica = durable.replica.copy();
    Map<Long, String> conflicts = new TreeMap<>(durable.conflicts);
    Map<String, Change.User> users = new TreeMap<>(durable.users);
    for (ChangeEntry e : page.entries()) {
      if (e.seq() <= durable.cursor) {
        throw new IllegalStateException(name + " got entry " + e.seq() + " at or before its cursor " + durable.cursor);
      }
      Optional<Change> change = wire.change(e);
      change.ifPresent(c -> apply(c, replica, conflicts, users));
    }
    durable.replica = replica;
    durable.conflicts.clear();
    durable.conflicts.putAll(conflicts);
    durable.users.clear();
    durable.users.putAll(users);
    durable.cursor = page.next();
    lastPullCaughtUp = page.next() >= page.head();
    if (lastPullCaughtUp) {
      settled(request);
    }
    view = null;
    return page.entries().size();
  }

  /**
   * A snapshot stream: loaded whole, replacing replica, conflicts and cursor in one transaction,
   * or discarded when it stops short of its end line.
   *
   * @return true when loaded
   */
  boolean onSnapshot(long request, List<String> lines) {
    snapshotInFlight = null;
    if (lines.isEmpty() || !(wire.decodeSnapshotLine(lines.getFirst()) instanceof SnapshotLine.Begin begin)) {
      return false;
    }
    if (!(wire.decodeSnapshotLine(lines.getLast()) instanceof SnapshotLine.End end)
        || end.cursor() != begin.cursor() || end.lines() != lines.size() - 2) {
      return false;
    }
    SimState replica = new SimState();
    Map<Long, String> conflicts = new TreeMap<>();
    Map<String, Change.User> users = new TreeMap<>();
    for (String line : lines.subList(1, lines.size() - 1)) {
      switch (wire.decodeSnapshotLine(line)) {
        case SnapshotLine.BagRow b -> replica.load(new BagFacts(b.code(), BagRole.valueOf(b.role()), b.expectedCount(),
            b.limit(), b.childCount(), b.finished(), b.parent(), b.onFinalizedBill()));
        case SnapshotLine.ConflictRow c -> conflicts.put(c.conflict().id(), c.status());
        case SnapshotLine.UserRow u -> users.put(u.user().username(), u.user());
        case SnapshotLine.Begin b -> throw new IllegalStateException("a second begin line");
        case SnapshotLine.End e -> throw new IllegalStateException("an end line before the end");
      }
    }
    durable.replica = replica;
    durable.conflicts.clear();
    durable.conflicts.putAll(conflicts);
    durable.users.clear();
    durable.users.putAll(users);
    durable.cursor = begin.cursor();
    snapshotRequired = false;
    settled(request);
    view = null;
    return true;
  }

  /** A pull or snapshot that began after these answers reached the head: the replica shows them now. */
  private void settled(long request) {
    durable.settling.values().removeIf(s -> s.answeredBy() < request);
  }

  /** One change-log entry onto the replica, as the real edge applies it. */
  private static void apply(Change change, SimState replica, Map<Long, String> conflicts,
      Map<String, Change.User> users) {
    switch (change) {
      case Change.Bag b -> replica.apply(new Effect.CreateBag(b.code(), BagRole.valueOf(b.role()), b.expectedCount(),
          b.limit() == null ? 0 : b.limit()));
      case Change.Link l -> replica.apply(new Effect.AddLink(l.parent(), l.child()));
      case Change.Unlink u -> {
        replica.apply(new Effect.RemoveLink(u.parent(), u.child()));
        // the hub's Reconciler reopens a finished parent when a child comes off; its log says only "unlink"
        if (replica.bag(u.parent()).orElseThrow().finished()) {
          replica.apply(new Effect.ClearFinished(u.parent()));
        }
      }
      case Change.Finish f -> replica.apply(new Effect.MarkFinished(f.parent()));
      case Change.BillFinalized f -> f.parents().forEach(replica::finalizeParent);
      case Change.ConflictOpened c -> conflicts.put(c.id(), "OPEN");
      case Change.ConflictResolved c -> conflicts.put(c.id(), c.action());
      case Change.User u -> users.put(u.username(), u);
      default -> { } // bill membership: outside the simulated replicated set
    }
  }
}
