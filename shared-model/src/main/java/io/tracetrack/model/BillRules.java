package io.tracetrack.model;

import java.util.Optional;

/** F-BILL capacity and finality rules. */
public final class BillRules {

  /** Capacity allowed when a bill is created. */
  public static final int MAX_CAPACITY_AT_CREATION = 50;
  /** Capacity allowed when a bill is edited later. */
  public static final int MAX_CAPACITY_ON_EDIT = 100;

  private BillRules() {}

  /** Status of a bill; FINALIZED freezes it and everything on it. */
  public enum Status {
    OPEN,
    FINALIZED
  }

  public static Optional<Rejection> checkNewCapacity(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY_AT_CREATION) {
      return Optional.of(Rejection.of(RejectCode.BILL_CAPACITY_INVALID,
          "capacity must be 1.." + MAX_CAPACITY_AT_CREATION + " parents: " + capacity));
    }
    return Optional.empty();
  }

  /** An edited capacity may grow to 100 but never drop below the parents already on the bill. */
  public static Optional<Rejection> checkEditedCapacity(int capacity, int parentsOnBill) {
    if (capacity < 1 || capacity > MAX_CAPACITY_ON_EDIT) {
      return Optional.of(Rejection.of(RejectCode.BILL_CAPACITY_INVALID,
          "capacity must be 1.." + MAX_CAPACITY_ON_EDIT + " parents: " + capacity));
    }
    if (capacity < parentsOnBill) {
      return Optional.of(Rejection.of(RejectCode.BILL_CAPACITY_INVALID,
          "capacity " + capacity + " is below the " + parentsOnBill + " parents already on the bill"));
    }
    return Optional.empty();
  }

  /** Finalizing needs the bill full, or an explicit short close. */
  public static boolean mayFinalize(int parentsOnBill, int capacity, boolean shortClose) {
    return parentsOnBill >= capacity || (shortClose && parentsOnBill > 0);
  }
}
