package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.sync.Hlc;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/** The edge's identity (a random id made at first start) and its status figures. */
public final class EdgeIdentity {

  /** Dock name used when none was ever configured. */
  public static final String DEFAULT_DOCK = "DOCK-1";

  private EdgeIdentity() {}

  /**
   * Makes sure the identity row exists, and records the dock name if one is given and differs.
   * Reads first and writes only when needed, so a second process can start while another holds
   * the write lock.
   */
  public static EdgeMeta ensure(EdgeDatabase db, String dock, Clock clock) {
    EdgeMeta existing = db.read(EdgeIdentity::load);
    if (existing != null && (dock == null || dock.equals(existing.dock()))) {
      return existing;
    }
    return db.write(dsl -> {
      byte[] id = new byte[6];
      new SecureRandom().nextBytes(id);
      dsl.insertInto(EDGE_META)
          .set(EDGE_META.ID, 1)
          .set(EDGE_META.EDGE_ID, "edge-" + HexFormat.of().formatHex(id))
          .set(EDGE_META.DOCK, dock == null ? DEFAULT_DOCK : dock)
          .set(EDGE_META.CREATED_AT, clock.millis())
          .set(EDGE_META.SEQ_FLOOR, 0L)
          .set(EDGE_META.HLC_FLOOR_WALL, 0L)
          .set(EDGE_META.HLC_FLOOR_LOGICAL, 0)
          .onConflictDoNothing()
          .execute();
      if (dock != null) {
        dsl.update(EDGE_META).set(EDGE_META.DOCK, dock).where(EDGE_META.ID.eq(1)).execute();
      }
      return load(dsl);
    });
  }

  private static EdgeMeta load(org.jooq.DSLContext dsl) {
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

  /** What {@code /api/status} and {@code status} report. */
  public record Status(String edgeId, String dock, long pendingOps, long lastSeq, Hlc hlc, boolean usersFromHub) {}

  public static Status status(EdgeDatabase db) {
    return db.read(dsl -> {
      EdgeMeta meta = load(dsl);
      long acked = dsl.select(EDGE_META.ACKED_SEQ).from(EDGE_META).where(EDGE_META.ID.eq(1)).fetchSingle().value1();
      return new Status(meta.edgeId(), meta.dock(), meta.lastSeq() - acked, meta.lastSeq(), meta.hlc(), meta.usersFromHub());
    });
  }
}
