package io.tracetrack.hub.sync;

import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;

import io.tracetrack.hub.db.jooq.tables.records.SyncConflictRecord;
import io.tracetrack.sync.Change;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The {@code sync_conflict} rows: push inserts them, this store reads, resolves and acknowledges
 * them. Rows are never deleted; a conflict is closed, and its dock acknowledges having seen it.
 */
@Store
final class ConflictStore {

  private ConflictStore() {}

  /** A conflict as the API shows it: both sides, and what became of it. */
  record View(Change.ConflictOpened conflict, String status, String resolution, String resolvedBy,
      OffsetDateTime resolvedAt, OffsetDateTime acknowledgedAt) {
    static View of(SyncConflictRecord r) {
      return new View(opened(r), r.getStatus(), r.getResolution(), r.getResolvedBy(), r.getResolvedAt(),
          r.getAcknowledgedAt());
    }
  }

  /** The row as the change log's conflict.v1 says it. */
  static Change.ConflictOpened opened(SyncConflictRecord r) {
    return new Change.ConflictOpened(r.getId(), r.getCode(), r.getMessage(), r.getDock(), r.getEdgeId(), r.getOpSeq(),
        r.getOpType(), r.getParentCode(), r.getChildCode(), r.getActor(), r.getStation(), r.getHlcWall(),
        r.getHlcLogical(), iso(r.getHubAt()), r.getOtherParent(), r.getOtherDock(), r.getOtherActor(),
        iso(r.getOtherAt()), r.getApplied());
  }

  private static String iso(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

  /** A page in id order after {@code after}; {@code status} and {@code dock} narrow it when given. */
  static List<View> list(DSLContext dsl, Optional<String> status, Optional<String> dock, long after, int limit) {
    Condition c = SYNC_CONFLICT.ID.gt(after);
    if (status.isPresent()) {
      c = c.and(SYNC_CONFLICT.STATUS.eq(status.get()));
    }
    if (dock.isPresent()) {
      c = c.and(SYNC_CONFLICT.DOCK.eq(dock.get()));
    }
    return dsl.selectFrom(SYNC_CONFLICT).where(c).orderBy(SYNC_CONFLICT.ID).limit(limit).fetch(View::of);
  }

  static Optional<View> get(DSLContext dsl, long id) {
    return dsl.selectFrom(SYNC_CONFLICT).where(SYNC_CONFLICT.ID.eq(id)).fetchOptional().map(View::of);
  }

  /** The row, locked for the rest of {@code tx}: two admins resolving it at once are served one after the other. */
  static Optional<View> lock(DSLContext tx, long id) {
    return tx.selectFrom(SYNC_CONFLICT).where(SYNC_CONFLICT.ID.eq(id)).forUpdate().fetchOptional().map(View::of);
  }

  static void resolve(DSLContext tx, long id, String action, String by, OffsetDateTime at) {
    tx.update(SYNC_CONFLICT).set(SYNC_CONFLICT.STATUS, "RESOLVED").set(SYNC_CONFLICT.RESOLUTION, action)
        .set(SYNC_CONFLICT.RESOLVED_BY, by).set(SYNC_CONFLICT.RESOLVED_AT, at)
        .where(SYNC_CONFLICT.ID.eq(id)).execute();
  }

  /** Marks the dock's conflict seen (the first time counts); false when the dock has no conflict {@code id}. */
  static boolean acknowledge(DSLContext dsl, String dock, long id, OffsetDateTime at) {
    return dsl.update(SYNC_CONFLICT)
        .set(SYNC_CONFLICT.ACKNOWLEDGED_AT, DSL.coalesce(SYNC_CONFLICT.ACKNOWLEDGED_AT, DSL.val(at)))
        .where(SYNC_CONFLICT.ID.eq(id)).and(SYNC_CONFLICT.DOCK.eq(dock)).execute() == 1;
  }

  /** How many OPEN conflicts each dock has. */
  static int open(DSLContext dsl, String dock) {
    return dsl.fetchCount(SYNC_CONFLICT, SYNC_CONFLICT.DOCK.eq(dock).and(SYNC_CONFLICT.STATUS.eq("OPEN")));
  }
}
