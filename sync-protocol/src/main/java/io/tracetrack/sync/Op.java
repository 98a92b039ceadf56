package io.tracetrack.sync;

import java.util.Objects;

/**
 * A domain op: what a person did, not which rows changed. Each op carries the state it expected
 * (an unlink names the parent it removes the child from; a finish the count it saw), so the hub
 * can tell a stale op from a valid one whatever else reached it first.
 */
public sealed interface Op {

  /** Wire names of the op types (frozen, like the fixtures). */
  String CREATE_PARENT = "CREATE_PARENT";
  String LINK = "LINK";
  String UNLINK = "UNLINK";
  String FINISH = "FINISH";

  /** A stable name on the wire. */
  String type();

  /** The bag an op is about: the child of a link or unlink, the parent otherwise (what logs and audits key on). */
  default String bag() {
    return switch (this) {
      case CreateParent c -> c.parent();
      case Link l -> l.child();
      case Unlink u -> u.child();
      case Finish f -> f.parent();
    };
  }

  /**
   * A parent bag scanned for the first time at this dock: create it if absent. The code is the
   * identity; if it exists already, the first creation's metadata stands.
   *
   * @param expectedCount the count printed in the code, or {@code null}
   * @param limit the limit the edge derived from the code (checked again by the hub)
   */
  record CreateParent(String parent, Integer expectedCount, int limit) implements Op {
    public CreateParent {
      Objects.requireNonNull(parent, "parent");
    }

    @Override
    public String type() {
      return CREATE_PARENT;
    }
  }

  /**
   * Link a child (created if absent) to a parent. Expected prior state: the child is on no parent.
   */
  record Link(String parent, String child) implements Op {
    public Link {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
    }

    @Override
    public String type() {
      return LINK;
    }
  }

  /**
   * Remove a child from a parent: a compensating event, history is never erased. Expected prior
   * state: the child is on {@code parent}; if it is elsewhere by then, the op is stale.
   */
  record Unlink(String parent, String child, UnlinkReason reason) implements Op {
    public Unlink {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String type() {
      return UNLINK;
    }
  }

  /**
   * A person finished a parent short of its count (after confirming). Expected prior state: the
   * parent held {@code countSeen} children, the count the person confirmed; at any other count the
   * op is refused as {@link io.tracetrack.model.ErrorCode#FINISH_STALE}.
   */
  record Finish(String parent, int countSeen) implements Op {
    public Finish {
      Objects.requireNonNull(parent, "parent");
      if (countSeen < 0) {
        throw new IllegalArgumentException("countSeen must not be negative: " + countSeen);
      }
    }

    @Override
    public String type() {
      return FINISH;
    }
  }

  /** Why a link was removed. */
  enum UnlinkReason {
    /** The station's undo command. */
    UNDO,
    /** A person resolving a conflict or correcting a mistake. */
    CORRECTION
  }
}
