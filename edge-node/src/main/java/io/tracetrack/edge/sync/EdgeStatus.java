package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeMeta;
import io.tracetrack.sync.Hlc;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code /api/status} and {@code status} report. It lives with sync, not with the scan path:
 * most of it is the sync side's, and the scan path must not depend on sync (the arrow points one way).
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
 * @param receiptsToSend receipts closed at this dock (receiving a load) the hub has not taken yet
 */
public record EdgeStatus(String edgeId, String dock, long pendingOps, long lastSeq, Hlc hlc, boolean usersFromHub,
    String hub, boolean enrolled, boolean online, Instant lastSyncAt, Long oldestPendingAgeMs, int openConflicts,
    String lastError, SyncStore.Progress bootstrap, SyncStore.PullError pullError, long pullErrorsTotal,
    Instant restoreDetectedAt, String notice, int receiptsToSend) {

  /** The status of a dock without sync (not enrolled, or a command that runs no worker). */
  public static EdgeStatus of(EdgeDatabase db, Instant now) {
    return of(db, now, Optional.empty(), Optional.empty());
  }

  /**
   * The status, with the sync side when there is one (the dock is enrolled): then the pending count and the oldest
   * pending age are the sync store's (it knows what the hub answered); without one they are read
   * from the outbox after the acknowledged seq.
   */
  public static EdgeStatus of(EdgeDatabase db, Instant now, Optional<SyncStore.SyncStatus> sync,
      Optional<SyncStore.Progress> bootstrap) {
    StatusStore.Local row = StatusStore.local(db);
    EdgeMeta meta = row.meta();
    Long oldest = row.oldestPendingAt();
    EdgeStatus local = new EdgeStatus(meta.edgeId(), meta.dock(), meta.lastSeq() - row.ackedSeq(), meta.lastSeq(),
        meta.hlc(), meta.usersFromHub(), row.hubUrl(), row.enrolledAt() != null, false, null,
        oldest == null ? null : Math.max(0, now.toEpochMilli() - oldest), 0, null, null, null, 0, null, null,
        row.receiptsToSend());
    if (sync.isEmpty()) {
      return local;
    }
    SyncStore.SyncStatus s = sync.get();
    return new EdgeStatus(local.edgeId(), local.dock(), s.pendingOps(), local.lastSeq(), local.hlc(), local.usersFromHub(),
        s.hub() != null ? s.hub() : local.hub(), true, s.online(), s.lastSyncAt(), s.oldestPendingAgeMs(),
        s.openConflicts(), s.lastError(), bootstrap.orElse(null), s.pullError(), s.pullErrorsTotal(),
        s.restoreDetectedAt(), s.notice(), local.receiptsToSend());
  }
}
