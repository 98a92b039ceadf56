package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.sync.Hlc;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

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

  /** The identity and op-stream floors as stored, read inside the caller's transaction. */
  public static EdgeMeta load(org.jooq.DSLContext dsl) {
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

  /** Keeps the dock's area as the hub named it (enrolment): scans onto another area's parents are refused. */
  public static void recordArea(EdgeDatabase db, String area) {
    db.write(dsl -> dsl.update(EDGE_META).set(EDGE_META.AREA, area).where(EDGE_META.ID.eq(1)).execute());
  }

  /** Whether the edge may take on the dock name the hub enrolled it as. */
  public sealed interface Adoption {
    record Adopted(EdgeMeta meta) implements Adoption {}

    /** The edge already recorded scans as {@code storedDock}: renaming would send them as another dock's. */
    record OtherDock(String storedDock, long ops) implements Adoption {}
  }

  /**
   * Whether {@link #adoptHub} would take {@code dock}: the stored name, or any name while the edge
   * has made no op yet. Read-only, so the caller can ask before it keeps anything.
   */
  public static Adoption canAdopt(EdgeDatabase db, String dock) {
    return db.read(dsl -> check(load(dsl), dock));
  }

  /**
   * Records the hub and the dock name it enrolled this edge as, in one transaction that checks
   * again what {@link #canAdopt} said (a scan may have come in meanwhile).
   */
  public static Adoption adoptHub(EdgeDatabase db, String hub, String dock, Clock clock) {
    return db.write(dsl -> {
      Adoption adoption = check(load(dsl), dock);
      if (adoption instanceof Adoption.Adopted) {
        dsl.update(EDGE_META).set(EDGE_META.DOCK, dock).set(EDGE_META.HUB_URL, hub)
            .set(EDGE_META.ENROLLED_AT, clock.millis()).where(EDGE_META.ID.eq(1)).execute();
        return new Adoption.Adopted(load(dsl));
      }
      return adoption;
    });
  }

  private static Adoption check(EdgeMeta meta, String dock) {
    if (meta.dock().equals(dock) || meta.lastSeq() == 0) {
      return new Adoption.Adopted(meta);
    }
    return new Adoption.OtherDock(meta.dock(), meta.lastSeq());
  }
}
