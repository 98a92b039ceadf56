package io.tracetrack.hub.bill;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.db.jooq.tables.records.BillRecord;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.BillRules;
import io.tracetrack.model.ParentLimits;
import io.tracetrack.model.WeightPolicy;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The bill rows as seen from one transaction. Lock order is always bill, then bags: every bill
 * change locks its bill row first, and bag changes never wait for a bill, so the two can not
 * deadlock.
 */
@Store
final class BillStore {

  private final DSLContext tx;

  BillStore(DSLContext tx) {
    this.tx = tx;
  }

  DSLContext dsl() {
    return tx;
  }

  /** What a change to a bill decides on, read from its locked row. */
  record Row(String id, BillRules.Status status, int capacity, String destination, String vehicleNumber) {}

  /** The bill's row, locked until the transaction ends. */
  Optional<Row> lock(String id) {
    return tx.selectFrom(BILL).where(BILL.ID.eq(id)).forUpdate().fetchOptional()
        .map(b -> new Row(b.getId(), BillRules.Status.valueOf(b.getStatus()), b.getCapacity(), b.getDestination(),
            b.getVehicleNumber()));
  }

  boolean exists(String id) {
    return tx.fetchExists(BILL, BILL.ID.eq(id));
  }

  /** Read under the bill's lock, so it is exact: every addition to the bill holds the same lock. */
  int parentCount(String id) {
    return tx.fetchCount(BILL_PARENT, BILL_PARENT.BILL_ID.eq(id));
  }

  /** The bill a parent is on, if any. */
  Optional<String> billOf(String parentCode) {
    return tx.select(BILL_PARENT.BILL_ID).from(BILL_PARENT).where(BILL_PARENT.PARENT_CODE.eq(parentCode))
        .fetchOptional(BILL_PARENT.BILL_ID);
  }

  /** A bag as a bill sees it: its role, and for a parent how full it is and whether it was finished. */
  record BagState(BagRole role, int childCount, int limit, boolean finished) {}

  /**
   * Locks the bag's row for the rest of the transaction (no link can change its count meanwhile),
   * after the bill's (the lock order above); empty if there is no such bag.
   */
  Optional<BagState> lockBag(String code) {
    return tx.selectFrom(BAG).where(BAG.CODE.eq(code)).forUpdate().fetchOptional()
        .map(b -> new BagState(BagRole.valueOf(b.getRole()), b.getChildCount(), b.getLimitCount(), b.getFinishedBy() != null));
  }

  void insert(String id, String destination, String vehicle, int capacity, String actor, OffsetDateTime at) {
    tx.insertInto(BILL)
        .set(BILL.ID, id)
        .set(BILL.DESTINATION, destination)
        .set(BILL.VEHICLE_NUMBER, vehicle)
        .set(BILL.CAPACITY, capacity)
        .set(BILL.STATUS, BillRules.Status.OPEN.name())
        .set(BILL.SHORT_CLOSED, false)
        .set(BILL.CREATED_BY, actor)
        .set(BILL.CREATED_AT, at)
        .set(BILL.UPDATED_AT, at)
        .execute();
  }

  void edit(String id, int capacity, String destination, String vehicle, OffsetDateTime at) {
    tx.update(BILL)
        .set(BILL.CAPACITY, capacity)
        .set(BILL.DESTINATION, destination)
        .set(BILL.VEHICLE_NUMBER, vehicle)
        .set(BILL.UPDATED_AT, at)
        .where(BILL.ID.eq(id))
        .execute();
  }

  void finalize(String id, boolean shortClosed, String actor, OffsetDateTime at) {
    tx.update(BILL)
        .set(BILL.STATUS, BillRules.Status.FINALIZED.name())
        .set(BILL.SHORT_CLOSED, shortClosed)
        .set(BILL.FINALIZED_BY, actor)
        .set(BILL.FINALIZED_AT, at)
        .set(BILL.UPDATED_AT, at)
        .where(BILL.ID.eq(id))
        .execute();
  }

