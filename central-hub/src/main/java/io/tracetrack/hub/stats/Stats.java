package io.tracetrack.hub.stats;

import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.STAT_COUNTER;
import static io.tracetrack.hub.db.jooq.Tables.STAT_DAILY;

import io.tracetrack.hub.db.HubDatabase;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * The dashboard: exact totals summed from the counter shards (a few dozen rows, whatever the
 * number of bags), per area and per dock, a 14-day series, and the latest scans; served from a
 * one-second cache so that many watchers cost one computation.
 */
public final class Stats {

  public static final int SERIES_DAYS = 14;
  public static final int LATEST = 20;

  /**
   * How long a computed dashboard is served again. Dashboards poll every few seconds and hundreds
   * of people may watch at once; one computation per second per area serves them all, and no
   * figure is ever more than this old.
   */
  public static final java.time.Duration MAX_AGE = java.time.Duration.ofSeconds(1);

  private final HubDatabase db;
  private final Clock clock;
  private final com.github.benmanes.caffeine.cache.Cache<String, Dashboard> recent;

  public Stats(HubDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.recent = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
        .ticker(() -> {
          java.time.Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        })
        .expireAfterWrite(MAX_AGE).maximumSize(1_000).recordStats().build();
  }

  public com.github.benmanes.caffeine.cache.Cache<String, Dashboard> cache() {
    return recent;
  }

  /** The dashboard, computed at most {@link #MAX_AGE} ago. */
  public Dashboard current(String area) {
    return recent.get(area == null ? "" : area, key -> dashboard(area));
  }

  /** The dashboard's figures; {@code area} narrows everything to one area (dispatchers). */
  public record Dashboard(
      Map<String, Long> totals,
      Map<String, Map<String, Long>> byArea,
      Map<String, Map<String, Long>> byDock,
      List<Day> last14Days,
      List<LatestScan> latest,
      OffsetDateTime at) {}

  public record Day(LocalDate day, long scans) {}

  public record LatestScan(OffsetDateTime at, String kind, String bag, String parent, String actor, String dock) {}

  public Dashboard dashboard(String area) {
    Condition scope = area == null ? DSL.noCondition() : STAT_COUNTER.AREA.eq(area);
    Map<String, Long> totals = new TreeMap<>();
    Map<String, Map<String, Long>> byArea = new TreeMap<>();
    Map<String, Map<String, Long>> byDock = new TreeMap<>();
    db.dsl().select(STAT_COUNTER.NAME, STAT_COUNTER.AREA, STAT_COUNTER.DOCK, DSL.sum(STAT_COUNTER.VAL))
        .from(STAT_COUNTER)
        .where(scope)
        .groupBy(STAT_COUNTER.NAME, STAT_COUNTER.AREA, STAT_COUNTER.DOCK)
        .fetch()
        .forEach(r -> {
          long value = r.value4() == null ? 0 : r.value4().longValue();
          totals.merge(r.value1(), value, Long::sum);
          if (!r.value2().isEmpty()) {
            byArea.computeIfAbsent(r.value2(), k -> new TreeMap<>()).merge(r.value1(), value, Long::sum);
          }
          if (!r.value3().isEmpty()) {
            byDock.computeIfAbsent(r.value3(), k -> new TreeMap<>()).merge(r.value1(), value, Long::sum);
          }
        });
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate first = today.minusDays(SERIES_DAYS - 1L);
    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    for (int i = 0; i < SERIES_DAYS; i++) {
      perDay.put(first.plusDays(i), 0L);
    }
    Condition dayScope = STAT_DAILY.NAME.eq(Counters.SCANS).and(STAT_DAILY.STAT_DAY.between(first, today))
        .and(area == null ? DSL.noCondition() : STAT_DAILY.AREA.eq(area));
    db.dsl().select(STAT_DAILY.STAT_DAY, DSL.sum(STAT_DAILY.VAL)).from(STAT_DAILY).where(dayScope)
        .groupBy(STAT_DAILY.STAT_DAY)
        .fetch()
        .forEach(r -> perDay.put(r.value1(), r.value2() == null ? 0 : r.value2().longValue()));
    List<Day> series = new ArrayList<>();
    perDay.forEach((day, scans) -> series.add(new Day(day, scans)));
    totals.put("scansToday", perDay.getOrDefault(today, 0L));
    var latest = db.dsl().selectFrom(BAG_EVENT)
        .where(area == null ? DSL.noCondition() : BAG_EVENT.BAG_CODE.in(
            DSL.select(io.tracetrack.hub.db.jooq.Tables.BAG.CODE).from(io.tracetrack.hub.db.jooq.Tables.BAG)
                .where(io.tracetrack.hub.db.jooq.Tables.BAG.AREA_ID.eq(area))))
        .orderBy(BAG_EVENT.ID.desc())
        .limit(LATEST)
        .fetch(e -> new LatestScan(e.getAt(), e.getKind(), e.getBagCode(), e.getParentCode(), e.getActor(), e.getDock()));
    return new Dashboard(totals, byArea, byDock, series, latest, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }
}
