package io.tracetrack.model;

import java.util.Optional;

/**
 * Whether a child may be linked to a parent (F-SCAN 2). The checks run in the order PRODUCT.md
 * lists them, so the first reason a person reads is the most specific one; finality is checked
 * before fullness because a finalized bill is the reason nothing else can be done.
 */
public final class LinkRules {

  private LinkRules() {}

  /** Empty when the link is allowed; otherwise the rejection to show. */
  public static Optional<Rejection> check(ParentFacts parent, ChildFacts child) {
    String p = parent.code();
    String c = child.code();
    if (c.equals(p)) {
      return reject(ErrorCode.CHILD_EQUALS_PARENT, c + " is the parent itself", null);
    }
    if (child.knownRole() == BagRole.PARENT) {
      return reject(ErrorCode.CODE_IS_PARENT, c + " is a parent bag and cannot be a child", null);
    }
    if (p.equals(child.currentParent())) {
      return reject(ErrorCode.DUPLICATE, c + " is already on " + p + " (" + parent.progress() + ")", p);
    }
    if (child.currentParent() != null) {
      String other = child.currentParent();
      return reject(ErrorCode.CHILD_ALREADY_LINKED, c + " is already on another parent: " + other, other);
    }
    if (parent.onFinalizedBill()) {
      return reject(ErrorCode.PARENT_FINALIZED, p + " is on a finalized bill; it cannot change", null);
    }
    if (parent.childCount() >= ParentLimits.MAX_CHILDREN) {
      return reject(
          ErrorCode.PARENT_FULL,
          p + " is full: it holds the maximum of " + ParentLimits.MAX_CHILDREN + " children",
          null);
    }
    if (parent.isComplete()) {
      String how = parent.finished() && parent.childCount() < parent.limit() ? "finished at " : "complete: ";
      return reject(ErrorCode.PARENT_COMPLETE, p + " is " + how + parent.progress(), null);
    }
    return Optional.empty();
  }

  /** One bag, one role: a code known as a child can never be used as a parent. */
  public static Optional<Rejection> checkParentRole(String code, BagRole knownRole) {
    if (knownRole == BagRole.CHILD) {
      return reject(ErrorCode.CODE_IS_CHILD, code + " is a child bag and cannot be a parent", null);
    }
    return Optional.empty();
  }

  private static Optional<Rejection> reject(ErrorCode code, String message, String otherBag) {
    return Optional.of(Rejection.of(code, message, otherBag));
  }
}
