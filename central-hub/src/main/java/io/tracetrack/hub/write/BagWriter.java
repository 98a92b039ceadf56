package io.tracetrack.hub.write;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.hub.log.PgBulk;
import io.tracetrack.hub.log.PgPipeline;
import io.tracetrack.hub.stats.Counters;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The one writer of the {@link io.tracetrack.sync.Reconciler}'s effects at the hub: whatever
 * decided them (an API call, a dock's push, an import, an admin's MOVE), what an {@link Overlay}
 * ends with goes to the bag rows, the history and the dashboard's counters through here, inside
 * the caller's transaction. One op or 80,000 rows take the same statements: a handful per call,
 * never one per row. On PostgreSQL new rows go in with COPY and changes and counters as one array
 * per column; H2 (the demo database) takes the same rows as jOOQ multi-row statements in chunks.
 * The change-log entries are the caller's last write ({@link io.tracetrack.hub.log.ChangeLog}).
 *
 * <p>Lock order as everywhere at the hub: the bags in code order (the caller locked them when it
 * read them into the overlay), then the counters, then the change-log head.
 */
public final class BagWriter {

  /**
   * Who made the change, from where, and when: stamped on new rows and on the history.
   *
   * @param area the area of new bags and of the counters ({@code null}: none)
   * @param dock the dock a push came from, {@code "API"} for the hub's own API, {@code null} for an import
   * @param source the history's source: {@code EDGE} or {@code API}
   */
  public record Stamp(String area, String dock, String source, OffsetDateTime at) {}

  /**
   * One history row: what happened to which bag (and on which parent), by whom, and at which
   * station of the dock when a dock scanned it (null for the API and imports).
   */
  public record Event(String kind, String bag, String parent, String actor, String station) {

    /** An event with no station: made through the hub's API or an import. */
    public Event(String kind, String bag, String parent, String actor) {
      this(kind, bag, parent, actor, null);
    }
  }

  private final DSLContext tx;
  private final boolean postgres;
  /** Where the writes wait to go in one round trip with the log's append (PostgreSQL only), or null: each at once. */
  private final PgPipeline pipeline;

  public BagWriter(DSLContext tx) {
    this(tx, null);
  }

  /** A writer whose PostgreSQL writes are queued in {@code pipeline} (null: sent at once). */
  public BagWriter(DSLContext tx, PgPipeline pipeline) {
    this.tx = tx;
    this.postgres = PgBulk.isPostgres(tx);
    this.pipeline = postgres ? pipeline : null;
  }

  /** The overlay's rows: the new ones whole, the changed ones' final fields (history and counters are apart: callers order their writes). */
  public void write(Overlay overlay, Stamp stamp) {
    insertBags(overlay.created(), stamp);
    updateBags(overlay.changed());
  }

  /** The new bags, whole (links and finish already in). */
  void insertBags(List<Overlay.Bag> created, Stamp stamp) {
    if (created.isEmpty()) {
      return;
    }
    if (postgres) {
      PgBulk.CopyRows rows = new PgBulk.CopyRows();
      String at = PgBulk.text(stamp.at());
      for (Overlay.Bag b : created) {
        rows.add(b.code).add(b.role.name()).add(b.expectedCount).add(b.limit).add(b.childCount).add(b.parent)
            .add(b.finishedBy).add(PgBulk.text(b.finishedAt)).add(stamp.area()).add(stamp.dock()).add(b.createdBy)
            .add(at).add(b.linkedBy).add(PgBulk.text(b.linkedAt)).end();
      }
      PgBulk.copy(tx, "bag (code, role, expected_count, limit_count, child_count, parent_code, finished_by, finished_at,"
          + " area_id, dock, created_by, created_at, linked_by, linked_at)", rows, pipeline);
      return;
    }
    HotQuery.Batch batch = INSERT_BAG.batch(tx);
    for (Overlay.Bag b : created) {
      batch.row().set("code", b.code).set("role", b.role.name()).set("expected", b.expectedCount).set("limit", b.limit)
          .set("children", b.childCount).set("parent", b.parent).set("finishedBy", b.finishedBy)
          .set("finishedAt", b.finishedAt).set("area", stamp.area()).set("dock", stamp.dock())
          .set("createdBy", b.createdBy).set("createdAt", stamp.at()).set("linkedBy", b.linkedBy)
          .set("linkedAt", b.linkedAt);
    }
    batch.execute();
  }

