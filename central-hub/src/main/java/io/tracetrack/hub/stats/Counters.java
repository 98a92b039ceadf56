package io.tracetrack.hub.stats;

import static io.tracetrack.hub.db.jooq.Tables.STAT_COUNTER;
import static io.tracetrack.hub.db.jooq.Tables.STAT_DAILY;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.web.Store;
import java.time.LocalDate;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Adds to a counter inside the writer's transaction. Each add lands on one of {@link #SHARDS}
 * rows chosen at random, so concurrent writers rarely wait for each other; a total is the sum of
 * its shards. Area and dock are '' when not applicable, never null (they are part of the key).
 */
@Store
public final class Counters {

  public static final int SHARDS = 16;

  /** Counter names: stable, they are stored. */
  public static final String PARENTS = "parents";
  public static final String CHILDREN = "children";
  public static final String LINKS = "links";
  public static final String SCANS = "scans";
  /** Bills by status; kept with every create, finalize and reopen (area and dock ''). */
  public static final String BILLS_OPEN = "bills_open";
  public static final String BILLS_FINALIZED = "bills_finalized";

  private Counters() {}

  public static void add(DSLContext tx, String name, String area, String dock, long delta) {
    short shard = (short) ThreadLocalRandom.current().nextInt(SHARDS);
    // an update first: the shard's row exists for all but its first add, and the upsert costs more
    // to render and to run (on H2 it is a MERGE); the upsert stays for the first add and its races
    if (ADD.on(tx).set("delta", delta).set("name", name).set("area", nz(area)).set("dock", nz(dock)).set("shard", shard)
        .execute() > 0) {
      return;
    }
    ADD_FIRST.on(tx).set("name", name).set("area", nz(area)).set("dock", nz(dock)).set("shard", shard).set("delta", delta)
        .execute();
  }

  /** Adds to a per-day counter (the 14-day charts). */
  public static void addDaily(DSLContext tx, LocalDate day, String name, String area, String dock, long delta) {
    short shard = (short) ThreadLocalRandom.current().nextInt(SHARDS);
    if (ADD_DAILY.on(tx).set("delta", delta).set("day", day).set("name", name).set("area", nz(area))
        .set("dock", nz(dock)).set("shard", shard).execute() > 0) {
      return;
    }
    ADD_DAILY_FIRST.on(tx).set("day", day).set("name", name).set("area", nz(area)).set("dock", nz(dock))
        .set("shard", shard).set("delta", delta).execute();
  }

  /** The update every add but a shard's first takes (see {@link HotQuery}). */
  private static final HotQuery ADD = HotQuery.of(tx -> tx.update(STAT_COUNTER)
      .set(STAT_COUNTER.VAL, STAT_COUNTER.VAL.plus(DSL.param("delta", Long.class)))
      .where(STAT_COUNTER.NAME.eq(DSL.param("name", String.class)), STAT_COUNTER.AREA.eq(DSL.param("area", String.class)),
          STAT_COUNTER.DOCK.eq(DSL.param("dock", String.class)), STAT_COUNTER.SHARD.eq(DSL.param("shard", Short.class))));

  private static final HotQuery ADD_DAILY = HotQuery.of(tx -> tx.update(STAT_DAILY)
      .set(STAT_DAILY.VAL, STAT_DAILY.VAL.plus(DSL.param("delta", Long.class)))
      .where(STAT_DAILY.STAT_DAY.eq(DSL.param("day", LocalDate.class)), STAT_DAILY.NAME.eq(DSL.param("name", String.class)),
          STAT_DAILY.AREA.eq(DSL.param("area", String.class)), STAT_DAILY.DOCK.eq(DSL.param("dock", String.class)),
          STAT_DAILY.SHARD.eq(DSL.param("shard", Short.class))));

  /** A shard's first add, and its race with another first add: the upsert. */
  private static final HotQuery ADD_FIRST = HotQuery.of(tx -> tx.insertInto(STAT_COUNTER)
      .set(STAT_COUNTER.NAME, DSL.param("name", String.class))
      .set(STAT_COUNTER.AREA, DSL.param("area", String.class))
      .set(STAT_COUNTER.DOCK, DSL.param("dock", String.class))
      .set(STAT_COUNTER.SHARD, DSL.param("shard", Short.class))
      .set(STAT_COUNTER.VAL, DSL.param("delta", Long.class))
      .onConflict(STAT_COUNTER.NAME, STAT_COUNTER.AREA, STAT_COUNTER.DOCK, STAT_COUNTER.SHARD)
      .doUpdate()
      .set(STAT_COUNTER.VAL, STAT_COUNTER.VAL.plus(DSL.excluded(STAT_COUNTER.VAL))));

  private static final HotQuery ADD_DAILY_FIRST = HotQuery.of(tx -> tx.insertInto(STAT_DAILY)
      .set(STAT_DAILY.STAT_DAY, DSL.param("day", LocalDate.class))
      .set(STAT_DAILY.NAME, DSL.param("name", String.class))
      .set(STAT_DAILY.AREA, DSL.param("area", String.class))
      .set(STAT_DAILY.DOCK, DSL.param("dock", String.class))
      .set(STAT_DAILY.SHARD, DSL.param("shard", Short.class))
      .set(STAT_DAILY.VAL, DSL.param("delta", Long.class))
      .onConflict(STAT_DAILY.STAT_DAY, STAT_DAILY.NAME, STAT_DAILY.AREA, STAT_DAILY.DOCK, STAT_DAILY.SHARD)
      .doUpdate()
      .set(STAT_DAILY.VAL, STAT_DAILY.VAL.plus(DSL.excluded(STAT_DAILY.VAL))));

  static String nz(String s) {
    return s == null ? "" : s;
  }
}
