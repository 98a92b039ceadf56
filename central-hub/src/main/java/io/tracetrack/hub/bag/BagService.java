package io.tracetrack.hub.bag;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.sync.Change;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.sync.Conflicts;
import io.tracetrack.hub.db.SharedReads;
import io.tracetrack.sync.BagFacts;
import java.util.ArrayList;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeInput;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.CodeNormalizer;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.Role;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.Reconciler;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Creating bags and linking them, through the same {@link Reconciler} the docks run. Each call is
 * one transaction: lock the rows involved, decide, apply, record history. A unique-key clash
 * (another request created the same child at the same moment) is retried, and then decided against
 * the row that won. An applied change also appends its one entry to the {@link ChangeLog}, as the
 * transaction's last write, so docks hear of it in commit order; a no-op or a refusal appends nothing.
 */
public final class BagService {

  private static final int ATTEMPTS = 3;

  private final HubDatabase db;
  private final CodeGrammar grammar;
  private final Reconciler reconciler;
  private final AuditLog audit;
  private final Clock clock;
  private final BagViews views = new BagViews(BagViews.MAX_ENTRIES);
  /**
   * The lookups that miss {@link #views}, read together: each request joins the next statement that
   * has not started (so it sees every commit made before it asked), and at 200 connections one
   * statement answers dozens of them, where one each held a pooled connection, a round trip and a
   * PostgreSQL executor apiece (issue #15's read-path targets).
   */
  private final SharedReads<String, BagView> lookups;

  public BagService(HubDatabase db, CodeGrammar grammar, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.reconciler = new Reconciler(grammar);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lookups = new SharedReads<>("bag-lookups", codes -> BagStore.lookupAll(db.dsl(), codes));
  }

  /** What a change came to. */
  public sealed interface Outcome {
    /** Done (or already so); the bag the caller asked about, as it now is. */
    record Applied(BagView bag, boolean created) implements Outcome {}

    /** Refused; nothing changed. */
    record Rejected(Rejection rejection) implements Outcome {}
  }

  /** Creates a bag if absent: a parent through the CreateParent op, a child as an unlinked bag. */
  public Outcome create(String rawCode, Caller caller) {
    CodeKind kind = grammar.read(rawCode);
    return switch (kind) {
      case CodeKind.NotACode n -> new Outcome.Rejected(n.rejection());
      case CodeKind.Command c -> new Outcome.Rejected(Rejection.of(ErrorCode.INVALID_CODE, c.command().barcode() + " is a station command, not a bag"));
      case CodeKind.Parent p -> change(dsl -> createParent(dsl, p, caller));
      case CodeKind.Child c -> change(dsl -> {
        BagStore store = new BagStore(dsl);
        store.lock(c.code());
        Optional<BagStore.Row> existing = store.row(c.code());
        if (existing.isPresent()) {
          if (existing.get().role() != BagRole.CHILD) {
            return new Outcome.Rejected(Rejection.of(ErrorCode.CODE_IS_PARENT, c.code() + " is a parent bag"));
          }
          return visible(existing.get(), caller) ? new Outcome.Applied(BagStore.view(dsl, c.code()), false) : new Outcome.Rejected(notFound(c.code()));
        }
        BagStore.Context ctx = context(caller);
        store.apply(List.of(new Effect.CreateBag(c.code(), BagRole.CHILD, null, 0)), ctx);
        store.history("CREATE_CHILD", c.code(), null, ctx);
        audit.record(dsl, caller.actor(), AuditAction.CHILD_CREATED, c.code(), null, store.bag(c.code()).orElse(null));
        logChange(dsl, new Change.Bag(c.code(), BagRole.CHILD.name(), null, null, store.row(c.code()).map(BagStore.Row::areaId).orElse(null)), ctx);
        return new Outcome.Applied(BagStore.view(dsl, c.code()), true);
      });
    };
  }

  /**
   * Creates a parent if absent, inside the caller's own transaction: a bill taking a typed parent
   * wants the new bag and its place on the bill to commit or roll back together. Same op, counters,
   * history and audit as {@link #create}. The caller's transaction may fail with a unique-key
   * violation if another one created the same parent at the same moment; retrying it then finds
   * the parent there.
   */
  public Outcome createParent(DSLContext tx, CodeKind.Parent parent, Caller caller) {
    BagStore store = new BagStore(tx);
    store.lock(parent.code());
    Optional<BagStore.Row> existing = store.row(parent.code());
    if (existing.isPresent() && !visible(existing.get(), caller)) {
      return new Outcome.Rejected(notFound(parent.code()));
    }
    Op op = new Op.CreateParent(parent.code(), parent.expectedCount(), parent.limit());
    return decideAndApply(store, op, caller, parent.code(), existing.isEmpty());
  }

