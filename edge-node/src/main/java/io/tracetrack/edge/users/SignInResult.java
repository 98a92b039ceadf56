package io.tracetrack.edge.users;

/** The outcome of a station sign-in. */
public sealed interface SignInResult {

  /** Signed in; {@code token} goes in the Authorization header of every later call. */
  record SignedIn(String token, String station, String user, boolean created) implements SignInResult {}

  /**
   * Refused; {@code code} is stable (BAD_CREDENTIALS, ACCOUNT_LOCKED, UNKNOWN_USER, WEAK_PASSWORD,
   * DISABLED, NO_PASSWORD: a user made by terminal capture, until an admin sets a password).
   */
  record Refused(String code, String message) implements SignInResult {}
}