  /** Who finalized it, and when, is cleared: the bill is open again (the audit entry's before-snapshot keeps them). */
  void reopen(String id, String actor, OffsetDateTime at) {
    tx.update(BILL)
        .set(BILL.STATUS, BillRules.Status.OPEN.name())
        .set(BILL.SHORT_CLOSED, false)
        .setNull(BILL.FINALIZED_BY)
        .setNull(BILL.FINALIZED_AT)
        .set(BILL.REOPENED_BY, actor)
        .set(BILL.REOPENED_AT, at)
        .set(BILL.UPDATED_AT, at)
        .where(BILL.ID.eq(id))
        .execute();
  }

  /** Puts the parent on the bill; {@code forcedReason} is the biller's reason when it was not ready, else null. */
  void addParent(String id, String parentCode, String actor, OffsetDateTime at, String forcedReason) {
    tx.insertInto(BILL_PARENT)
        .set(BILL_PARENT.PARENT_CODE, parentCode)
        .set(BILL_PARENT.BILL_ID, id)
        .set(BILL_PARENT.ADDED_BY, actor)
        .set(BILL_PARENT.ADDED_AT, at)
        .set(BILL_PARENT.FORCED_REASON, forcedReason)
        .execute();
    touch(id, at);
  }

  boolean removeParent(String id, String parentCode, OffsetDateTime at) {
    int removed = tx.deleteFrom(BILL_PARENT)
        .where(BILL_PARENT.BILL_ID.eq(id).and(BILL_PARENT.PARENT_CODE.eq(parentCode)))
        .execute();
    if (removed == 1) {
      touch(id, at);
    }
    return removed == 1;
  }

