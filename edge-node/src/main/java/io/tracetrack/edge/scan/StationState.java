package io.tracetrack.edge.scan;

/**
 * Where a station is: the parent it is filling (null in parent mode), a FINISH awaiting its
 * confirmation, and when it was last used (for the idle reset). Kept in SQLite so a station comes
 * back on its parent after a power cut.
 */
public record StationState(String name, String parent, Long pendingFinishAt, long lastActivityAt) {

  public StationState withParent(String newParent) {
    return new StationState(name, newParent, null, lastActivityAt);
  }

  public StationState withPendingFinish(Long at) {
    return new StationState(name, parent, at, lastActivityAt);
  }

  public StationState touchedAt(long at) {
    return new StationState(name, parent, pendingFinishAt, at);
  }
}
