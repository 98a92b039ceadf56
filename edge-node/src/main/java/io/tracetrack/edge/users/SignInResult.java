package io.tracetrack.edge.users;

import io.tracetrack.model.ErrorCode;

/** The outcome of a station sign-in. */
public sealed interface SignInResult {

  /** Signed in; {@code token} goes in the Authorization header of every later call. */
  record SignedIn(String token, String station, String user, boolean created) implements SignInResult {}

  /**
   * Refused; {@code code} is one of BAD_CREDENTIALS, ACCOUNT_LOCKED, INVALID_REQUEST, WEAK_PASSWORD,
   * DISABLED, NO_PASSWORD (a user made by terminal capture, until an admin sets a password).
   */
  record Refused(ErrorCode code, String message) implements SignInResult {}
}
