package io.tracetrack.edge.sync;

import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The edge database as the sync worker sees it: the one seam between the network side (the hub
 * client, the worker, the {@code sync} command) and the store side (outbox, replica, rebase,
 * conflicts). Every method is one short SQLite transaction (or a few), so the station's scans,
 * which share the one writer, never wait long behind sync.
 */
public interface SyncStore {

  /**
   * The next pending ops to push: the outbox after the hub's last answered seq, in seq order, at
   * most {@code max}; empty when nothing is pending.
   */
  Optional<PushBatch> nextBatch(int max, String version);

  /**
   * Like {@link #nextBatch(int, String)}, but starting after {@code afterSeq} when that is past the
   * hub's last answered seq: the batch to send while the one ending at {@code afterSeq} is still on
   * its way. Its {@code pendingOps} counts from its own first op.
   */
  Optional<PushBatch> nextBatch(long afterSeq, int max, String version);

  /**
   * Like {@link #nextBatch(long, int, String)}, but also cut by bytes: the encoded ops of the batch
   * add up to at most {@code maxBytes} (at least one op, whatever its size), so a batch of long
   * names stays under the hub's body limit.
   */
  default Optional<PushBatch> nextBatch(long afterSeq, int max, long maxBytes, String version) {
    return nextBatch(afterSeq, max, version);
  }

  /**
   * The highest seq in the outbox now (0 when it is empty): where a push round stops, so scans made
   * while it runs go in the next round instead of keeping this one going. A store that cannot say
   * answers {@link Long#MAX_VALUE} (no bound).
   */
  default long lastOutboxSeq() {
    return Long.MAX_VALUE;
  }

  /**
   * Records the hub's reply to {@code sent} in one transaction: the answered seq moves to
   * {@code reply.lastSeq()}, each REJECTED op becomes a local conflict (the hub's id) and drops
   * out of the station's view (rebase of the bags it touched), HELD ops stay pending.
   */
  PushCounts recordReply(PushBatch sent, PushReply reply);

  /**
   * What one reply came to.
   *
   * @param renumbered ops this dock moved to fresh seqs because the hub holds other ops under their
   *     seqs ({@code SEQ_REUSED}: a restored backup); they are pending again and go with the next push
   */
  record PushCounts(int pushed, int applied, int duplicates, int rejected, int held, int renumbered) {
    public PushCounts(int pushed, int applied, int duplicates, int rejected, int held) {
      this(pushed, applied, duplicates, rejected, held, 0);
    }
  }

  /**
   * Takes the hub's hello: the dock's area, and the last seq the hub holds from this edge. When
   * that is past every seq this dock has (it was restored from a backup, or its folder was copied),
   * new scans continue above it and status says a restore was detected.
   *
   * @return true when a restore was detected
   */
  default boolean recordHello(HubApi.Hello hello) {
    return false;
  }

  /**
   * The hub could not read (or this dock could not read) the change page after {@code position}:
   * status shows {@code pullError}, the count of skipped entries grows, and the next pull loads a
   * snapshot, which clears it when it loads cleanly.
   */
  default void recordPullError(long position, String reason) {
    requireSnapshot();
  }

  /**
   * Ops per push from now on ({@code null}: the full batch), and why, for status: the hub answered
   * 413 to a larger batch.
   */
  default void recordPushLimit(Integer limit, String why) {}

  /** Ops per push the hub took last ({@code null}: the full batch). */
  default Integer pushLimit() {
    return null;
  }

  /** Where pulling goes on from: the hub change-log position this replica has applied. */
  long pullCursor();

  /** True when the replica must (re)load a snapshot first: never loaded, or the hub said SNAPSHOT_REQUIRED. */
  boolean needsSnapshot();

  /** Marks that the hub no longer holds this replica's cursor: the next pull loads a snapshot. */
  void requireSnapshot();

  /**
   * Applies one page of changes to the replica, rebases the station's view of the bags they touch
   * (hub state + this dock's pending ops replayed on top), and moves the cursor to {@code page.next()}.
   * The page is applied in several short transactions of a few hundred entries each, so a scan
   * waits behind one of them at most; each moves the cursor to its own last entry (the last one to
   * {@code page.next()}) together with the data it covers. A stop between two of them leaves a
   * cursor that is true for what was stored, and applying the page again skips the entries at or
   * below it: idempotent. Entries of unknown types are skipped.
   *
   * @return how many entries were applied
   */
  int applyPage(ChangePage page);

