package io.tracetrack.hub.stats;

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
    StatsStore store = new StatsStore(db.dsl());
    Map<String, Long> totals = new TreeMap<>();
    Map<String, Map<String, Long>> byArea = new TreeMap<>();
    Map<String, Map<String, Long>> byDock = new TreeMap<>();
    for (StatsStore.Sum r : store.counters(area)) {
      totals.merge(r.name(), r.value(), Long::sum);
      if (!r.area().isEmpty()) {
        byArea.computeIfAbsent(r.area(), k -> new TreeMap<>()).merge(r.name(), r.value(), Long::sum);
      }
      if (!r.dock().isEmpty()) {
        byDock.computeIfAbsent(r.dock(), k -> new TreeMap<>()).merge(r.name(), r.value(), Long::sum);
      }
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    // the per-area and per-dock "scans" are today's, as the "Scans today" total is
    for (StatsStore.Sum r : store.scansOn(area, today)) {
      if (!r.area().isEmpty()) {
        byArea.computeIfAbsent(r.area(), k -> new TreeMap<>()).merge(r.name(), r.value(), Long::sum);
      }
      if (!r.dock().isEmpty()) {
        byDock.computeIfAbsent(r.dock(), k -> new TreeMap<>()).merge(r.name(), r.value(), Long::sum);
      }
    }
    LocalDate first = today.minusDays(SERIES_DAYS - 1L);
    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    for (int i = 0; i < SERIES_DAYS; i++) {
      perDay.put(first.plusDays(i), 0L);
    }
    store.scansPerDay(area, first, today, perDay);
    List<Day> series = new ArrayList<>();
    perDay.forEach((day, scans) -> series.add(new Day(day, scans)));
    totals.put("scansToday", perDay.getOrDefault(today, 0L));
    List<LatestScan> latest = store.latest(area, LATEST);
    return new Dashboard(totals, byArea, byDock, series, latest, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
  }
}