  /** Links a child to a parent (creating the child if absent). */
  public Outcome link(String rawParent, String rawChild, Caller caller) {
    return onParentAndChild(rawParent, rawChild, caller, (parent, child) -> new Op.Link(parent, child));
  }

  /** Takes a child off the parent it is expected to be on. */
  public Outcome unlink(String rawChild, String rawExpectedParent, Caller caller) {
    return onParentAndChild(rawExpectedParent, rawChild, caller,
        (parent, child) -> new Op.Unlink(parent, child, Op.UnlinkReason.CORRECTION));
  }

  /** One op about a parent and a child: both rows locked, the parent visible to the caller. */
  private Outcome onParentAndChild(String rawParent, String rawChild, Caller caller,
      java.util.function.BiFunction<String, String, Op> opFor) {
    Optional<String> parent = normalize(rawParent);
    Optional<String> child = normalize(rawChild);
    if (parent.isEmpty() || child.isEmpty()) {
      return invalid(parent.isEmpty() ? rawParent : rawChild);
    }
    return change(dsl -> {
      BagStore store = new BagStore(dsl);
      store.lock(parent.get(), child.get());
      Optional<BagStore.Row> parentRow = store.row(parent.get());
      if (parentRow.isPresent() && !visible(parentRow.get(), caller)) {
        return new Outcome.Rejected(notFound(parent.get()));
      }
      return decideAndApply(store, opFor.apply(parent.get(), child.get()), caller, parent.get(), false);
    });
  }

  /**
   * A conflict's MOVE, inside the resolving transaction: takes {@code child} off the parent it is on
   * (if any) and links it to {@code parent}, each step decided by the Reconciler, with history and
   * audit like any link. The child, its current parent and the target are locked in code order; the
   * current parent is read first without a lock, and if the child moved in between, its new parent
   * is locked too (out of order, but only in that rare race). The change-log entries are returned,
   * not appended: the caller appends them with its own, as its transaction's last write.
   */
  public Conflicts.Moved move(DSLContext tx, String child, String parent, Caller caller, OffsetDateTime at) {
    BagStore store = new BagStore(tx);
    Optional<String> from = store.parentOf(child);
    store.lock(from.map(p -> new String[] {child, parent, p}).orElse(new String[] {child, parent}));
    String current = store.bag(child).map(BagFacts::parent).orElse(null);
    if (current != null && from.filter(current::equals).isEmpty()) {
      store.lock(current);
    }
    if (parent.equals(current)) {
      return new Conflicts.Moved.Done(List.of());
    }
    BagStore.Context ctx = new BagStore.Context(caller.principal().username(), null, null, "API", at);
    List<Change> changes = new ArrayList<>();
    List<Op> ops = new ArrayList<>();
    if (current != null) {
      ops.add(new Op.Unlink(current, child, Op.UnlinkReason.CORRECTION));
    }
    ops.add(new Op.Link(parent, child));
    for (Op op : ops) {
      Decision decision = reconciler.decide(op, store);
      if (decision instanceof Decision.Rejected r) {
        return new Conflicts.Moved.Refused(r.rejection());
      }
      Object before = store.bag(child).orElse(null);
      store.apply(((Decision.Accepted) decision).effects(), ctx);
      String onParent = op instanceof Op.Unlink u ? u.parent() : parent;
      store.history(op.type(), child, onParent, ctx);
      audit.record(tx, caller.actor(), action(op), child, before, store.bag(child).orElse(null));
      changes.add(Change.of(op, areaOf(op, store)));
    }
    return new Conflicts.Moved.Done(changes);
  }

  /** A bag, its children or parent and its latest history; empty if unknown or outside the caller's area. */
  public Optional<BagView> get(String rawCode, Caller caller) {
    return get(rawCode, caller, null);
  }