  /** The codes of the bill's parents, in code order: what a finalize or reopen entry tells the docks. */
  List<String> parentCodes(String id) {
    return tx.select(BILL_PARENT.PARENT_CODE).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(id))
        .orderBy(BILL_PARENT.PARENT_CODE).fetch(BILL_PARENT.PARENT_CODE);
  }

  /** Marks or clears the bill's parents as frozen: what the Reconciler reads before any link. */
  void markParents(String id, boolean onFinalizedBill) {
    tx.update(BAG).set(BAG.ON_FINALIZED_BILL, onFinalizedBill)
        .where(BAG.CODE.in(DSL.select(BILL_PARENT.PARENT_CODE).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(id))))
        .execute();
  }

  void touch(String id, OffsetDateTime at) {
    tx.update(BILL).set(BILL.UPDATED_AT, at).where(BILL.ID.eq(id)).execute();
  }

  /** Open bills created by {@code username}. */
  static int openCount(DSLContext dsl, String username) {
    return dsl.fetchCount(BILL, BILL.CREATED_BY.eq(username).and(BILL.STATUS.eq(BillRules.Status.OPEN.name())));
  }

  /** The bill with its parents and totals as they are now. */
  static Optional<BillView> view(DSLContext dsl, String id, WeightPolicy weights) {
    BillRecord b = dsl.selectFrom(BILL).where(BILL.ID.eq(id)).fetchOne();
    if (b == null) {
      return Optional.empty();
    }
    List<BillView.Parent> parents = dsl
        .select(BILL_PARENT.PARENT_CODE, BAG.CHILD_COUNT, BAG.LIMIT_COUNT, BAG.FINISHED_BY, BILL_PARENT.FORCED_REASON,
            BILL_PARENT.ADDED_BY, BILL_PARENT.ADDED_AT)
        .from(BILL_PARENT).join(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE))
        .where(BILL_PARENT.BILL_ID.eq(id))
        .orderBy(BILL_PARENT.ADDED_AT, BILL_PARENT.PARENT_CODE)
        .fetch(r -> {
          boolean finished = r.value4() != null;
          return new BillView.Parent(r.value1(), r.value2(), BillRules.expectedChildren(r.value2(), r.value3(), finished),
              ParentLimits.isComplete(r.value2(), r.value3(), finished), r.value5(), r.value6(), r.value7());
        });
    long children = parents.stream().mapToLong(BillView.Parent::childCount).sum();
    long expected = parents.stream().mapToLong(BillView.Parent::expectedCount).sum();
    BillView.Totals totals = new BillView.Totals(parents.size(), children, expected, weights.actualKg(children),
        weights.expectedKg(expected));
    return Optional.of(new BillView(b.getId(), b.getDestination(), b.getVehicleNumber(), b.getCapacity(),
        BillRules.Status.valueOf(b.getStatus()), b.getShortClosed(), b.getCreatedBy(), b.getCreatedAt(),
        b.getFinalizedBy(), b.getFinalizedAt(), b.getReopenedBy(), b.getReopenedAt(), parents, totals,
        warnings(parents, totals)));
  }

  /** What a biller should see before the load leaves: parents short of their count, and a short load. */
  private static List<BillView.Warning> warnings(List<BillView.Parent> parents, BillView.Totals totals) {
    List<BillView.Warning> out = new java.util.ArrayList<>();
    for (BillView.Parent p : parents) {
      if (!p.ready()) {
        out.add(new BillView.Warning("PARENT_SHORT", p.code(), p.code() + " has " + p.childCount() + " of "
            + p.expectedCount() + (p.forcedReason() == null ? "" : " (added anyway: " + p.forcedReason() + ")")));
      }
    }
    if (totals.childCount() < totals.expectedChildCount()) {
      out.add(new BillView.Warning("LOAD_SHORT", null, "the load is short: " + totals.childCount() + " of "
          + totals.expectedChildCount() + " children, " + totals.actualKg().toPlainString() + " of "
          + totals.expectedKg().toPlainString() + " kg"));
    }
    return out;
  }

  /** One page, newest first; {@code limit + 1} rows are read to know whether another page follows. */
  static BillPage page(DSLContext dsl, Optional<BillRules.Status> status, Optional<String> createdBy,
      Optional<BillPage.Cursor> after, int limit) {
    Condition where = DSL.noCondition();
    if (status.isPresent()) {
      where = where.and(BILL.STATUS.eq(status.get().name()));
    }
    if (createdBy.isPresent()) {
      where = where.and(BILL.CREATED_BY.eq(createdBy.get()));
    }
    if (after.isPresent()) {
      // spelled out rather than a row comparison: both databases use the index for it
      OffsetDateTime at = after.get().createdAt();
      where = where.and(BILL.CREATED_AT.lt(at).or(BILL.CREATED_AT.eq(at).and(BILL.ID.lt(after.get().id()))));
    }
    List<BillRecord> rows = dsl.selectFrom(BILL).where(where).orderBy(BILL.CREATED_AT.desc(), BILL.ID.desc())
        .limit(limit + 1).fetch();
    boolean more = rows.size() > limit;
    List<BillRecord> shown = more ? rows.subList(0, limit) : rows;
    Map<String, long[]> counts = counts(dsl, shown.stream().map(BillRecord::getId).toList());
    List<BillPage.Summary> items = shown.stream().map(b -> {
      long[] c = counts.getOrDefault(b.getId(), new long[2]);
      return new BillPage.Summary(b.getId(), b.getDestination(), b.getVehicleNumber(), b.getCapacity(),
          BillRules.Status.valueOf(b.getStatus()), b.getShortClosed(), b.getCreatedBy(), b.getCreatedAt(),
          (int) c[0], c[1]);
    }).toList();
    String next = null;
    if (more) {
      BillRecord last = shown.getLast();
      next = new BillPage.Cursor(last.getCreatedAt(), last.getId()).encode();
    }
    return new BillPage(items, next);
  }

  /** Parents and children per bill, for the bills of one page. */
  private static Map<String, long[]> counts(DSLContext dsl, Collection<String> ids) {
    Map<String, long[]> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    dsl.select(BILL_PARENT.BILL_ID, DSL.count(), DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), java.math.BigDecimal.ZERO))
        .from(BILL_PARENT).join(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE))
        .where(BILL_PARENT.BILL_ID.in(ids))
        .groupBy(BILL_PARENT.BILL_ID)
        .forEach(r -> out.put(r.value1(), new long[] {r.value2(), r.value3().longValue()}));
    return out;
  }
}
