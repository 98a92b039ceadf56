package io.tracetrack.model;

import java.util.Objects;

/**
 * What the rules need to know about a code offered as a child.
 *
 * @param code the code
 * @param knownRole the role it already has, or {@code null} if the bag is new
 * @param currentParent the parent it is on now, or {@code null}
 */
public record ChildFacts(String code, BagRole knownRole, String currentParent) {

  public ChildFacts {
    Objects.requireNonNull(code, "code");
  }

  public static ChildFacts unseen(String code) {
    return new ChildFacts(code, null, null);
  }
}
