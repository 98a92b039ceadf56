package io.tracetrack.hub.users;

/**
 * The stable codes an administration request is refused with, and the HTTP status each maps to. The
 * names are the wire codes clients match on: a code, once released, never changes meaning.
 */
public enum AdminError {
  INVALID_USERNAME(400),
  INVALID_ROLE(400),
  INVALID_AREA(400),
  INVALID_TEXT(400),
  WEAK_PASSWORD(400),
  BAD_TOTP(400),
  /** 400, not 401/403: the caller is signed in and allowed; a field of the request is wrong. */
  WRONG_PASSWORD(400),
  OWN_ROLE(403),
  OWN_ACCOUNT(403),
  USER_NOT_FOUND(404),
  AREA_NOT_FOUND(404),
  REQUEST_NOT_FOUND(404),
  USER_EXISTS(409),
  AREA_EXISTS(409),
  LAST_ADMIN(409),
  AREA_FULL(409),
  BILLER_HAS_OPEN_BILLS(409),
  TOTP_ALREADY_ENABLED(409),
  TOTP_NOT_PENDING(409),
  TOTP_NOT_ENABLED(409),
  NOT_PENDING(409),
  REQUEST_EXISTS(409),
  SAME_ROLE(409),
  AREA_REQUIRED(422),
  AREA_NOT_ALLOWED(422);

  private final int status;

  AdminError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