  /**
   * Loads a snapshot streamed line by line. The loader commits in chunks (the scan path must keep
   * running), reports progress, and only at {@link SnapshotLine.End} swaps the view over and sets
   * the cursor; a stream that stops short leaves the old replica and cursor in force.
   */
  SnapshotLoader snapshotLoader();

  /** Takes snapshot lines in order; {@link #finish} must see the End line. */
  interface SnapshotLoader extends AutoCloseable {
    void accept(SnapshotLine line);

    /** Lines taken so far and the total the Begin line announced (bags + users + conflicts). */
    Progress progress();

    /** @throws IllegalStateException when the End line was not seen (a truncated stream) */
    void finish();

    @Override
    void close();
  }

  record Progress(long loaded, long total) {}

  /** Remembers how the last attempt to talk to the hub went (for status and the station page). */
  void recordAttempt(boolean online, Instant at, String error);

  /** The sync side of the edge's status. */
  SyncStatus status(Instant now);

  /**
   * @param hub the hub URL, or null when not enrolled
   * @param online the last attempt reached the hub
   * @param lastSyncAt the last time a push or pull completed, or null
   * @param pendingOps ops the hub has not answered
   * @param oldestPendingAgeMs age of the oldest of them, or null
   * @param openConflicts this dock's conflicts not yet acknowledged here
   * @param lastError why the last attempt failed, or null
   * @param pullError the change the dock could not read and skipped, or null when all is well
   * @param pullErrorsTotal change entries skipped as unreadable since the data folder was made
   * @param restoreDetectedAt when the dock found it had been restored from a backup, or null
   * @param notice the latest sentence for an operator that is not an error (a restore handled,
   *     push batches cut after a 413), or null
   */
  record SyncStatus(String hub, boolean online, Instant lastSyncAt, long pendingOps, Long oldestPendingAgeMs,
      int openConflicts, String lastError, PullError pullError, long pullErrorsTotal, Instant restoreDetectedAt,
      String notice) {

    public SyncStatus(String hub, boolean online, Instant lastSyncAt, long pendingOps, Long oldestPendingAgeMs,
        int openConflicts, String lastError) {
      this(hub, online, lastSyncAt, pendingOps, oldestPendingAgeMs, openConflicts, lastError, null, 0, null, null);
    }
  }

  /** A change the dock could not read: the change-log position it stands at, and why. */
  record PullError(long position, String reason) {}

  /** This dock's conflicts, newest first: open (not acknowledged) ones first. */
  List<LocalConflict> conflicts(boolean openOnly, int max);

  /**
   * A conflict as the dock keeps it: the hub's record, whether an admin closed it (how, who, when:
   * null while open, and who and when are unknown for one that arrived closed in a snapshot), the
   * parent the child is on now in the hub's record as this dock last heard it, and whether someone
   * at this dock acknowledged it.
   */
  record LocalConflict(long id, long seq, String code, String message, String opType, String parent, String child,
      String otherParent, String otherDock, String actor, String station, Instant hubAt, String resolution,
      String resolvedBy, Instant resolvedAt, String childNowOn, Instant acknowledgedAt, String acknowledgedBy) {}

  /** Someone at the dock has seen it: it leaves the station's open list (it stays on record). */
  boolean acknowledge(long conflictId, String user, Instant at);

  /**
   * Hub conflict ids acknowledged here whose acknowledgement the hub has not taken yet, oldest
   * acknowledgement first, at most {@code max}. A refusal the dock only knows from a push reply
   * without a hub id is not among them until the hub's conflict.v1 brings its id (the
   * acknowledgement carries over to it).
   */
  List<Long> unsentAcks(int max);

  /** The hub took the acknowledgement of {@code conflictId} (its ack answered 204): not sent again. */
  void ackSent(long conflictId);

  /** Receipts closed at this dock that the hub has not taken yet, oldest first, as they go on the wire. */
  List<io.tracetrack.sync.ReceiptReport> unsentReceipts(int max);

  /**
   * The hub's word on a receipt: taken ({@code hubId} its number for it), or never to be taken
   * ({@code refusal} says why: it has no such bill; it becomes the dock's {@code notice}, which the
   * station shows). Either way it is not sent again.
   */
  void receiptAnswered(String key, Long hubId, String refusal);
}
