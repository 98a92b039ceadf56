package io.tracetrack.model;

import java.util.Objects;

/**
 * What the rules need to know about a parent bag at the moment of a decision.
 *
 * @param code the parent's code
 * @param limit children it may hold (1..30)
 * @param childCount children on it now
 * @param finished someone finished it short of its limit
 * @param onFinalizedBill it is on a finalized bill, so nothing about it may change
 */
public record ParentFacts(String code, int limit, int childCount, boolean finished, boolean onFinalizedBill) {

  public ParentFacts {
    Objects.requireNonNull(code, "code");
    if (limit < 1 || limit > ParentLimits.MAX_CHILDREN) {
      throw new IllegalArgumentException("limit must be 1.." + ParentLimits.MAX_CHILDREN + ": " + limit);
    }
    if (childCount < 0) {
      throw new IllegalArgumentException("childCount must not be negative: " + childCount);
    }
  }

  public boolean isComplete() {
    return ParentLimits.isComplete(childCount, limit, finished);
  }

  /** "7 of 10": how the station and messages show progress. */
  public String progress() {
    return childCount + " of " + limit;
  }
}
