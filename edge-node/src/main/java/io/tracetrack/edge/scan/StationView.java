package io.tracetrack.edge.scan;

import java.time.Instant;
import java.util.List;

/** What a station page needs to (re)draw itself: mode, parent, counter and the last few scans. */
public record StationView(
    String station,
    String user,
    ScanResult.Mode mode,
    String parent,
    int count,
    int limit,
    boolean complete,
    boolean pendingFinish,
    long idleResetMinutes,
    long bounceMillis,
    List<RecentScan> recent) {

  public StationView {
    recent = List.copyOf(recent);
  }

  /**
   * One line of the station's recent-scans list: {@code accepted} is the dock's answer at the time;
   * {@code hubRefused} is the conflict code when the hub later refused the op it made (null while
   * the hub has not said so, or took it).
   */
  public record RecentScan(Instant at, String code, boolean accepted, String reason, String message, String hubRefused) {}
}
