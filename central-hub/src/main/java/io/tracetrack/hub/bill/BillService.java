package io.tracetrack.hub.bill;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.bag.BagService;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.stats.Counters;
import io.tracetrack.sync.Change;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.BillRules;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeInput;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.CodeNormalizer;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.WeightPolicy;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Bills: create, edit, add and remove parents, finalize, reopen, read. Each change is one
 * transaction that locks the bill's row first, checks the shared {@link BillRules} against what
 * it then reads, writes, keeps the counters and records the audit entry, all or nothing. A change a
 * dock must hear of (finalize, reopen, a parent on or off a bill) also appends its entry to the
 * {@link ChangeLog} in that transaction, as its last write: the log's position lock is held to commit.
 */
public final class BillService {

  private static final int ATTEMPTS = 3;

  private final HubDatabase db;
  private final CodeGrammar grammar;
  private final BagService bags;
  private final WeightPolicy weights;
  private final AuditLog audit;
  private final Clock clock;
  private final BillSummaries summaries = new BillSummaries();

  public BillService(HubDatabase db, CodeGrammar grammar, BagService bags, WeightPolicy weights, AuditLog audit,
      Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.bags = Objects.requireNonNull(bags, "bags");
    this.weights = Objects.requireNonNull(weights, "weights");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a change came to. Anything but {@link Done} changed nothing. */
  public sealed interface Outcome {
    /** Done (or already so); the bill as it now is. */
    record Done(BillView bill, boolean created) implements Outcome {}

    /** The request is wrong in itself: a malformed id or code, a missing field, a capacity out of range. */
    record Invalid(Rejection rejection) implements Outcome {}

    /** There is no such bill. */
    record NotFound(Rejection rejection) implements Outcome {}

    /** The bill's or the parent's present state refuses it (full, finalized, on another bill...). */
    record Refused(Rejection rejection) implements Outcome {}
  }

  /** The fields of an edit; {@code null} leaves a field as it is. */
  public record Edit(Integer capacity, String destination, String vehicle) {
    public boolean isEmpty() {
      return capacity == null && destination == null && vehicle == null;
    }
  }

  public Outcome create(String rawId, String rawDestination, String rawVehicle, int capacity, Caller caller) {
    Optional<String> id = billId(rawId);
    if (id.isEmpty()) {
      return new Outcome.Invalid(billIdRejection(rawId));
    }
    String destination = strip(rawDestination);
    String vehicle = strip(rawVehicle);
    Optional<Rejection> problem = BillRules.checkField("destination", destination)
        .or(() -> BillRules.checkField("vehicle", vehicle))
        .or(() -> BillRules.checkNewCapacity(capacity));
    if (problem.isPresent()) {
      return new Outcome.Invalid(problem.get());
    }
    return change(tx -> {
      BillStore store = new BillStore(tx);
      if (store.exists(id.get())) {
        return new Outcome.Refused(Rejection.of(ErrorCode.BILL_EXISTS, "bill " + id.get() + " already exists"));
      }
      store.insert(id.get(), destination, vehicle, capacity, caller.principal().username(), now());
      Counters.add(tx, Counters.BILLS_OPEN, "", "", 1);
      BillView after = view(tx, id.get());
      audit.record(tx, caller.actor(), AuditAction.BILL_CREATED, id.get(), null, after);
      return new Outcome.Done(after, true);
    });
  }

  public Outcome edit(String rawId, Edit edit, Caller caller) {
    if (edit.isEmpty()) {
      return new Outcome.Invalid(Rejection.of(ErrorCode.BILL_FIELD_INVALID,
          "say what to change: capacity, destination or vehicle"));
    }
    String destination = strip(edit.destination());
    String vehicle = strip(edit.vehicle());
    Optional<Rejection> problem = Optional.<Rejection>empty()
        .or(() -> edit.destination() == null ? Optional.empty() : BillRules.checkField("destination", destination))
        .or(() -> edit.vehicle() == null ? Optional.empty() : BillRules.checkField("vehicle", vehicle))
        // the range alone is a bad request; being below what is on the bill is a refusal, decided under the lock
        .or(() -> edit.capacity() == null ? Optional.empty() : BillRules.checkEditedCapacity(edit.capacity(), 0));
    if (problem.isPresent()) {
      return new Outcome.Invalid(problem.get());
    }
    return onLockedBill(rawId, (store, bill) -> {
      String id = bill.id();
      Optional<Rejection> refusal = BillRules.checkOpen(id, bill.status())
          .or(() -> edit.capacity() == null ? Optional.empty()
              : BillRules.checkEditedCapacity(edit.capacity(), store.parentCount(id)));
      if (refusal.isPresent()) {
        return new Outcome.Refused(refusal.get());
      }
      BillView before = view(store.dsl(), id);
      store.edit(id, edit.capacity() == null ? bill.capacity() : edit.capacity(),
          destination == null ? bill.destination() : destination,
          vehicle == null ? bill.vehicleNumber() : vehicle, now());
      BillView after = view(store.dsl(), id);
      audit.record(store.dsl(), caller.actor(), AuditAction.BILL_EDITED, id, before, after);
      return new Outcome.Done(after, false);
    });
  }

  /**
   * Puts a parent on a bill. The parent must exist as a parent bag; typed entry may ask for it to
   * be created ({@code createIfMissing}), through the bag feature's own create, in this transaction.
   * It must be ready to leave (complete, or finished short at a dock) unless the biller says why it
   * goes anyway ({@code forceReason}, kept with it on the bill, the manifest and in the audit).
   * A parent already on this bill is a no-op, so a double scan is harmless.
   *
   * @param forceReason null to add only a ready parent; else why a parent that is not ready goes anyway
   */
  public Outcome addParent(String rawBillId, String rawParent, Caller caller, boolean createIfMissing, String forceReason) {
    if (forceReason != null) {
      Optional<Rejection> bad = BillRules.checkField("reason", forceReason.strip());
      if (bad.isPresent()) {
        return new Outcome.Invalid(bad.get());
      }
    }
    String reason = forceReason == null ? null : forceReason.strip();
    CodeKind kind = grammar.read(rawParent);
    CodeKind.Parent parent;
    switch (kind) {
      case CodeKind.NotACode n -> {
        return new Outcome.Invalid(n.rejection());
      }
      case CodeKind.Command c -> {
        return new Outcome.Invalid(Rejection.of(ErrorCode.INVALID_CODE,
            c.command().barcode() + " is a station command, not a bag"));
      }
      case CodeKind.Child c -> {
        return new Outcome.Refused(Rejection.of(ErrorCode.CODE_IS_CHILD,
            c.code() + " is a child bag; only parent bags go on a bill"));
      }
      case CodeKind.Parent p -> parent = p;
    }
    String code = parent.code();
    return onLockedBill(rawBillId, (store, bill) -> {
      String id = bill.id();
      Optional<String> onBill = store.billOf(code);
      if (onBill.isPresent() && onBill.get().equals(id)) {
        return new Outcome.Done(view(store.dsl(), id), false);
      }
      if (onBill.isPresent()) {
        return new Outcome.Refused(Rejection.of(ErrorCode.PARENT_ON_OTHER_BILL,
            code + " is already on bill " + onBill.get(), onBill.get()));
      }
      Optional<Rejection> refusal = BillRules.checkAddParent(id, bill.status(), store.parentCount(id), bill.capacity());
      if (refusal.isPresent()) {
        return new Outcome.Refused(refusal.get());
      }
      Optional<BillStore.BagState> bag = store.lockBag(code);
      if (bag.isEmpty()) {
        if (!createIfMissing) {
          return new Outcome.Refused(Rejection.of(ErrorCode.UNKNOWN_PARENT,
              code + " does not exist; scan it at a dock first, or add it with create", code));
        }
        if (bags.createParent(store.dsl(), parent, caller) instanceof BagService.Outcome.Rejected r) {
          return new Outcome.Refused(r.rejection());
        }
        bag = store.lockBag(code);
      }
      BillStore.BagState state = bag.orElseThrow();
      if (state.role() != BagRole.PARENT) {
        return new Outcome.Refused(Rejection.of(ErrorCode.CODE_IS_CHILD,
            code + " is a child bag; only parent bags go on a bill"));
      }
      Optional<Rejection> notReady = BillRules.checkParentReady(code, state.childCount(), state.limit(), state.finished());
      if (notReady.isPresent() && reason == null) {
        // the bag created just now goes with the refusal: nothing of this request stays
        throw new Refusal(notReady.get());
      }
      BillView before = view(store.dsl(), id);
      store.addParent(id, code, caller.principal().username(), now(), notReady.isPresent() ? reason : null);
      BillView after = view(store.dsl(), id);
      audit.record(store.dsl(), caller.actor(), AuditAction.BILL_PARENT_ADDED, id, before, after);
      logChange(store.dsl(), new Change.BillParentAdded(id, code), caller);
      return new Outcome.Done(after, false);
    });
  }

  public Outcome removeParent(String rawBillId, String rawParent, Caller caller) {
    if (!(CodeNormalizer.normalize(rawParent) instanceof CodeInput.Valid(String code))) {
      return new Outcome.Invalid(((CodeInput.Invalid) CodeNormalizer.normalize(rawParent)).rejection());
    }
    return onLockedBill(rawBillId, (store, bill) -> {
      String id = bill.id();
      Optional<Rejection> refusal = BillRules.checkOpen(id, bill.status());
      if (refusal.isPresent()) {
        return new Outcome.Refused(refusal.get());
      }
      BillView before = view(store.dsl(), id);
      if (!store.removeParent(id, code, now())) {
        return new Outcome.Refused(Rejection.of(ErrorCode.PARENT_NOT_ON_BILL, code + " is not on bill " + id));
      }
      BillView after = view(store.dsl(), id);
      audit.record(store.dsl(), caller.actor(), AuditAction.BILL_PARENT_REMOVED, id, before, after);
      logChange(store.dsl(), new Change.BillParentRemoved(id, code), caller);
      return new Outcome.Done(after, false);
    });
  }

  /**
   * Finalizes a bill that is full, or short of full when {@code shortClose} says so, and freezes
   * its parents: from now on the Reconciler refuses every link to or from them, here and on docks.
   */
  public Outcome finalize(String rawBillId, boolean shortClose, Caller caller) {
    return onLockedBill(rawBillId, (store, bill) -> {
      String id = bill.id();
      int parents = store.parentCount(id);
      Optional<Rejection> refusal = BillRules.checkFinalize(id, bill.status(), parents, bill.capacity(), shortClose);
      if (refusal.isPresent()) {
        return new Outcome.Refused(refusal.get());
      }
      BillView before = view(store.dsl(), id);
      store.finalize(id, parents < bill.capacity(), caller.principal().username(), now());
      store.markParents(id, true);
      Counters.add(store.dsl(), Counters.BILLS_OPEN, "", "", -1);
      Counters.add(store.dsl(), Counters.BILLS_FINALIZED, "", "", 1);
      BillView after = view(store.dsl(), id);
      audit.record(store.dsl(), caller.actor(), AuditAction.BILL_FINALIZED, id, before, after);
      // docks refuse links to frozen parents only if they hear of it: on_finalized_bill alone stays on the hub
      logChange(store.dsl(), new Change.BillFinalized(id, parents < bill.capacity(), store.parentCodes(id)), caller);
      return new Outcome.Done(after, false);
    });
  }

  /**
   * Reopens a finalized bill and unfreezes its parents. Who finalized it, and when, is cleared
   * from the row (the bill is open again) but stays in the audit entry's before-snapshot.
   */
  public Outcome reopen(String rawBillId, Caller caller) {
    return onLockedBill(rawBillId, (store, bill) -> {
      String id = bill.id();
      Optional<Rejection> refusal = BillRules.checkReopen(id, bill.status());
      if (refusal.isPresent()) {
        return new Outcome.Refused(refusal.get());
      }
      BillView before = view(store.dsl(), id);
      store.reopen(id, caller.principal().username(), now());
      store.markParents(id, false);
      Counters.add(store.dsl(), Counters.BILLS_FINALIZED, "", "", -1);
      Counters.add(store.dsl(), Counters.BILLS_OPEN, "", "", 1);
      BillView after = view(store.dsl(), id);
      audit.record(store.dsl(), caller.actor(), AuditAction.BILL_REOPENED, id, before, after);
      logChange(store.dsl(), new Change.BillReopened(id, store.parentCodes(id)), caller);
      return new Outcome.Done(after, false);
    });
  }

  /** A bill with its parents and totals as they are now; empty if there is none with that id. */
  public Optional<BillView> get(String rawBillId) {
    return billId(rawBillId).flatMap(id -> summaries.get(id, i -> BillStore.view(db.dsl(), i, weights)));
  }

  /** The bills kept in memory: evicted here and from the change log, watched by the metrics. */
  public BillSummaries summaries() {
    return summaries;
  }

  /** How many open bills a user created: a biller with any keeps the role. */
  public int openBillsOf(String username) {
    return BillStore.openCount(db.dsl(), username);
  }

  /**
   * One page of bills, newest first.
   *
   * @param limit 1..{@link BillPage#MAX_PAGE}
   */
  public BillPage list(Optional<BillRules.Status> status, Optional<String> createdBy, Optional<BillPage.Cursor> after,
      int limit) {
    if (limit < 1 || limit > BillPage.MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + BillPage.MAX_PAGE + ": " + limit);
    }
    return BillStore.page(db.dsl(), status, createdBy, after, limit);
  }

