package io.tracetrack.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * F-SCAN 5: a scanner sometimes sends the same code twice in a few hundred milliseconds. That echo
 * is ignored, not reported as an error; a real re-scan after the window is a normal scan (and may
 * then be a duplicate).
 */
public final class BounceFilter {

  /** The default window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(800);

  private BounceFilter() {}

  /** The last code a station saw, and when. */
  public record LastScan(String code, Instant at) {
    public LastScan {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(at, "at");
    }
  }

  public static boolean isBounce(LastScan last, String code, Instant now, Duration window) {
    if (last == null || !last.code().equals(code)) {
      return false;
    }
    Duration since = Duration.between(last.at(), now);
    // a clock step backwards is not evidence of a bounce; let the scan through
    return !since.isNegative() && since.compareTo(window) < 0;
  }
}
