package io.tracetrack.sync;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.ChildFacts;
import io.tracetrack.model.ParentFacts;
import java.util.Objects;

/**
 * One bag as a store holds it, in the shape the {@link Reconciler} reads.
 *
 * @param code the code
 * @param role parent or child, forever
 * @param expectedCount count printed on a parent's code, or {@code null}
 * @param limit children a parent may hold (0 for children)
 * @param childCount children on a parent now (0 for children)
 * @param finished a parent finished short by a person
 * @param parent the parent a child is on, or {@code null}
 * @param onFinalizedBill a parent on a finalized bill
 */
public record BagFacts(
    String code,
    BagRole role,
    Integer expectedCount,
    int limit,
    int childCount,
    boolean finished,
    String parent,
    boolean onFinalizedBill) {

  public BagFacts {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(role, "role");
  }

  public ParentFacts asParent() {
    return new ParentFacts(code, limit, childCount, finished, onFinalizedBill);
  }

  public ChildFacts asChild() {
    return new ChildFacts(code, role, parent);
  }
}
