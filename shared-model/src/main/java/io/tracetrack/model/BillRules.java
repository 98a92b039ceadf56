package io.tracetrack.model;

import java.util.Optional;

/** F-BILL capacity, field and finality rules. */
public final class BillRules {

  /** Capacity allowed when a bill is created. */
  public static final int MAX_CAPACITY_AT_CREATION = 50;
  /** Capacity allowed when a bill is edited later. */
  public static final int MAX_CAPACITY_ON_EDIT = 100;
  /** Longest destination or vehicle number, in UTF-16 units (what both databases' varchar(100) hold at least). */
  public static final int MAX_FIELD_LENGTH = 100;

  private BillRules() {}

  /** Status of a bill; FINALIZED freezes it and everything on it. */
  public enum Status {
    OPEN,
    FINALIZED
  }

  public static Optional<Rejection> checkNewCapacity(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY_AT_CREATION) {
      return Optional.of(Rejection.of(ErrorCode.BILL_CAPACITY_INVALID,
          "capacity must be 1.." + MAX_CAPACITY_AT_CREATION + " parents: " + capacity));
    }
    return Optional.empty();
  }

  /** An edited capacity may grow to 100 but never drop below the parents already on the bill. */
  public static Optional<Rejection> checkEditedCapacity(int capacity, int parentsOnBill) {
    if (capacity < 1 || capacity > MAX_CAPACITY_ON_EDIT) {
      return Optional.of(Rejection.of(ErrorCode.BILL_CAPACITY_INVALID,
          "capacity must be 1.." + MAX_CAPACITY_ON_EDIT + " parents: " + capacity));
    }
    if (capacity < parentsOnBill) {
      return Optional.of(Rejection.of(ErrorCode.BILL_CAPACITY_INVALID,
          "capacity " + capacity + " is below the " + parentsOnBill + " parents already on the bill"));
    }
    return Optional.empty();
  }

  /** Finalizing needs the bill full, or an explicit short close. */
  public static boolean mayFinalize(int parentsOnBill, int capacity, boolean shortClose) {
    return parentsOnBill >= capacity || (shortClose && parentsOnBill > 0);
  }

  /**
   * A destination or vehicle number, as it will be stored (already trimmed): 1..100 characters, all
   * printable. Control, format and private-use characters, line separators, unassigned code points
   * and lone surrogates are refused: they would print as nothing or as garbage on a manifest, or
   * make two different values look the same. Anything printable is kept as typed, never interpreted.
   *
   * @param field the field's name, for the message
   */
  public static Optional<Rejection> checkField(String field, String value) {
    if (value == null || value.isEmpty()) {
      return Optional.of(Rejection.of(ErrorCode.BILL_FIELD_INVALID, field + " is required"));
    }
    if (value.length() > MAX_FIELD_LENGTH) {
      return Optional.of(Rejection.of(ErrorCode.BILL_FIELD_INVALID,
          field + " is longer than " + MAX_FIELD_LENGTH + " characters"));
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (!printable(cp)) {
        return Optional.of(Rejection.of(ErrorCode.BILL_FIELD_INVALID, String.format(java.util.Locale.ROOT,
            "%s has an unprintable character U+%04X at position %d", field, cp, i + 1)));
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  private static boolean printable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  /** Edits, parent changes and finalizing need an open bill. */
  public static Optional<Rejection> checkOpen(String billId, Status status) {
    if (status == Status.FINALIZED) {
      return Optional.of(Rejection.of(ErrorCode.BILL_FINALIZED,
          "bill " + billId + " is finalized; reopen it before changing it"));
    }
    return Optional.empty();
  }

  /** A parent may join an open bill that is not yet full. */
  public static Optional<Rejection> checkAddParent(String billId, Status status, int parentsOnBill, int capacity) {
    Optional<Rejection> closed = checkOpen(billId, status);
    if (closed.isPresent()) {
      return closed;
    }
    if (parentsOnBill >= capacity) {
      return Optional.of(Rejection.of(ErrorCode.BILL_FULL,
          "bill " + billId + " is full: " + parentsOnBill + " of " + capacity + " parents"));
    }
    return Optional.empty();
  }

  /**
   * A parent goes on a bill only when it is ready to leave: complete (at its limit) or finished
   * short at a dock. Anything else would ship a half-filled bag nobody decided to send.
   */
  public static Optional<Rejection> checkParentReady(String code, int childCount, int limit, boolean finished) {
    if (ParentLimits.isComplete(childCount, limit, finished)) {
      return Optional.empty();
    }
    return Optional.of(Rejection.of(ErrorCode.PARENT_NOT_READY, code + " has " + childCount + " of " + limit
        + (limit == 1 ? " child" : " children") + ": neither complete nor finished short. Finish it at the dock, "
        + "or add it anyway with force and a reason"));
  }

  /** How many children a parent on a bill is expected to carry: its count if finished short, else its limit. */
  public static int expectedChildren(int childCount, int limit, boolean finished) {
    return finished ? Math.min(childCount, limit) : limit;
  }

  /** {@link #mayFinalize} with the reason a person can act on when it may not. */
  public static Optional<Rejection> checkFinalize(String billId, Status status, int parentsOnBill, int capacity,
      boolean shortClose) {
    Optional<Rejection> closed = checkOpen(billId, status);
    if (closed.isPresent()) {
      return closed;
    }
    if (mayFinalize(parentsOnBill, capacity, shortClose)) {
      return Optional.empty();
    }
    return Optional.of(Rejection.of(ErrorCode.BILL_NOT_READY, parentsOnBill == 0
        ? "bill " + billId + " has no parents; an empty bill cannot be finalized"
        : "bill " + billId + " has " + parentsOnBill + " of " + capacity
            + " parents; finalizing it short needs an explicit short close"));
  }

  /** Only a finalized bill can be reopened. */
  public static Optional<Rejection> checkReopen(String billId, Status status) {
    if (status != Status.FINALIZED) {
      return Optional.of(Rejection.of(ErrorCode.BILL_NOT_FINALIZED, "bill " + billId + " is open already"));
    }
    return Optional.empty();
  }
}
