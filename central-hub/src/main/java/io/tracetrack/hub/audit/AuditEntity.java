package io.tracetrack.hub.audit;

/** What an audit entry is about; its {@code entityId} names the one. Names are stored and frozen. */
public enum AuditEntity {
  /** A bag, parent or child; the id is its code. */
  BAG,
  /** A bill; the id is the bill id. */
  BILL,
  /** A user account; the id is the user name (a pseudonym once the user is deleted). */
  USER,
  /** An area; the id is the area id. */
  AREA,
  /** A request for a higher role; the id is the request's number. */
  PROMOTION_REQUEST,
  /** A dock edge node; the id is the dock's name. */
  DOCK,
  /** A sync conflict (a dock's op the hub refused); the id is the conflict's number. */
  CONFLICT,
  /** The end-of-day summary of one day; the id is the day, YYYY-MM-DD. */
  END_OF_DAY,
  /** An imported file; the id is the SHA-256 of its bytes. */
  IMPORT,
  /** A webhook (an integrator's URL events are posted to); the id is the webhook's. */
  WEBHOOK
}