  /** A refusal after the transaction wrote something (a parent created for typed entry): it rolls that back. */
  private static final class Refusal extends RuntimeException {
    private final transient Rejection rejection;

    Refusal(Rejection rejection) {
      super(rejection.message(), null, false, false);
      this.rejection = rejection;
    }
  }

  private Outcome onLockedBill(String rawBillId, BiFunction<BillStore, BillStore.Row, Outcome> work) {
    Optional<String> id = billId(rawBillId);
    if (id.isEmpty()) {
      return notFound(rawBillId);
    }
    return change(tx -> {
      BillStore store = new BillStore(tx);
      Optional<BillStore.Row> bill = store.lock(id.get());
      return bill.isEmpty() ? notFound(id.get()) : work.apply(store, bill.get());
    });
  }

  /**
   * Runs one change in a transaction, retrying when a concurrent insert of the same key won (two
   * creates of one bill id, one parent added to two bills at once): the retry sees the winner's
   * row and answers from it.
   */
  private Outcome change(Function<DSLContext, Outcome> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        Outcome outcome = db.transaction(work);
        // after the commit, before the answer: this hub never shows the bill as it was
        if (outcome instanceof Outcome.Done done) {
          summaries.evict(done.bill().id());
        }
        return outcome;
      } catch (Refusal r) {
        return new Outcome.Refused(r.rejection);
      } catch (DataAccessException e) {
        if (attempt >= ATTEMPTS || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  /** The change's entry, as the transaction's last write (see {@link ChangeLog}). */
  private void logChange(DSLContext tx, Change change, Caller caller) {
    ChangeLog.append(tx, new ChangeLog.Entry(change, now(), caller.principal().username()));
  }

  private BillView view(DSLContext tx, String id) {
    return BillStore.view(tx, id, weights).orElseThrow(() -> new IllegalStateException("bill " + id + " vanished"));
  }

  /** Normalised like a bag code (trim, AIM prefix, alphabet checked before upper-casing), then the bill grammar. */
  private Optional<String> billId(String raw) {
    if (CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String id) && grammar.billIdProblem(id).isEmpty()) {
      return Optional.of(id);
    }
    return Optional.empty();
  }

  private Rejection billIdRejection(String raw) {
    return switch (CodeNormalizer.normalize(raw)) {
      case CodeInput.Invalid invalid -> invalid.rejection();
      case CodeInput.Valid valid -> grammar.billIdProblem(valid.code()).orElseThrow();
    };
  }

  private static Outcome notFound(String shown) {
    String printable = shown == null ? "" : shown.length() > 20 ? shown.substring(0, 20) + "…" : shown;
    return new Outcome.NotFound(Rejection.of(ErrorCode.BILL_NOT_FOUND,
        "no bill " + printable.replaceAll("[^\\p{Alnum}-]", "?")));
  }

  private static String strip(String value) {
    return value == null ? null : value.strip();
  }

  /** Micro-second precision: what both databases keep, so a cursor made from a row finds that row again. */
  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
