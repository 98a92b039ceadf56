package io.tracetrack.sync;

import java.time.Instant;

/**
 * A hybrid logical clock timestamp: wall-clock milliseconds plus a logical counter that orders
 * events within (or behind) the same millisecond. It labels history and orders one dock's own
 * scans; it never decides capacity or finality — the hub's commit order does.
 *
 * @param wallMillis milliseconds since the epoch (never decreases on one node)
 * @param logical counter within {@code wallMillis}
 */
public record Hlc(long wallMillis, int logical) implements Comparable<Hlc> {

  /** Before every real timestamp. */
  public static final Hlc ZERO = new Hlc(0, 0);

  public Hlc {
    if (wallMillis < 0) {
      throw new IllegalArgumentException("wallMillis must not be negative: " + wallMillis);
    }
    if (logical < 0) {
      throw new IllegalArgumentException("logical must not be negative: " + logical);
    }
  }

  @Override
  public int compareTo(Hlc other) {
    int byWall = Long.compare(wallMillis, other.wallMillis);
    return byWall != 0 ? byWall : Integer.compare(logical, other.logical);
  }

  public Instant instant() {
    return Instant.ofEpochMilli(wallMillis);
  }

  public boolean isAfter(Hlc other) {
    return compareTo(other) > 0;
  }
}