  /** A new bag on H2 (PostgreSQL's go in with COPY): one batch of these per change. */
  private static final HotQuery INSERT_BAG = HotQuery.of(tx -> tx.insertInto(BAG)
      .set(BAG.CODE, DSL.param("code", String.class))
      .set(BAG.ROLE, DSL.param("role", String.class))
      .set(BAG.EXPECTED_COUNT, DSL.param("expected", Integer.class))
      .set(BAG.LIMIT_COUNT, DSL.param("limit", Integer.class))
      .set(BAG.CHILD_COUNT, DSL.param("children", Integer.class))
      .set(BAG.PARENT_CODE, DSL.param("parent", String.class))
      .set(BAG.FINISHED_BY, DSL.param("finishedBy", String.class))
      .set(BAG.FINISHED_AT, DSL.param("finishedAt", OffsetDateTime.class))
      .set(BAG.AREA_ID, DSL.param("area", String.class))
      .set(BAG.DOCK, DSL.param("dock", String.class))
      .set(BAG.CREATED_BY, DSL.param("createdBy", String.class))
      .set(BAG.CREATED_AT, DSL.param("createdAt", OffsetDateTime.class))
      .set(BAG.LINKED_BY, DSL.param("linkedBy", String.class))
      .set(BAG.LINKED_AT, DSL.param("linkedAt", OffsetDateTime.class)));

