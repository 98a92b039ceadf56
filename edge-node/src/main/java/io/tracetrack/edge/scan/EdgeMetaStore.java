package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;

import io.tracetrack.sync.Hlc;
import io.tracetrack.web.Store;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The identity row ({@code edge_meta}, id 1) inside the caller's transaction: reads it as an
 * {@link EdgeMeta} and writes the fields {@link EdgeIdentity} decided on. Decides nothing.
 */
@Store
public final class EdgeMetaStore {

  private EdgeMetaStore() {}

  /** The identity and op-stream floors as stored, read inside the caller's transaction; null when there is no row yet. */
  public static EdgeMeta load(DSLContext dsl) {
    // plain SQL, which the dock's DSL runs as kept statements: every sync and status reads this row
    Record r = dsl.fetchOne("select edge_id, dock, seq_floor, hlc_floor_wall, hlc_floor_logical, users_from_hub"
        + " from edge_meta where id = 1");
    if (r == null) {
      return null;
    }
    EdgeMeta floors = new EdgeMeta(r.get(0, String.class), r.get(1, String.class), r.get(2, Long.class),
        new Hlc(r.get(3, Long.class), r.get(4, Integer.class)), r.get(5, Integer.class) != 0);
    Record last = dsl.fetchOne("select seq, hlc_wall, hlc_logical from outbox order by seq desc limit 1");
    return last == null ? floors
        : floors.advancedTo(last.get(0, Long.class), new Hlc(last.get(1, Long.class), last.get(2, Integer.class)));
  }

  /** Writes the identity row with zero floors, unless one is there already. */
  static void insertIfAbsent(DSLContext dsl, String edgeId, String dock, long createdAt) {
    dsl.insertInto(EDGE_META)
        .set(EDGE_META.ID, 1)
        .set(EDGE_META.EDGE_ID, edgeId)
        .set(EDGE_META.DOCK, dock)
        .set(EDGE_META.CREATED_AT, createdAt)
        .set(EDGE_META.SEQ_FLOOR, 0L)
        .set(EDGE_META.HLC_FLOOR_WALL, 0L)
        .set(EDGE_META.HLC_FLOOR_LOGICAL, 0)
        .onConflictDoNothing()
        .execute();
  }

  static void setDock(DSLContext dsl, String dock) {
    dsl.update(EDGE_META).set(EDGE_META.DOCK, dock).where(EDGE_META.ID.eq(1)).execute();
  }

  /** The dock's area as the hub named it: at enrolment, and again at every hello. */
  public static void setArea(DSLContext dsl, String area) {
    dsl.execute("update edge_meta set area = ? where id = 1", area);
  }

  /** Records the hub, the dock name it enrolled this edge as, and when. */
  static void setHub(DSLContext dsl, String hub, String dock, long enrolledAt) {
    dsl.update(EDGE_META).set(EDGE_META.DOCK, dock).set(EDGE_META.HUB_URL, hub)
        .set(EDGE_META.ENROLLED_AT, enrolledAt).where(EDGE_META.ID.eq(1)).execute();
  }
}
