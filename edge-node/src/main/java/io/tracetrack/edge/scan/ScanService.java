package io.tracetrack.edge.scan;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.StoreUnavailableException;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.FinishDecision;
import io.tracetrack.model.FinishRules;
import io.tracetrack.model.LinkRules;
import io.tracetrack.model.ParentFacts;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.StationCommand;
import io.tracetrack.model.UndoRules;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scan path. Every entry point (page, JSON endpoint, terminal capture) calls {@link #scan}:
 * normalise and classify; drop scanner bounces; then, in one durable transaction, decide with the
 * shared {@link Reconciler}, write the effect, its outbox op, the station's new state and the scan
 * log; only after COMMIT is the answer built. Invalid input never reaches the database.
 */
public final class ScanService {

  /**
   * How many of the latest scans (all stations) undo looks through for the station's last link:
   * far more than a dock scans in the one-hour undo window.
   */
  private static final int UNDO_LOOKBACK = 50_000;

  private static final int RECENT_SHOWN = 8;

  /** How many of the latest scans (all stations) the recent-scans list looks through. */
  private static final int RECENT_WINDOW = 5_000;

  /** How long a FINISH waits for the confirming second FINISH. */
  public static final Duration FINISH_CONFIRM_WINDOW = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(ScanService.class.getName());

  private final EdgeDatabase db;
  private final CodeGrammar grammar;
  private final Reconciler reconciler;
  private final OpCodec codec = new OpCodec();
  private final Clock clock;
  private final Duration bounceWindow;
  private final Duration idleReset;
  private final Map<String, BounceFilter.LastScan> lastScanByStation = new ConcurrentHashMap<>();
  private final Map<String, Long> lastActivityByStation = new ConcurrentHashMap<>();
  private final Runnable afterCommit;

  public ScanService(EdgeDatabase db, CodeGrammar grammar, Clock clock, Duration bounceWindow, Duration idleReset) {
    this(db, grammar, clock, bounceWindow, idleReset, () -> { });
  }

  /**
   * @param afterCommit runs after every committed scan (the sync worker's nudge): it must be cheap
   *     and never block, since the scan's answer waits for it
   */
  public ScanService(EdgeDatabase db, CodeGrammar grammar, Clock clock, Duration bounceWindow, Duration idleReset,
      Runnable afterCommit) {
    this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
    this.db = Objects.requireNonNull(db, "db");
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.reconciler = new Reconciler(grammar);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.bounceWindow = Objects.requireNonNull(bounceWindow, "bounceWindow");
    this.idleReset = Objects.requireNonNull(idleReset, "idleReset");
  }

  /** The code formats this dock reads scans with. */
  public CodeGrammar grammar() {
    return grammar;
  }

  /**
   * Takes one scan.
   *
   * @param station the station it was made at (already validated)
   * @param actor the signed-in user (already authenticated)
   * @param raw exactly what the scanner typed
   */
  public ScanResult scan(String station, String actor, String raw) {
    Instant now = clock.instant();
    CodeKind kind = grammar.read(raw);
    if (kind instanceof CodeKind.NotACode notACode) {
      return ScanResult.rejected(null, ScanResult.Kind.INVALID, null, notACode.rejection(), progressNow(station, now), now);
    }
    String code = codeOf(kind);
    ScanResult.Kind resultKind = kindOf(kind);
    BounceFilter.LastScan last = lastScanByStation.get(station);
    if (BounceFilter.isBounce(last, code, now, bounceWindow)) {
      return ScanResult.bounce(code, resultKind, progressNow(station, now), now);
    }
    ScanResult result;
    try {
      result = db.writeSession(session -> inTransaction(new StoreTx(session, codec), station, actor, kind, code, now));
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "scan of " + code + " at " + station + " not recorded: " + e.getMessage(), e);
      // where the station stands (read, which still works on a full disk), not an empty progress:
      // the page must keep showing the parent and its count it had before this scan
      return ScanResult.rejected(code, resultKind, commandOf(kind),
          Rejection.of(ErrorCode.STORE_UNAVAILABLE, "NOT RECORDED: " + e.getMessage() + ". Scan " + code + " again."),
          progressNow(station, now), now);
    }
    // only a stored scan arms the bounce filter: a re-scan after NOT RECORDED must go through
    lastScanByStation.put(station, new BounceFilter.LastScan(code, now));
    lastActivityByStation.merge(station, now.toEpochMilli(), Math::max);
    afterCommit.run();
    return result;
  }

  private ScanResult inTransaction(StoreTx tx, String station, String actor, CodeKind kind, String code, Instant now) {
    long nowMillis = now.toEpochMilli();
    StationState stored = tx.station(station, nowMillis);
    StationState state = stored;
    if (isIdle(stored, nowMillis)) {
      state = state.withParent(null); // F-SCAN 8: an idle station is back in parent mode
    }
    Step step = switch (kind) {
      case CodeKind.Parent parent -> parentScan(tx, state, actor, parent, now);
      case CodeKind.Child child -> childScan(tx, state, actor, child.code(), now);
      case CodeKind.Command command -> switch (command.command()) {
        case UNDO -> undo(tx, state, actor, now);
        case FINISH -> finish(tx, state, actor, now);
        case CANCEL -> cancel(tx, state, now);
      };
      case CodeKind.NotACode n -> throw new IllegalStateException("invalid input reached the store");
    };
    StationState after = step.station().touchedAt(nowMillis);
    // the row changes with the parent or a pending finish; plain activity stays in memory, which
    // spares every child scan a page in its fsync (after a restart the row's time stands in)
    if (!Objects.equals(after.parent(), stored.parent()) || !Objects.equals(after.pendingFinishAt(), stored.pendingFinishAt())) {
      tx.saveStation(after, actor);
    }
    if (step.op() != null) {
      tx.record(step.op(), step.result().message(), nowMillis);
    } else {
      tx.logScan(step.result(), station, actor);
    }
    return step.result();
  }

  private boolean isIdle(StationState stored, long nowMillis) {
    long last = Math.max(stored.lastActivityAt(), lastActivityByStation.getOrDefault(stored.name(), Long.MIN_VALUE));
    return stored.parent() != null && nowMillis - last >= idleReset.toMillis();
  }

  /** A result, the station state it leaves behind, and the op it made (or {@code null}). */
  private record Step(ScanResult result, StationState station, OpEnvelope op) {
    Step(ScanResult result, StationState station) {
      this(result, station, null);
    }
  }

  private Step parentScan(StoreTx tx, StationState state, String actor, CodeKind.Parent parent, Instant now) {
    String code = parent.code();
    Optional<BagFacts> existing = tx.bag(code);
    Optional<Rejection> roleProblem = LinkRules.checkParentRole(code, existing.map(BagFacts::role).orElse(null));
    if (roleProblem.isPresent()) {
      return new Step(rejected(code, ScanResult.Kind.PARENT, null, roleProblem.get(), tx, state, now), state.withoutPendingFinish());
    }
    OpEnvelope created = null;
    if (existing.isEmpty()) {
      Op op = new Op.CreateParent(code, parent.expectedCount(), parent.limit());
      Decision decision = reconciler.decide(op, tx);
      if (decision instanceof Decision.Rejected r) {
        return new Step(rejected(code, ScanResult.Kind.PARENT, null, r.rejection(), tx, state, now), state);
      }
      created = commit(tx, op, (Decision.Accepted) decision, actor, state.name(), now);
    }
    ParentFacts facts = tx.bag(code).orElseThrow().asParent();
    String message;
    if (existing.isEmpty()) {
      message = code + ": new parent, scan its children (0 of " + facts.limit() + ")";
    } else if (facts.onFinalizedBill()) {
      message = code + " is on a finalized bill (" + facts.progress() + "); it cannot change";
    } else if (facts.isComplete()) {
      message = code + " is complete (" + facts.progress() + ")";
    } else {
      message = code + ": reopened at " + facts.progress();
    }
    StationState next = state.withParent(code);
    return new Step(ScanResult.accepted(code, ScanResult.Kind.PARENT, null, message,
        ScanResult.Progress.of(facts, false), now, seqOf(created)), next, created);
  }

  private Step childScan(StoreTx tx, StationState state, String actor, String child, Instant now) {
    StationState next = state.withoutPendingFinish();
    if (state.parent() == null) {
      Rejection r = Rejection.of(ErrorCode.NO_PARENT, "Scan a parent bag first; " + child + " was not linked");
      return new Step(rejected(child, ScanResult.Kind.CHILD, null, r, tx, next, now), next);
    }
    Optional<Rejection> otherArea = otherArea(tx, state.parent(), child + " was not linked");
    if (otherArea.isPresent()) {
      return new Step(rejected(child, ScanResult.Kind.CHILD, null, otherArea.get(), tx, next, now), next);
    }
    Op op = new Op.Link(state.parent(), child);
    Decision decision = reconciler.decide(op, tx);
    if (decision instanceof Decision.Rejected r) {
      return new Step(rejected(child, ScanResult.Kind.CHILD, null, r.rejection(), tx, next, now), next);
    }
    OpEnvelope linked = commit(tx, op, (Decision.Accepted) decision, actor, state.name(), now);
    ParentFacts facts = tx.bag(state.parent()).orElseThrow().asParent();
    String message = facts.isComplete()
        ? child + " linked. " + facts.code() + " is COMPLETE (" + facts.progress() + ")"
        : child + " → " + facts.code() + " (" + facts.progress() + ")";
    return new Step(ScanResult.accepted(child, ScanResult.Kind.CHILD, null, message,
        ScanResult.Progress.of(facts, false), now, seqOf(linked)), next, linked);
  }

  private Step undo(StoreTx tx, StationState state, String actor, Instant now) {
    String code = StationCommand.UNDO.barcode();
    StationState next = state.withoutPendingFinish();
    Optional<LastLink> last = tx.lastLink(state.name(), UNDO_LOOKBACK);
    if (last.isEmpty()) {
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.UNDO, UndoRules.nothingToUndo(), tx, next, now), next);
    }
    LastLink link = last.get();
    Optional<Rejection> tooOld = UndoRules.check(link.child(), Instant.ofEpochMilli(link.linkedAt()), now);
    if (tooOld.isPresent()) {
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.UNDO, tooOld.get(), tx, next, now), next);
    }
    Optional<Rejection> otherArea = otherArea(tx, link.parent(), link.child() + " stays on it");
    if (otherArea.isPresent()) {
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.UNDO, otherArea.get(), tx, next, now), next);
    }
    Op op = new Op.Unlink(link.parent(), link.child(), Op.UnlinkReason.UNDO);
    Decision decision = reconciler.decide(op, tx);
    if (decision instanceof Decision.Rejected r) {
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.UNDO, r.rejection(), tx, next, now), next);
    }
    OpEnvelope unlinked = commit(tx, op, (Decision.Accepted) decision, actor, state.name(), now);
    // show the parent the child came off, so the person can rescan into it
    next = next.withParent(link.parent());
    ParentFacts facts = tx.bag(link.parent()).orElseThrow().asParent();
    String message = "Undone: " + link.child() + " removed from " + link.parent() + " (" + facts.progress() + ")";
    return new Step(ScanResult.accepted(code, ScanResult.Kind.COMMAND, StationCommand.UNDO, message,
        ScanResult.Progress.of(facts, false), now, seqOf(unlinked)), next, unlinked);
  }

  private Step finish(StoreTx tx, StationState state, String actor, Instant now) {
    String code = StationCommand.FINISH.barcode();
    if (state.parent() == null) {
      Rejection r = Rejection.of(ErrorCode.NO_PARENT, "No parent to finish; scan a parent bag first");
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, r, tx, state, now), state);
    }
    Optional<Rejection> otherArea = otherArea(tx, state.parent(), "it was not finished");
    if (otherArea.isPresent()) {
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, otherArea.get(), tx, state, now),
          state.withoutPendingFinish());
    }
    Optional<ParentFacts> current = tx.bag(state.parent()).map(b -> b.asParent());
    if (current.isEmpty()) {
      // the station's parent left the view: the hub refused its creation (a conflict the dock was
      // shown), so there is nothing here to finish; the station goes back to parent mode
      Rejection gone = Rejection.of(ErrorCode.UNKNOWN_PARENT, state.parent()
          + " is no longer known at this dock (the hub refused it; see the conflicts panel); scan a parent bag");
      return new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, gone, tx, state, now), state.withParent(null));
    }
    ParentFacts facts = current.get();
    // a pending finish without its count (asked before the count was kept) is asked again
    boolean confirmed = state.pendingFinishAt() != null && state.pendingFinishCount() != null
        && now.toEpochMilli() - state.pendingFinishAt() <= FINISH_CONFIRM_WINDOW.toMillis();
    return switch (FinishRules.decide(facts, confirmed)) {
      case FinishDecision.NeedsConfirmation n -> {
        StationState next = state.withPendingFinish(now.toEpochMilli(), facts.childCount());
        yield new Step(ScanResult.rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, n.rejection(),
            ScanResult.Progress.of(facts, true), now), next);
      }
      case FinishDecision.Refused r ->
          new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, r.rejection(), tx, state, now), state.withoutPendingFinish());
      case FinishDecision.AlreadyComplete c -> new Step(ScanResult.accepted(code, ScanResult.Kind.COMMAND,
          StationCommand.FINISH, facts.code() + " is already complete (" + facts.progress() + "). Scan the next parent.",
          ScanResult.Progress.NONE, now, null), state.withParent(null));
      case FinishDecision.Finish f -> {
        // the op carries the count the person confirmed, not today's: if another station linked
        // or undid meanwhile, the Reconciler refuses it rather than finish at an unconfirmed count
        int confirmedAt = state.pendingFinishCount();
        Op op = new Op.Finish(facts.code(), confirmedAt);
        Decision decision = reconciler.decide(op, tx);
        if (decision instanceof Decision.Rejected r && r.rejection().code() == ErrorCode.FINISH_STALE) {
          // ask again at the count that stands now, so the next FINISH confirms what it shows
          StationState next = state.withPendingFinish(now.toEpochMilli(), facts.childCount());
          Rejection stale = Rejection.of(ErrorCode.FINISH_STALE, facts.code() + " now has " + facts.progress()
              + " (you confirmed at " + confirmedAt + "): scan FINISH again to finish it at " + facts.childCount(),
              facts.code());
          yield new Step(ScanResult.rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, stale,
              ScanResult.Progress.of(facts, true), now), next);
        }
        if (decision instanceof Decision.Rejected r) {
          yield new Step(rejected(code, ScanResult.Kind.COMMAND, StationCommand.FINISH, r.rejection(), tx, state, now), state.withoutPendingFinish());
        }
        OpEnvelope finished = commit(tx, op, (Decision.Accepted) decision, actor, state.name(), now);
        yield new Step(ScanResult.accepted(code, ScanResult.Kind.COMMAND, StationCommand.FINISH,
            facts.code() + " finished short at " + facts.progress() + " by " + actor + ". Scan the next parent.",
            ScanResult.Progress.NONE, now, seqOf(finished)), state.withParent(null), finished);
      }
    };
  }

  private Step cancel(StoreTx tx, StationState state, Instant now) {
    String code = StationCommand.CANCEL.barcode();
    Optional<ParentFacts> current = state.parent() == null ? Optional.empty()
        : tx.bag(state.parent()).map(b -> b.asParent());
    // a parent that left the view (refused at the hub) is simply left, as when no finish was pending
    if (state.pendingFinishAt() != null && current.isPresent()) {
      StationState next = state.withoutPendingFinish();
      ParentFacts facts = current.get();
      return new Step(ScanResult.accepted(code, ScanResult.Kind.COMMAND, StationCommand.CANCEL,
          "Finish cancelled; still on " + facts.code() + " (" + facts.progress() + ")",
          ScanResult.Progress.of(facts, false), now, null), next);
    }
    String message = state.parent() == null ? "Parent mode: scan a parent bag" : "Left " + state.parent() + "; scan a parent bag";
    return new Step(ScanResult.accepted(code, ScanResult.Kind.COMMAND, StationCommand.CANCEL, message,
        ScanResult.Progress.NONE, now, null), state.withParent(null));
  }

  /**
   * A parent the replica knows to be of another area than this dock's is refused here already, as
   * the hub would refuse the op (BAG_IN_OTHER_AREA): a dock works only on its own area's bags. An
   * unknown area (an older hub, a bag only this dock has seen) is allowed.
   */
  private static Optional<Rejection> otherArea(StoreTx tx, String parent, String consequence) {
    return tx.otherArea(parent).map(area -> Rejection.of(ErrorCode.BAG_IN_OTHER_AREA, parent + " belongs to area " + area
        + ", not this dock's area " + tx.dockArea() + "; " + consequence, parent));
  }

  private static Long seqOf(OpEnvelope envelope) {
    return envelope == null ? null : envelope.id().seq();
  }

  /** Stamps the op and applies its effects; the caller's Step carries it to the outbox. */
  private OpEnvelope commit(StoreTx tx, Op op, Decision.Accepted decision, String actor, String station, Instant now) {
    OpEnvelope envelope = tx.stamp(op, actor, station, now.toEpochMilli());
    tx.apply(decision.effects(), actor, station, now.toEpochMilli(), envelope.id().seq());
    return envelope;
  }

  private ScanResult rejected(String code, ScanResult.Kind kind, StationCommand command, Rejection r, StoreTx tx,
      StationState state, Instant now) {
    return ScanResult.rejected(code, kind, command, r, progress(tx, state), now);
  }

  private static ScanResult.Progress progress(StoreTx tx, StationState state) {
    if (state.parent() == null) {
      return ScanResult.Progress.NONE;
    }
    return tx.bag(state.parent())
        .filter(b -> b.role() == BagRole.PARENT)
        .map(b -> ScanResult.Progress.of(b.asParent(), state.pendingFinishAt() != null))
        .orElse(ScanResult.Progress.NONE);
  }

  /** The station's progress from the read connection, for answers that write nothing. */
  private ScanResult.Progress progressNow(String station, Instant now) {
    try {
      return db.readSession(session -> {
        StoreTx tx = new StoreTx(session, codec);
        StationState state = tx.station(station, now.toEpochMilli());
        if (isIdle(state, now.toEpochMilli())) {
          return ScanResult.Progress.NONE;
        }
        return progress(tx, state);
      });
    } catch (StoreUnavailableException e) {
      return ScanResult.Progress.NONE;
    }
  }

  /** What the station page shows when it (re)loads. */
  public StationView view(String station, String user) {
    Instant now = clock.instant();
    ScanResult.Progress p = progressNow(station, now);
    List<StationView.RecentScan> recent = db.readSession(
        session -> new StoreTx(session, codec).recentScans(station, RECENT_WINDOW, RECENT_SHOWN));
    return new StationView(station, user, p.mode(), p.parent(), p.count(), p.limit(), p.complete(), p.pendingFinish(),
        idleReset.toMinutes(), bounceWindow.toMillis(), recent);
  }

  private static String codeOf(CodeKind kind) {
    return switch (kind) {
      case CodeKind.Parent p -> p.code();
      case CodeKind.Child c -> c.code();
      case CodeKind.Command c -> c.command().barcode();
      case CodeKind.NotACode n -> null;
    };
  }

  private static ScanResult.Kind kindOf(CodeKind kind) {
    return switch (kind) {
      case CodeKind.Parent p -> ScanResult.Kind.PARENT;
      case CodeKind.Child c -> ScanResult.Kind.CHILD;
      case CodeKind.Command c -> ScanResult.Kind.COMMAND;
      case CodeKind.NotACode n -> ScanResult.Kind.INVALID;
    };
  }

  private static StationCommand commandOf(CodeKind kind) {
    return kind instanceof CodeKind.Command c ? c.command() : null;
  }
}
