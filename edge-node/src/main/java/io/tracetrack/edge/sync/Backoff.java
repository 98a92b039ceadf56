package io.tracetrack.edge.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: after the n-th failure in a row, a wait drawn
 * uniformly from 0 to min(cap, base * 2^(n-1)). The jitter spreads a fleet of docks that lost the
 * hub at the same moment, so they do not all come back in the same second; there is no limit on
 * the number of tries, because a dock may be offline for days and must catch up by itself.
 */
public final class Backoff {

  public static final Duration BASE = Duration.ofSeconds(1);
  /**
   * The longest wait after a failure to reach the hub: a dock must be back within seconds of the
   * hub (after a partition heals, every dock converges within 5 s). Refusals wait far longer
   * ({@link SyncWorker#REFUSED_PAUSE}), and a hub that asks for a pause (Retry-After) gets it.
   */
  public static final Duration CAP = Duration.ofSeconds(3);

  private final long baseMs;
  private final long capMs;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + base + " and cap " + cap);
    }
    this.baseMs = base.toMillis();
    this.capMs = cap.toMillis();
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The default backoff: 1 s base, 3 s cap. */
  public static Backoff standard(RandomGenerator random) {
    return new Backoff(BASE, CAP, random);
  }

  /** Counts one more failure and says how long to wait before the next try. */
  public synchronized Duration next() {
    long ceiling = ceilingMs(failures);
    failures++;
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }

  /** The longest wait after {@code previous} failures in a row (before this one). */
  long ceilingMs(int previous) {
    // past 2^20 the cap has long won; the shift stays far from overflow
    long grown = baseMs << Math.min(previous, 20);
    return Math.min(capMs, grown);
  }

  /** A success: the next failure starts from the base again. */
  public synchronized void reset() {
    failures = 0;
  }

  public synchronized int failures() {
    return failures;
  }
}