  /**
   * The existing bags the change touched: their final link and finish fields, and the net change of
   * a parent's child count (one update per parent however many links). Every row was locked when
   * it was read, so each update must change exactly one row; anything else is a bug worth a rollback.
   */
  void updateBags(List<Overlay.Bag> changed) {
    if (changed.isEmpty()) {
      return;
    }
    if (postgres) {
      int n = changed.size();
      String[] code = new String[n];
      String[] parent = new String[n];
      String[] linkedBy = new String[n];
      String[] linkedAt = new String[n];
      String[] finishedBy = new String[n];
      String[] finishedAt = new String[n];
      Integer[] delta = new Integer[n];
      for (int i = 0; i < n; i++) {
        Overlay.Bag b = changed.get(i);
        code[i] = b.code;
        parent[i] = b.parent;
        linkedBy[i] = b.linkedBy;
        linkedAt[i] = PgBulk.text(b.linkedAt);
        finishedBy[i] = b.finishedBy;
        finishedAt[i] = PgBulk.text(b.finishedAt);
        delta[i] = b.childCount - b.countBefore;
      }
      String sql = "update bag set parent_code = u.parent,"
          + " linked_by = u.linked_by, linked_at = u.linked_at, finished_by = u.finished_by,"
          + " finished_at = u.finished_at, child_count = bag.child_count + u.delta"
          + " from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[], ?::timestamptz[],"
          + " ?::int4[]) as u(code, parent, linked_by, linked_at, finished_by, finished_at, delta) where bag.code = u.code";
      Object[] params = {PgBulk.of("varchar", code), PgBulk.of("varchar", parent),
          PgBulk.of("varchar", linkedBy), PgBulk.of("text", linkedAt), PgBulk.of("varchar", finishedBy),
          PgBulk.of("text", finishedAt), PgBulk.of("int4", delta)};
      PgPipeline.write(tx, pipeline, sql, params, n, "the update of " + n + " bags");
      return;
    }
    HotQuery.Batch batch = UPDATE_BAG.batch(tx);
    for (Overlay.Bag b : changed) {
      batch.row().set("parent", b.parent).set("linkedBy", b.linkedBy).set("linkedAt", b.linkedAt)
          .set("finishedBy", b.finishedBy).set("finishedAt", b.finishedAt).set("delta", b.childCount - b.countBefore)
          .set("code", b.code);
    }
    int[] counts = batch.execute();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 1 && counts[i] != java.sql.Statement.SUCCESS_NO_INFO) {
        throw new IllegalStateException("update of " + changed.get(i).code + " changed " + counts[i] + " rows");
      }
    }
  }

  /** An existing bag's final state on H2 (PostgreSQL's are one UPDATE … FROM unnest above). */
  private static final HotQuery UPDATE_BAG = HotQuery.of(tx -> tx.update(BAG)
      .set(BAG.PARENT_CODE, DSL.param("parent", String.class))
      .set(BAG.LINKED_BY, DSL.param("linkedBy", String.class))
      .set(BAG.LINKED_AT, DSL.param("linkedAt", OffsetDateTime.class))
      .set(BAG.FINISHED_BY, DSL.param("finishedBy", String.class))
      .set(BAG.FINISHED_AT, DSL.param("finishedAt", OffsetDateTime.class))
      .set(BAG.CHILD_COUNT, BAG.CHILD_COUNT.plus(DSL.param("delta", Integer.class)))
      .where(BAG.CODE.eq(DSL.param("code", String.class))));

  /** The history, one row per event, stamped with the change's time, dock and source. */
  public void history(List<Event> events, Stamp stamp) {
    if (events.isEmpty()) {
      return;
    }
    if (postgres) {
      PgBulk.CopyRows rows = new PgBulk.CopyRows();
      String at = PgBulk.text(stamp.at());
      for (Event e : events) {
        rows.add(at).add(e.kind()).add(e.bag()).add(e.parent()).add(e.actor()).add(stamp.dock()).add(stamp.source())
            .add(e.station()).end();
      }
      PgBulk.copy(tx, "bag_event (at, kind, bag_code, parent_code, actor, dock, source, station)", rows, pipeline);
      return;
    }
    HotQuery.Batch batch = INSERT_EVENT.batch(tx);
    for (Event e : events) {
      batch.row().set("at", stamp.at()).set("kind", e.kind()).set("bag", e.bag()).set("parent", e.parent())
          .set("actor", e.actor()).set("dock", stamp.dock()).set("source", stamp.source()).set("station", e.station());
    }
    batch.execute();
  }

  /** A history row on H2 (PostgreSQL's go in with COPY). */
  private static final HotQuery INSERT_EVENT = HotQuery.of(tx -> tx.insertInto(BAG_EVENT)
      .set(BAG_EVENT.AT, DSL.param("at", OffsetDateTime.class))
      .set(BAG_EVENT.KIND, DSL.param("kind", String.class))
      .set(BAG_EVENT.BAG_CODE, DSL.param("bag", String.class))
      .set(BAG_EVENT.PARENT_CODE, DSL.param("parent", String.class))
      .set(BAG_EVENT.ACTOR, DSL.param("actor", String.class))
      .set(BAG_EVENT.DOCK, DSL.param("dock", String.class))
      .set(BAG_EVENT.SOURCE, DSL.param("source", String.class))
      .set(BAG_EVENT.STATION, DSL.param("station", String.class)));

  /**
   * Adds the change's sums to the dashboard's counters and its links to today's scans, exact and
   * in the caller's transaction, so they never drift. The names go in the API's order (parents,
   * children, links, then the day's scans), so no two writers wait on each other in a circle; each
   * add lands on a shard chosen at random, as {@link Counters} does. On PostgreSQL all of it is one
   * statement.
   */
  public void counters(Overlay.Counts counts, Stamp stamp) {
    LinkedHashMap<String, Long> deltas = new LinkedHashMap<>();
    if (counts.parents() != 0) {
      deltas.put(Counters.PARENTS, counts.parents());
    }
    if (counts.children() != 0) {
      deltas.put(Counters.CHILDREN, counts.children());
    }
    if (counts.links() != 0) {
      deltas.put(Counters.LINKS, counts.links());
    }
    long scans = counts.scans();
    if (deltas.isEmpty() && scans == 0) {
      return;
    }
    if (!postgres) {
      deltas.forEach((name, delta) -> Counters.add(tx, name, stamp.area(), stamp.dock(), delta));
      if (scans != 0) {
        Counters.addDaily(tx, stamp.at().toLocalDate(), Counters.SCANS, stamp.area(), stamp.dock(), scans);
      }
      return;
    }
    int n = deltas.size();
    String[] names = deltas.keySet().toArray(String[]::new);
    Long[] values = deltas.values().toArray(Long[]::new);
    Short[] shards = new Short[n];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      shards[i] = (short) random.nextInt(Counters.SHARDS);
    }
    String a = stamp.area() == null ? "" : stamp.area();
    String d = stamp.dock() == null ? "" : stamp.dock();
    // one round trip for both tables; each upsert adds exactly its delta, as Counters.add does. The
    // daily row's WHERE reads the totals, so the counters are locked first, in the API writers' order
    String sql = "with totals as (insert into stat_counter (name, area, dock, shard, val)"
        + " select u.name, ?, ?, u.shard, u.val from unnest(?::varchar[], ?::int2[], ?::int8[]) with ordinality"
        + " as u(name, shard, val, n) order by u.n"
        + " on conflict (name, area, dock, shard) do update set val = stat_counter.val + excluded.val returning 1)"
        + " insert into stat_daily (stat_day, name, area, dock, shard, val) select ?::date, ?, ?, ?, ?, ?"
        + " where ? <> 0 and (select count(*) from totals) >= 0"
        + " on conflict (stat_day, name, area, dock, shard) do update set val = stat_daily.val + excluded.val";
    Object[] params = {a, d, PgBulk.of("varchar", names), PgBulk.of("int2", shards),
        PgBulk.of("int8", values), stamp.at().toLocalDate().toString(), Counters.SCANS, a, d,
        (short) random.nextInt(Counters.SHARDS), scans, scans};
    PgPipeline.write(tx, pipeline, sql, params, -1, "the counters");
  }
}
