package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.Op;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Sync conflicts as people handle them: an admin lists them and closes each with one action
 * (MOVE the child to the scan's parent, KEEP the hub's state, DISMISS), and the dock that made one
 * acknowledges it. A resolution is audited and appended to the change log in its transaction, so
 * every dock hears of it (and of a MOVE's unlink and link).
 */
public final class Conflicts {

  /** The admin's one action. */
  public enum Action { MOVE, KEEP, DISMISS }

  public static final int MAX_PAGE = 500;

  /**
   * Moves a child onto a parent inside the resolving transaction, through the shared Reconciler:
   * the bag feature implements it (it depends on this package, not the other way round).
   */
  @FunctionalInterface
  public interface BagMover {
    /** The bags locked in code order, then unlink and link decided and applied; the changes in the order made. */
    Moved move(DSLContext tx, String child, String parent, Caller caller, OffsetDateTime at);
  }

  public sealed interface Moved {
    record Done(List<Change> changes) implements Moved {
      public Done {
        changes = List.copyOf(changes);
      }
    }

    record Refused(Rejection rejection) implements Moved {}
  }

  /** What a resolution came to. */
  public sealed interface Resolution {
    record Done(ConflictStore.View conflict) implements Resolution {}

    record Refused(int status, ErrorCode code, String message) implements Resolution {}
  }

  private final HubDatabase db;
  private final AuditLog audit;
  private final BagMover mover;
  private final Clock clock;

  public Conflicts(HubDatabase db, AuditLog audit, BagMover mover, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.mover = Objects.requireNonNull(mover, "mover");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public List<ConflictStore.View> list(Optional<String> status, Optional<String> dock, long after, int limit) {
    return ConflictStore.list(db.dsl(), status, dock, after, limit);
  }

  public Optional<ConflictStore.View> get(long id) {
    return ConflictStore.get(db.dsl(), id);
  }

  public Resolution resolve(long id, Action action, Caller caller) {
    Objects.requireNonNull(action, "action");
    try {
      return db.transaction(tx -> resolve(tx, id, action, caller));
    } catch (Undone u) {
      return u.refusal;
    }
  }

  private Resolution resolve(DSLContext tx, long id, Action action, Caller caller) {
    Optional<ConflictStore.View> found = ConflictStore.lock(tx, id);
    if (found.isEmpty()) {
      return new Resolution.Refused(404, ErrorCode.CONFLICT_NOT_FOUND, "no conflict " + id);
    }
    ConflictStore.View before = found.get();
    Change.ConflictOpened row = before.conflict();
    if (!"OPEN".equals(before.status())) {
      return new Resolution.Refused(409, ErrorCode.CONFLICT_CLOSED,
          "conflict " + id + " was closed already (" + before.resolution() + " by " + before.resolvedBy() + ")");
    }
    OffsetDateTime at = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    String by = caller.principal().username();
    List<Change> changes = new ArrayList<>();
    if (action == Action.MOVE) {
      if (!Op.LINK.equals(row.opType()) || row.parent() == null || row.child() == null) {
        return new Resolution.Refused(422, ErrorCode.CONFLICT_ACTION_INVALID,
            "MOVE applies to a refused link only; this conflict's op is " + row.opType() + ": KEEP or DISMISS it");
      }
      switch (mover.move(tx, row.child(), row.parent(), caller, at)) {
        case Moved.Done d -> changes.addAll(d.changes());
        // the unlink may already be written: undo the whole transaction, the conflict stays OPEN
        case Moved.Refused r -> throw new Undone(new Resolution.Refused(409, r.rejection().code(),
            "cannot move " + row.child() + " to " + row.parent() + ": " + r.rejection().message()));
      }
    }
    ConflictStore.resolve(tx, id, action.name(), by, at);
    ConflictStore.View after = ConflictStore.get(tx, id).orElseThrow();
    audit.record(tx, caller.actor(), AuditAction.CONFLICT_RESOLVED, Long.toString(id), before, after);
    List<ChangeLog.Entry> entries = new ArrayList<>();
    entries.add(new ChangeLog.Entry(new Change.ConflictResolved(id, row.dock(), action.name(), by, at.toInstant().toString()),
        at, by));
    changes.forEach(c -> entries.add(new ChangeLog.Entry(c, at, by)));
    // last write of the transaction (see ChangeLog)
    ChangeLog.append(tx, entries);
    return new Resolution.Done(after);
  }

  /** The dock saw its conflict; false when it has none with this id (another dock's is not its business). */
  public boolean acknowledge(String dock, long id) {
    return ConflictStore.acknowledge(db.dsl(), dock, id, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }

  /** Carries a refusal out of a transaction that must roll back. */
  private static final class Undone extends RuntimeException {
    private final transient Resolution.Refused refusal;

    Undone(Resolution.Refused refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }
  }
}
