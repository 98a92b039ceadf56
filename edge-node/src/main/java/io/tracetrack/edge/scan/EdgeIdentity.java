package io.tracetrack.edge.scan;

import io.tracetrack.edge.db.EdgeDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The edge's identity (a random id made at first start) and its status figures: what the id and
 * the dock name are to be and whether a hub's name may be taken. The rows are {@link EdgeMetaStore}'s.
 */
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
    EdgeMeta existing = db.read(EdgeMetaStore::load);
    if (existing != null && (dock == null || dock.equals(existing.dock()))) {
      return existing;
    }
    return db.write(dsl -> {
      byte[] id = new byte[6];
      new SecureRandom().nextBytes(id);
      EdgeMetaStore.insertIfAbsent(dsl, "edge-" + HexFormat.of().formatHex(id), dock == null ? DEFAULT_DOCK : dock,
          clock.millis());
      if (dock != null) {
        EdgeMetaStore.setDock(dsl, dock);
      }
      return EdgeMetaStore.load(dsl);
    });
  }

  /** Keeps the dock's area as the hub named it (enrolment): scans onto another area's parents are refused. */
  public static void recordArea(EdgeDatabase db, String area) {
    db.write(dsl -> {
      EdgeMetaStore.setArea(dsl, area);
      return null;
    });
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
    return db.read(dsl -> check(EdgeMetaStore.load(dsl), dock));
  }

  /**
   * Records the hub and the dock name it enrolled this edge as, in one transaction that checks
   * again what {@link #canAdopt} said (a scan may have come in meanwhile).
   */
  public static Adoption adoptHub(EdgeDatabase db, String hub, String dock, Clock clock) {
    return db.write(dsl -> {
      Adoption adoption = check(EdgeMetaStore.load(dsl), dock);
      if (adoption instanceof Adoption.Adopted) {
        EdgeMetaStore.setHub(dsl, hub, dock, clock.millis());
        return new Adoption.Adopted(EdgeMetaStore.load(dsl));
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
