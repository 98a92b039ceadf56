package io.tracetrack.web;

import java.time.Duration;

/**
 * The account lockout policy both apps apply after failed sign-ins: how many failures in a row lock
 * an account, and for how long. Each app counts failures in its own store.
 */
public final class Lockout {

  /** Failed sign-ins in a row before the account is locked. */
  public static final int MAX_FAILURES = 5;
  /** How long a lockout lasts. */
  public static final Duration DURATION = Duration.ofMinutes(15);

  private Lockout() {}

  /** Whole minutes until {@code lockedUntilMillis}, rounded up, at least one (for the message). */
  public static long minutesLeft(long lockedUntilMillis, long nowMillis) {
    return Math.max(1, (lockedUntilMillis - nowMillis + 59_999) / 60_000);
  }
}
