package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.sync.Hlc;
import io.tracetrack.web.Store;
import org.jooq.DSLContext;

/**
 * The identity row ({@code edge_meta}, id 1) inside the caller's transaction: reads it as an
 * {@link EdgeMeta} and writes the fields {@link EdgeIdentity} decided on. Decides nothing.
 */
@Store
public final class EdgeMetaStore {

  private EdgeMetaStore() {}

  /** The identity and op-stream floors as stored, read inside the caller's transaction; null when there is no row yet. */
  public static EdgeMeta load(DSLContext dsl) {
    EdgeMeta floors = dsl.selectFrom(EDGE_META).where(EDGE_META.ID.eq(1)).fetchOptional()
        .map(r -> new EdgeMeta(r.getEdgeId(), r.getDock(), r.getSeqFloor(),
            new Hlc(r.getHlcFloorWall(), r.getHlcFloorLogical()), r.getUsersFromHub() != 0))
        .orElse(null);
    if (floors == null) {
      return null;
    }
    return dsl.select(OUTBOX.SEQ, OUTBOX.HLC_WALL, OUTBOX.HLC_LOGICAL).from(OUTBOX).orderBy(OUTBOX.SEQ.desc()).limit(1)
        .fetchOptional(r -> floors.advancedTo(r.value1(), new Hlc(r.value2(), r.value3())))
        .orElse(floors);
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
    dsl.update(EDGE_META).set(EDGE_META.AREA, area).where(EDGE_META.ID.eq(1)).execute();
  }

  /** Records the hub, the dock name it enrolled this edge as, and when. */
  static void setHub(DSLContext dsl, String hub, String dock, long enrolledAt) {
    dsl.update(EDGE_META).set(EDGE_META.DOCK, dock).set(EDGE_META.HUB_URL, hub)
        .set(EDGE_META.ENROLLED_AT, enrolledAt).where(EDGE_META.ID.eq(1)).execute();
  }
}
