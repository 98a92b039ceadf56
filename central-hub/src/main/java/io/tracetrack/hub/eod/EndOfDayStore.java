package io.tracetrack.hub.eod;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;

import io.tracetrack.sync.Op;
import io.tracetrack.web.Store;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The reads behind an end-of-day summary, each over {@code [from, to)}: one grouped query per figure. */
@Store
final class EndOfDayStore {

  private final DSLContext dsl;

  EndOfDayStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** How many bills of one status one biller created in the window. */
  record BillCount(String status, String createdBy, long count) {}

  List<BillCount> billCounts(OffsetDateTime from, OffsetDateTime to) {
    return dsl.select(BILL.STATUS, BILL.CREATED_BY, DSL.count()).from(BILL).where(dayBills(from, to))
        .groupBy(BILL.STATUS, BILL.CREATED_BY).fetch(r -> new BillCount(r.value1(), r.value2(), r.value3().longValue()));
  }

  /**
   * A bill created in the window as it stands now: its parents and their children.
   *
   * @param expectedChildren what the parents should carry: each one's limit, or its count if finished short
   */
  record BillRow(String id, String status, String createdBy, String destination, String vehicle, int parents,
      long children, long expectedChildren) {}

  List<BillRow> bills(OffsetDateTime from, OffsetDateTime to) {
    var childSum = DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), BigDecimal.ZERO);
    // BillRules.expectedChildren in SQL: a finished parent is expected to carry what it has
    var expectedSum = DSL.coalesce(DSL.sum(DSL.when(BAG.FINISHED_BY.isNotNull(), DSL.least(BAG.CHILD_COUNT, BAG.LIMIT_COUNT))
        .otherwise(BAG.LIMIT_COUNT)), BigDecimal.ZERO);
    return dsl.select(BILL.ID, BILL.STATUS, BILL.CREATED_BY, DSL.count(BILL_PARENT.PARENT_CODE), childSum,
            BILL.DESTINATION, BILL.VEHICLE_NUMBER, expectedSum)
        .from(BILL)
        .leftJoin(BILL_PARENT).on(BILL_PARENT.BILL_ID.eq(BILL.ID))
        .leftJoin(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE))
        .where(dayBills(from, to))
        .groupBy(BILL.ID, BILL.STATUS, BILL.CREATED_BY, BILL.DESTINATION, BILL.VEHICLE_NUMBER)
        .orderBy(BILL.ID)
        .fetch(r -> new BillRow(r.value1(), r.value2(), r.value3(), r.value6(), r.value7(), r.value4(),
            r.value5().longValue(), r.value8().longValue()));
  }

  /** The window's history events counted by kind: one pass over them. */
  Map<String, Long> eventsByKind(OffsetDateTime from, OffsetDateTime to) {
    Map<String, Long> byKind = new TreeMap<>();
    dsl.select(BAG_EVENT.KIND, DSL.count()).from(BAG_EVENT).where(dayEvents(from, to)).groupBy(BAG_EVENT.KIND)
        .fetch().forEach(r -> byKind.put(r.value1(), r.value2().longValue()));
    return byKind;
  }

  /** Links made in the window by one actor at one dock ({@code dock} null: the hub's API). */
  record LinkCount(String actor, String dock, long count) {}

  List<LinkCount> linksByActorAndDock(OffsetDateTime from, OffsetDateTime to) {
    return dsl.select(BAG_EVENT.ACTOR, BAG_EVENT.DOCK, DSL.count()).from(BAG_EVENT)
        .where(dayEvents(from, to).and(BAG_EVENT.KIND.eq(Op.LINK)))
        .groupBy(BAG_EVENT.ACTOR, BAG_EVENT.DOCK).fetch(r -> new LinkCount(r.value1(), r.value2(), r.value3().longValue()));
  }

  /** Parents started in the window that are still short of their count and not finished (the first {@code max}). */
  List<String> parentsLeftIncomplete(OffsetDateTime from, OffsetDateTime to, int max) {
    return dsl.select(BAG.CODE).from(BAG)
        .where(BAG.ROLE.eq("PARENT")).and(BAG.CREATED_AT.ge(from)).and(BAG.CREATED_AT.lt(to))
        .and(BAG.CHILD_COUNT.lt(BAG.LIMIT_COUNT)).and(BAG.FINISHED_AT.isNull())
        .orderBy(BAG.CODE).limit(max).fetch(BAG.CODE);
  }

  /** Conflicts the hub recorded in the window: docks' scans it refused on sync. */
  long conflicts(OffsetDateTime from, OffsetDateTime to) {
    return dsl.fetchCount(SYNC_CONFLICT, SYNC_CONFLICT.HUB_AT.ge(from).and(SYNC_CONFLICT.HUB_AT.lt(to)));
  }

  private static org.jooq.Condition dayBills(OffsetDateTime from, OffsetDateTime to) {
    return BILL.CREATED_AT.ge(from).and(BILL.CREATED_AT.lt(to));
  }

  private static org.jooq.Condition dayEvents(OffsetDateTime from, OffsetDateTime to) {
    return BAG_EVENT.AT.ge(from).and(BAG_EVENT.AT.lt(to));
  }
}
