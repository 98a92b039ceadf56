package io.tracetrack.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * The hybrid logical clock rules (Kulkarni et al.) as pure functions: the caller keeps the last
 * timestamp (the edge keeps it in SQLite, in the same transaction as the op it stamps, so the clock
 * stays monotonic across restarts and processes) and passes the physical time in.
 */
public final class HybridClock {

  /** How far ahead of our own clock a remote stamp may be before we call it skew. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);

  private HybridClock() {}

  /** The stamp for a local event: after {@code last}, and at least the physical time. */
  public static Hlc tick(Hlc last, long physicalMillis) {
    Objects.requireNonNull(last, "last");
    if (physicalMillis > last.wallMillis()) {
      return new Hlc(physicalMillis, 0);
    }
    return successor(last);
  }

  /** What receiving a remote stamp does to our clock. */
  public sealed interface Receive {
    /** The stamp to continue from. */
    record Advanced(Hlc hlc) implements Receive {}

    /**
     * The remote stamp is further ahead of our physical clock than tolerated: our clock is not
     * moved (one bad clock must not drag every node into the future); the offset is reported.
     */
    record TooFarAhead(Duration offset) implements Receive {}
  }

  public static Receive receive(Hlc last, Hlc remote, long physicalMillis, Duration maxSkew) {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(remote, "remote");
    long ahead = remote.wallMillis() - physicalMillis;
    if (ahead > maxSkew.toMillis()) {
      return new Receive.TooFarAhead(Duration.ofMillis(ahead));
    }
    long wall = Math.max(physicalMillis, Math.max(last.wallMillis(), remote.wallMillis()));
    if (wall == last.wallMillis() && wall == remote.wallMillis()) {
      return new Receive.Advanced(bump(wall, Math.max(last.logical(), remote.logical())));
    }
    if (wall == last.wallMillis()) {
      return new Receive.Advanced(bump(wall, last.logical()));
    }
    if (wall == remote.wallMillis()) {
      return new Receive.Advanced(bump(wall, remote.logical()));
    }
    return new Receive.Advanced(new Hlc(wall, 0));
  }

  private static Hlc successor(Hlc last) {
    return bump(last.wallMillis(), last.logical());
  }

  private static Hlc bump(long wall, int logical) {
    // a counter this large means the wall clock is stuck for 2^31 events; borrow a millisecond
    return logical == Integer.MAX_VALUE ? new Hlc(wall + 1, 0) : new Hlc(wall, logical + 1);
  }
}
