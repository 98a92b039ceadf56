package io.tracetrack.model;

/**
 * Why a scan or an op was refused. These names travel on the wire (scan JSON, sync outcomes,
 * problem+json {@code code}) and are shown to integrators: names are frozen once released; add new
 * ones, never rename.
 */
public enum RejectCode {
  /** The input is not a code this deployment accepts; {@link CodeProblem} says why. */
  INVALID_CODE,
  /** A child was scanned before any parent at this station. */
  NO_PARENT,
  /** The child scanned is the current parent itself. */
  CHILD_EQUALS_PARENT,
  /** The code offered as a child is known as a parent bag (one bag, one role). */
  CODE_IS_PARENT,
  /** The code offered as a parent is known as a child bag (one bag, one role). */
  CODE_IS_CHILD,
  /** The child is already on this very parent. */
  DUPLICATE,
  /** The child is on another parent, which the message names. */
  CHILD_ALREADY_LINKED,
  /** The parent reached its expected count or was finished. */
  PARENT_COMPLETE,
  /** The parent already holds the maximum of 30 children. */
  PARENT_FULL,
  /** The parent is on a finalized bill: nothing about it may change. */
  PARENT_FINALIZED,
  /** The op names a parent that does not exist. */
  UNKNOWN_PARENT,
  /** An unlink expected the child on a parent it is no longer on. */
  STALE_UNLINK,
  /** Undo found no link made at this station that it may remove. */
  NOTHING_TO_UNDO,
  /** The most recent link is older than the undo window (1 hour). */
  UNDO_WINDOW_EXPIRED,
  /** Finishing short of the expected count needs a second, confirming FINISH. */
  FINISH_NEEDS_CONFIRMATION,
  /** A parent with no children cannot be finished. */
  EMPTY_PARENT,
  /** The same code was created elsewhere with a different expected count; the first one stands. */
  EXPECTED_COUNT_MISMATCH,
  /** No user is signed in at this station, or the session expired. */
  NOT_SIGNED_IN,
  /** The user named is not known on this dock. */
  UNKNOWN_USER,
  /** A bill capacity outside 1..50 (1..100 on edit) or below the parents already on it. */
  BILL_CAPACITY_INVALID,
  /** The local store could not take the write (disk full, locked too long): nothing was recorded. */
  STORE_UNAVAILABLE,
  /** A bill with this id already exists. */
  BILL_EXISTS,
  /** No bill has this id. */
  BILL_NOT_FOUND,
  /** The bill already holds as many parents as its capacity. */
  BILL_FULL,
  /** The bill is finalized: nothing on it may change until a biller or admin reopens it. */
  BILL_FINALIZED,
  /** Reopen was asked of a bill that is open. */
  BILL_NOT_FINALIZED,
  /** Finalize was asked of a bill short of its capacity without a short close, or of an empty bill. */
  BILL_NOT_READY,
  /** The parent is on another bill, which the message and {@code otherBag} name. */
  PARENT_ON_OTHER_BILL,
  /** The parent to take off a bill is not on it. */
  PARENT_NOT_ON_BILL,
  /** A bill's destination or vehicle number is empty, longer than 100 characters or not printable. */
  BILL_FIELD_INVALID,
  /**
   * A FINISH confirmed at one child count met the parent at another (a link or undo elsewhere came
   * first): finishing would record a count nobody confirmed, so the person confirms again.
   */
  FINISH_STALE
}
