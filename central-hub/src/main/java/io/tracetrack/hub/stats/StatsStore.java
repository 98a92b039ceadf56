package io.tracetrack.hub.stats;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.STAT_COUNTER;
import static io.tracetrack.hub.db.jooq.Tables.STAT_DAILY;

import io.tracetrack.web.Store;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The dashboard's reads: sums over the counter shards (a few dozen rows, whatever the number of
 * bags), the daily scans, and the latest history; {@code area} null reads every area.
 */
@Store
final class StatsStore {

  private final DSLContext dsl;

  StatsStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** One counter summed over its shards; {@code area} and {@code dock} empty for the totals' own rows. */
  record Sum(String name, String area, String dock, long value) {}

  List<Sum> counters(String area) {
    Condition scope = area == null ? DSL.noCondition() : STAT_COUNTER.AREA.eq(area);
    return dsl.select(STAT_COUNTER.NAME, STAT_COUNTER.AREA, STAT_COUNTER.DOCK, DSL.sum(STAT_COUNTER.VAL))
        .from(STAT_COUNTER)
        .where(scope)
        .groupBy(STAT_COUNTER.NAME, STAT_COUNTER.AREA, STAT_COUNTER.DOCK)
        .fetch(r -> new Sum(r.value1(), r.value2(), r.value3(), r.value4() == null ? 0 : r.value4().longValue()));
  }

  /** Scans per day from {@code first} to {@code last}, both included, into {@code perDay} (days without any stay as they are). */
  void scansPerDay(String area, LocalDate first, LocalDate last, Map<LocalDate, Long> perDay) {
    Condition dayScope = STAT_DAILY.NAME.eq(Counters.SCANS).and(STAT_DAILY.STAT_DAY.between(first, last))
        .and(area == null ? DSL.noCondition() : STAT_DAILY.AREA.eq(area));
    dsl.select(STAT_DAILY.STAT_DAY, DSL.sum(STAT_DAILY.VAL)).from(STAT_DAILY).where(dayScope)
        .groupBy(STAT_DAILY.STAT_DAY)
        .fetch()
        .forEach(r -> perDay.put(r.value1(), r.value2() == null ? 0 : r.value2().longValue()));
  }

  /**
   * One day's scans per area and dock, as {@link Sum}s named {@code scans}: a day's rows are few (an
   * area, a dock and a shard each), and scans are counted per day only, never in {@code stat_counter}.
   */
  List<Sum> scansOn(String area, LocalDate day) {
    Condition scope = STAT_DAILY.NAME.eq(Counters.SCANS).and(STAT_DAILY.STAT_DAY.eq(day))
        .and(area == null ? DSL.noCondition() : STAT_DAILY.AREA.eq(area));
    return dsl.select(STAT_DAILY.AREA, STAT_DAILY.DOCK, DSL.sum(STAT_DAILY.VAL)).from(STAT_DAILY).where(scope)
        .groupBy(STAT_DAILY.AREA, STAT_DAILY.DOCK)
        .fetch(r -> new Sum(Counters.SCANS, r.value1(), r.value2(), r.value3() == null ? 0 : r.value3().longValue()));
  }

  /** The newest {@code limit} history entries (of the area's bags). */
  List<Stats.LatestScan> latest(String area, int limit) {
    return dsl.selectFrom(BAG_EVENT)
        .where(area == null ? DSL.noCondition() : BAG_EVENT.BAG_CODE.in(
            DSL.select(BAG.CODE).from(BAG).where(BAG.AREA_ID.eq(area))))
        .orderBy(BAG_EVENT.ID.desc())
        .limit(limit)
        .fetch(e -> new Stats.LatestScan(e.getAt(), e.getKind(), e.getBagCode(), e.getParentCode(), e.getActor(), e.getDock()));
  }
}
