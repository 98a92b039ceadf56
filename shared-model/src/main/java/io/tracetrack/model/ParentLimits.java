package io.tracetrack.model;

/** How many children a parent may hold, and when it counts as complete (F-SCAN 2–3). */
public final class ParentLimits {

  /** No parent ever holds more than this many children. */
  public static final int MAX_CHILDREN = 30;

  private ParentLimits() {}

  /** The limit of a parent: the count printed in its code, else {@link #MAX_CHILDREN}. */
  public static int limitFor(Integer expectedCount) {
    if (expectedCount == null) {
      return MAX_CHILDREN;
    }
    if (expectedCount < 1 || expectedCount > MAX_CHILDREN) {
      throw new IllegalArgumentException(
          "expected count must be 1.." + MAX_CHILDREN + ": " + expectedCount);
    }
    return expectedCount;
  }

  /** A parent completes itself when it reaches its limit, or when someone finished it. */
  public static boolean isComplete(int childCount, int limit, boolean finished) {
    return finished || childCount >= limit;
  }
}
