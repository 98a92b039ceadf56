package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.sync.SyncStore;
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

  /**
   * What {@code /api/status} and {@code status} report.
   *
   * @param pendingOps ops the hub has not answered yet
   * @param hub the hub this dock enrolled with, or {@code null}
   * @param enrolled the dock holds a device credential from that hub
   * @param online the last attempt to reach the hub got an answer (false when not enrolled)
   * @param lastSyncAt the last push or pull that completed, or {@code null}
   * @param oldestPendingAgeMs how long the oldest unanswered op has waited, or {@code null} if none
   * @param openConflicts this dock's conflicts nobody here has acknowledged yet
   * @param lastError why the last attempt to reach the hub failed, or {@code null}
   * @param bootstrap the snapshot being loaded right now ({@code loaded} of {@code total} rows), or {@code null}
   * @param pullError the change-log entry this dock could not read and skipped ({@code position},
   *     {@code reason}), or {@code null} when all is well; a snapshot that loads cleanly clears it
   * @param pullErrorsTotal entries skipped as unreadable since the data folder was made
   * @param restoreDetectedAt when the dock found it had been restored from a backup, or {@code null}
   * @param notice the latest sentence for an operator that is not an error, or {@code null}
   */
  public record Status(String edgeId, String dock, long pendingOps, long lastSeq, Hlc hlc, boolean usersFromHub,
      String hub, boolean enrolled, boolean online, Instant lastSyncAt, Long oldestPendingAgeMs, int openConflicts,
      String lastError, SyncStore.Progress bootstrap, SyncStore.PullError pullError, long pullErrorsTotal,
      Instant restoreDetectedAt, String notice) {}

  /** The status of a dock without sync (not enrolled, or a command that runs no worker). */
  public static Status status(EdgeDatabase db, Instant now) {
    return status(db, now, Optional.empty(), Optional.empty());
  }

  /**
   * The status, with the sync side when there is one (the dock is enrolled): then the pending count and the oldest
   * pending age are the sync store's (it knows what the hub answered); without one they are read
   * from the outbox after the acknowledged seq.
   */
  public static Status status(EdgeDatabase db, Instant now, Optional<SyncStore.SyncStatus> sync,
      Optional<SyncStore.Progress> bootstrap) {
    Status local = db.read(dsl -> {
      EdgeMeta meta = load(dsl);
      var row = dsl.select(EDGE_META.ACKED_SEQ, EDGE_META.HUB_URL, EDGE_META.ENROLLED_AT).from(EDGE_META)
          .where(EDGE_META.ID.eq(1)).fetchSingle();
      Long oldest = dsl.select(OUTBOX.CREATED_AT).from(OUTBOX).where(OUTBOX.SEQ.gt(row.value1()))
          .orderBy(OUTBOX.SEQ.asc()).limit(1).fetchOptional(OUTBOX.CREATED_AT).orElse(null);
      return new Status(meta.edgeId(), meta.dock(), meta.lastSeq() - row.value1(), meta.lastSeq(), meta.hlc(),
          meta.usersFromHub(), row.value2(), row.value3() != null, false, null,
          oldest == null ? null : Math.max(0, now.toEpochMilli() - oldest), 0, null, null, null, 0, null, null);
    });
    if (sync.isEmpty()) {
      return local;
    }
    SyncStore.SyncStatus s = sync.get();
    return new Status(local.edgeId(), local.dock(), s.pendingOps(), local.lastSeq(), local.hlc(), local.usersFromHub(),
        s.hub() != null ? s.hub() : local.hub(), true, s.online(), s.lastSyncAt(), s.oldestPendingAgeMs(),
        s.openConflicts(), s.lastError(), bootstrap.orElse(null), s.pullError(), s.pullErrorsTotal(),
        s.restoreDetectedAt(), s.notice());
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
