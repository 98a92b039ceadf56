package io.tracetrack.hub.sync;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of entry in the hub's {@link ChangeLog}, by their wire names. A dock acts on an entry by
 * its type, so a released name never changes and never goes away ({@code golden/change-types.txt}
 * freezes them): a payload that must change shape gets a new type ({@code link.v2}) beside the old.
 */
public enum ChangeType {
  /** A bag came into being (a parent with its counts, or a child). */
  BAG("bag.v1"),
  /** A child went onto a parent. */
  LINK("link.v1"),
  /** A child came off a parent. */
  UNLINK("unlink.v1"),
  /** A parent was finished with the count seen. */
  FINISH("finish.v1"),
  /** A bill was finalized: its parents are frozen. */
  BILL_FINALIZED("bill.finalized.v1"),
  /** A finalized bill was reopened: its parents thaw. */
  BILL_REOPENED("bill.reopened.v1"),
  /** A parent went onto a bill. */
  BILL_PARENT_ADDED("bill.parent.added.v1"),
  /** A parent came off a bill. */
  BILL_PARENT_REMOVED("bill.parent.removed.v1"),
  /** A user was created or changed (not written yet: a later slice). */
  USER("user.v1");

  private final String wire;

  ChangeType(String wire) {
    this.wire = wire;
  }

  /** The name stored in {@code change_log.type} and sent to docks. */
  public String wire() {
    return wire;
  }

  /** The type of a stored or received name; empty for a name this hub does not know. */
  public static Optional<ChangeType> ofWire(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
  }
}
