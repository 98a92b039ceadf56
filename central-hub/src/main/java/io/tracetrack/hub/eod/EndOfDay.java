package io.tracetrack.hub.eod;

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
    EndOfDayStore store = new EndOfDayStore(db.dsl());
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> byUser = new TreeMap<>();
    for (EndOfDayStore.BillCount c : store.billCounts(from, to)) {
      byStatus.merge(c.status(), c.count(), Long::sum);
      byUser.merge(c.createdBy(), c.count(), Long::sum);
    }
    List<BillLine> bills = store.bills(from, to).stream()
        .map(b -> new BillLine(b.id(), b.status(), b.createdBy(), b.destination(), b.vehicle(), b.parents(), b.children(),
            weights.actualKg(b.children()), weights.expectedKg(b.expectedChildren())))
        .toList();
    Map<String, Long> byKind = store.eventsByKind(from, to);
    long parentsCreated = byKind.getOrDefault(Op.CREATE_PARENT, 0L);
    long links = byKind.getOrDefault(Op.LINK, 0L);
    long undos = byKind.getOrDefault(Op.UNLINK, 0L);
    Map<String, Long> byDispatcher = new TreeMap<>();
    Map<String, Long> byDock = new TreeMap<>();
    for (EndOfDayStore.LinkCount c : store.linksByActorAndDock(from, to)) {
      byDispatcher.merge(c.actor(), c.count(), Long::sum);
      byDock.merge(c.dock() == null ? "(hub API)" : c.dock(), c.count(), Long::sum);
    }
    List<String> incomplete = store.parentsLeftIncomplete(from, to, 1000);
    // a dock's scan the hub refused on sync becomes a conflict: the error count the hub can see
    long refused = store.conflicts(from, to);
    long netLinked = Math.max(0, links - undos);
    return new Summary(date, zone.getId(), from, to, byStatus, byUser, bills, parentsCreated, netLinked,
        weights.actualKg(netLinked), incomplete, byDispatcher, byDock, undos,
        links == 0 ? null : (double) undos / links,
        refused, links + refused == 0 ? null : (double) refused / (links + refused));
  }
}
