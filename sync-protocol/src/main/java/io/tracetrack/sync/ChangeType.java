package io.tracetrack.sync;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of entry in the hub's {@link ChangeLog}, by their wire names. A dock acts on an entry by
 * its type, so a released name never changes and never goes away ({@code golden/change-types.txt}
 * freezes them): a payload that must change shape gets a new type ({@code link.v2}) beside the old.
 */
public enum ChangeType {
  /** A bag came into being (a parent with its counts, or a child). */
  BAG("bag.v1", Change.Bag.class),
  /** A child went onto a parent. */
  LINK("link.v1", Change.Link.class),
  /** A child came off a parent. */
  UNLINK("unlink.v1", Change.Unlink.class),
  /** A parent was finished with the count seen. */
  FINISH("finish.v1", Change.Finish.class),
  /** A bill was finalized: its parents are frozen. */
  BILL_FINALIZED("bill.finalized.v1", Change.BillFinalized.class),
  /** A finalized bill was reopened: its parents thaw. */
  BILL_REOPENED("bill.reopened.v1", Change.BillReopened.class),
  /** A parent went onto a bill. */
  BILL_PARENT_ADDED("bill.parent.added.v1", Change.BillParentAdded.class),
  /** A parent came off a bill. */
  BILL_PARENT_REMOVED("bill.parent.removed.v1", Change.BillParentRemoved.class),
  /** A dock at the destination received a bill's load: received, missing and extra parents. */
  BILL_RECEIVED("bill.received.v1", Change.BillReceived.class),
  /** A user was created or changed (a dock keeps the users of its area, to sign in offline). */
  USER("user.v1", Change.User.class),
  /** An op a dock pushed was refused, or stood with a difference: a conflict, with both sides. */
  CONFLICT_OPENED("conflict.v1", Change.ConflictOpened.class),
  /** A conflict was resolved or dismissed by an admin. */
  CONFLICT_RESOLVED("conflict.resolved.v1", Change.ConflictResolved.class);

  private final String wire;
  private final Class<? extends Change> record;

  ChangeType(String wire, Class<? extends Change> record) {
    this.wire = wire;
    this.record = record;
  }

  /** The record a payload of this type binds to. */
  public Class<? extends Change> record() {
    return record;
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
