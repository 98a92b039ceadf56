package io.tracetrack.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The simulation's one time: it moves only when the scheduler advances it, never by itself, so a
 * run takes no wall time to wait and replays exactly. A dock's clock is this one plus its own
 * offset (the ±1 day fault).
 */
final class SimClock extends Clock {

  private static final Instant START = Instant.parse("2026-03-02T06:00:00Z");

  private final Supplier<Instant> now;

  private SimClock(Supplier<Instant> now) {
    this.now = now;
  }

  /** The shared time source the scheduler moves. */
  static final class Time {
    private Instant now = START;

    Instant now() {
      return now;
    }

    void reset() {
      now = START;
    }

    void advance(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("time moves forward only: " + d);
      }
      now = now.plus(d);
    }

    long elapsedMs() {
      return Duration.between(START, now).toMillis();
    }
  }

  /** The hub's clock: the simulated time itself. */
  static SimClock of(Time time) {
    return new SimClock(time::now);
  }

  /** A dock's clock: the simulated time plus whatever {@code offset} says now. */
  static SimClock skewed(Time time, Supplier<Duration> offset) {
    return new SimClock(() -> time.now().plus(offset.get()));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("the simulation runs in UTC");
    }
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