  /**
   * A bag as {@link #get(String, Caller)}, with the history page older than entry {@code historyBefore}
   * (null for the latest page, which is the one kept in memory). One statement when not in memory.
   */
  public Optional<BagView> get(String rawCode, Caller caller, Long historyBefore) {
    Optional<String> code = normalize(rawCode);
    if (code.isEmpty()) {
      return Optional.empty();
    }
    Optional<BagView> view = historyBefore == null
        ? views.get(code.get(), c -> Optional.ofNullable(lookups.get(c)))
        : BagStore.lookup(db.dsl(), code.get(), historyBefore);
    // the area is on the view itself: the rule is decided without another read
    return view.filter(v -> caller.principal().role() != Role.DISPATCHER || Objects.equals(v.area(), caller.principal().area()));
  }

  /** The views kept in memory: evicted from the change log, watched by the metrics. */
  public BagViews views() {
    return views;
  }

  private Outcome decideAndApply(BagStore store, Op op, Caller caller, String shown, boolean created) {
    Decision decision = reconciler.decide(op, store);
    if (decision instanceof Decision.Rejected r) {
      return new Outcome.Rejected(withinArea(r.rejection(), store, caller));
    }
    Decision.Accepted accepted = (Decision.Accepted) decision;
    BagStore.Context ctx = context(caller);
    String subject = bagOf(op);
    Object before = store.bag(subject).orElse(null);
    store.apply(accepted.effects(), ctx);
    if (!accepted.effects().isEmpty()) {
      store.history(op.type(), subject, op instanceof Op.CreateParent ? null : shown, ctx);
      audit.record(store.dsl(), caller.actor(), action(op), subject, before, store.bag(subject).orElse(null));
      logChange(store.dsl(), Change.of(op, areaOf(op, store)), ctx);
    }
    return new Outcome.Applied(BagStore.view(store.dsl(), shown), created);
  }

  /** The audit action of an applied op: what happened to the bag the entry is about. */
  private static AuditAction action(Op op) {
    return switch (op) {
      case Op.CreateParent c -> AuditAction.PARENT_CREATED;
      case Op.Link l -> AuditAction.CHILD_LINKED;
      case Op.Unlink u -> AuditAction.CHILD_UNLINKED;
      case Op.Finish f -> AuditAction.PARENT_FINISHED;
    };
  }


  /** The area a parent the op creates was stored with (the caller's); null for other ops. */
  private static String areaOf(Op op, BagStore store) {
    return op instanceof Op.CreateParent c ? store.row(c.parent()).map(BagStore.Row::areaId).orElse(null) : null;
  }

  private static void logChange(DSLContext tx, Change change, BagStore.Context ctx) {
    ChangeLog.append(tx, new ChangeLog.Entry(change, ctx.at(), ctx.actor()));
  }

  /** Runs one change in a transaction, retrying when a concurrent insert of the same key won. */
  private Outcome change(java.util.function.Function<DSLContext, Outcome> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.transaction(work);
      } catch (DataAccessException e) {
        if (attempt >= ATTEMPTS || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  private static String bagOf(Op op) {
    return op.bag();
  }

  /**
   * A refusal as the caller may read it: a dispatcher is not told the code of a bag outside their
   * area (say, the parent in another area a child is already on) — only that there is one.
   */
  private static Rejection withinArea(Rejection rejection, BagStore store, Caller caller) {
    String other = rejection.otherBag();
    if (other == null || store.row(other).map(row -> visible(row, caller)).orElse(true)) {
      return rejection;
    }
    // LinkRules says "C is already on another parent: P"; any other wording loses just the code
    String message = rejection.message().replace(" another parent: " + other, " a parent in another area")
        .replace(other, "a bag in another area");
    return new Rejection(rejection.code(), message, null, rejection.detail());
  }

  /** Dispatchers see their own area only; everyone else sees everything. */
  private static boolean visible(BagStore.Row row, Caller caller) {
    return caller.principal().role() != Role.DISPATCHER || Objects.equals(row.areaId(), caller.principal().area());
  }

  private BagStore.Context context(Caller caller) {
    return new BagStore.Context(caller.principal().username(), caller.principal().area(), null, "API",
        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }

  private static Optional<String> normalize(String raw) {
    return CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String code) ? Optional.of(code) : Optional.empty();
  }

  private static Outcome invalid(String raw) {
    return new Outcome.Rejected(((CodeInput.Invalid) CodeNormalizer.normalize(raw)).rejection());
  }

  private static Rejection notFound(String code) {
    return Rejection.of(ErrorCode.UNKNOWN_PARENT, code + " does not exist in your area", code);
  }
}
