package io.tracetrack.hub.eod;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.WeightPolicy;
import io.tracetrack.sync.Op;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.impl.DSL;

/**
 * The end-of-day summary (F-EOD) for one calendar day in one time zone: the day runs from local
 * midnight to local midnight, whatever the offset (23 or 25 hours on a DST change). Scans per
 * dispatcher and per dock count links (a child put on a parent); the undo rate is unlinks over
 * links; the error rate is scans the hub refused on sync (conflicts) over links plus those.
 */
public final class EndOfDay {

  private final HubDatabase db;
  private final WeightPolicy weights;

  public EndOfDay(HubDatabase db, WeightPolicy weights) {
    this.db = db;
    this.weights = weights;
  }

  /** The summary. */
  public record Summary(
      LocalDate date,
      String zone,
      OffsetDateTime from,
      OffsetDateTime to,
      Map<String, Long> billsByStatus,
      Map<String, Long> billsByUser,
      List<BillLine> bills,
      long parentsCreated,
      long childrenLinked,
      BigDecimal kgLinked,
      List<String> parentsLeftIncomplete,
      Map<String, Long> scansByDispatcher,
      Map<String, Long> scansByDock,
      long undos,
      Double undoRate,
      long refusedScans,
      Double errorRate) {}

  /**
   * One bill created that day, as it stands now.
   *
   * @param destination as typed by a biller: escape it wherever it is shown
   * @param vehicle as typed by a biller: escape it wherever it is shown
   */
  public record BillLine(String id, String status, String createdBy, String destination, String vehicle, int parents,
      long children, BigDecimal actualKg, BigDecimal expectedKg) {}

  public Summary of(LocalDate date, ZoneId zone) {
    OffsetDateTime from = date.atStartOfDay(zone).toOffsetDateTime();
    OffsetDateTime to = date.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    var dsl = db.dsl();
    var dayBills = BILL.CREATED_AT.ge(from).and(BILL.CREATED_AT.lt(to));
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> byUser = new TreeMap<>();
    dsl.select(BILL.STATUS, BILL.CREATED_BY, DSL.count()).from(BILL).where(dayBills).groupBy(BILL.STATUS, BILL.CREATED_BY)
        .fetch().forEach(r -> {
          byStatus.merge(r.value1(), r.value3().longValue(), Long::sum);
          byUser.merge(r.value2(), r.value3().longValue(), Long::sum);
        });
    var childSum = DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), BigDecimal.ZERO);
    List<BillLine> bills = dsl.select(BILL.ID, BILL.STATUS, BILL.CREATED_BY, DSL.count(BILL_PARENT.PARENT_CODE), childSum,
            BILL.DESTINATION, BILL.VEHICLE_NUMBER)
        .from(BILL)
        .leftJoin(BILL_PARENT).on(BILL_PARENT.BILL_ID.eq(BILL.ID))
        .leftJoin(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE))
        .where(dayBills)
        .groupBy(BILL.ID, BILL.STATUS, BILL.CREATED_BY, BILL.DESTINATION, BILL.VEHICLE_NUMBER)
        .orderBy(BILL.ID)
        .fetch(r -> {
          long children = r.value5().longValue();
          return new BillLine(r.value1(), r.value2(), r.value3(), r.value6(), r.value7(), r.value4(), children,
              weights.actualKg(children),
              weights.expectedKg(r.value4()));
        });
    var dayEvents = BAG_EVENT.AT.ge(from).and(BAG_EVENT.AT.lt(to));
    // one pass over the day's events, counted by kind
    Map<String, Long> byKind = new TreeMap<>();
    dsl.select(BAG_EVENT.KIND, DSL.count()).from(BAG_EVENT).where(dayEvents).groupBy(BAG_EVENT.KIND)
        .fetch().forEach(r -> byKind.put(r.value1(), r.value2().longValue()));
    long parentsCreated = byKind.getOrDefault(Op.CREATE_PARENT, 0L);
    long links = byKind.getOrDefault(Op.LINK, 0L);
    long undos = byKind.getOrDefault(Op.UNLINK, 0L);
    Map<String, Long> byDispatcher = new TreeMap<>();
    Map<String, Long> byDock = new TreeMap<>();
    dsl.select(BAG_EVENT.ACTOR, BAG_EVENT.DOCK, DSL.count()).from(BAG_EVENT).where(dayEvents.and(BAG_EVENT.KIND.eq(Op.LINK)))
        .groupBy(BAG_EVENT.ACTOR, BAG_EVENT.DOCK).fetch().forEach(r -> {
          byDispatcher.merge(r.value1(), r.value3().longValue(), Long::sum);
          byDock.merge(r.value2() == null ? "(hub API)" : r.value2(), r.value3().longValue(), Long::sum);
        });
    // parents started that day that are still short of their count and not finished
    List<String> incomplete = dsl.select(BAG.CODE).from(BAG)
        .where(BAG.ROLE.eq("PARENT")).and(BAG.CREATED_AT.ge(from)).and(BAG.CREATED_AT.lt(to))
        .and(BAG.CHILD_COUNT.lt(BAG.LIMIT_COUNT)).and(BAG.FINISHED_AT.isNull())
        .orderBy(BAG.CODE).limit(1000).fetch(BAG.CODE);
    // a dock's scan the hub refused on sync becomes a conflict: the error count the hub can see
    long refused = dsl.fetchCount(SYNC_CONFLICT, SYNC_CONFLICT.HUB_AT.ge(from).and(SYNC_CONFLICT.HUB_AT.lt(to)));
    long netLinked = Math.max(0, links - undos);
    return new Summary(date, zone.getId(), from, to, byStatus, byUser, bills, parentsCreated, netLinked,
        weights.actualKg(netLinked), incomplete, byDispatcher, byDock, undos,
        links == 0 ? null : (double) undos / links,
        refused, links + refused == 0 ? null : (double) refused / (links + refused));
  }
}
