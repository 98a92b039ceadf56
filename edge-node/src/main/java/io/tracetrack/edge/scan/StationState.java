package io.tracetrack.edge.scan;

/**
 * Where a station is: the parent it is filling (null in parent mode), a FINISH awaiting its
 * confirmation (when it was asked and at which child count), and when it was last used (for the
 * idle reset). Kept in SQLite so a station comes back on its parent after a power cut.
 *
 * @param pendingFinishCount the child count the pending FINISH was asked at: the count a second
 *     FINISH confirms, {@code null} when no finish is pending
 */
public record StationState(String name, String parent, Long pendingFinishAt, Integer pendingFinishCount,
    long lastActivityAt) {

  public StationState withParent(String newParent) {
    return new StationState(name, newParent, null, null, lastActivityAt);
  }

  public StationState withPendingFinish(long at, int count) {
    return new StationState(name, parent, at, count, lastActivityAt);
  }

  public StationState withoutPendingFinish() {
    return new StationState(name, parent, null, null, lastActivityAt);
  }

  public StationState touchedAt(long at) {
    return new StationState(name, parent, pendingFinishAt, pendingFinishCount, at);
  }
}
