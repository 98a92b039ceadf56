package io.tracetrack.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What one change-log entry says, one record per {@link ChangeType}: the record's components are
 * the entry's JSON payload (golden fixtures under {@code golden/changes/v1/} freeze each shape).
 * A dock must ignore fields it does not know, so a field may be added to a type, never removed
 * or renamed.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public sealed interface Change {

  @JsonIgnore
  ChangeType type();

  /** The entity the entry is about: a bag code, or a bill id. */
  @JsonIgnore
  String key();

  /**
   * The change-log entry of an applied op, whoever applied it (a dock's push, the API, a conflict's
   * MOVE): one entry per op, the same everywhere, so a dock replays every writer's ops alike. A link
   * that created its child is one link.v1; a finish an unlink cleared is part of that unlink.
   *
   * @param area the area a created parent belongs to (the dock's or the caller's), or null
   */
  static Change of(Op op, String area) {
    return switch (op) {
      case Op.CreateParent c -> new Bag(c.parent(), io.tracetrack.model.BagRole.PARENT.name(), c.expectedCount(), c.limit(),
          area);
      case Op.Link l -> new Link(l.parent(), l.child());
      case Op.Unlink u -> new Unlink(u.parent(), u.child(), u.reason().name());
      case Op.Finish f -> new Finish(f.parent(), f.countSeen());
    };
  }

  /** A bag came into being; {@code role} PARENT or CHILD, the counts only for a parent. */
  record Bag(String code, String role, Integer expectedCount, Integer limit, String area) implements Change {
    public Bag {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public ChangeType type() {
      return ChangeType.BAG;
    }

    @Override
    public String key() {
      return code;
    }
  }

  record Link(String parent, String child) implements Change {
    public Link {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
    }

    @Override
    public ChangeType type() {
      return ChangeType.LINK;
    }

    @Override
    public String key() {
      return child;
    }
  }

  record Unlink(String parent, String child, String reason) implements Change {
    public Unlink {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public ChangeType type() {
      return ChangeType.UNLINK;
    }

    @Override
    public String key() {
      return child;
    }
  }

  record Finish(String parent, int count) implements Change {
    public Finish {
      Objects.requireNonNull(parent, "parent");
    }

    @Override
    public ChangeType type() {
      return ChangeType.FINISH;
    }

    @Override
    public String key() {
      return parent;
    }
  }

  /** A bill was finalized; {@code parents} are the bags now frozen, in code order. */
  record BillFinalized(String bill, boolean shortClosed, List<String> parents) implements Change {
    public BillFinalized {
      Objects.requireNonNull(bill, "bill");
      parents = List.copyOf(parents);
    }

    @Override
    public ChangeType type() {
      return ChangeType.BILL_FINALIZED;
    }

    @Override
    public String key() {
      return bill;
    }
  }

  /** A bill was reopened; {@code parents} are the bags no longer frozen, in code order. */
  record BillReopened(String bill, List<String> parents) implements Change {
    public BillReopened {
      Objects.requireNonNull(bill, "bill");
      parents = List.copyOf(parents);
    }

    @Override
    public ChangeType type() {
      return ChangeType.BILL_REOPENED;
    }

    @Override
    public String key() {
      return bill;
    }
  }

  record BillParentAdded(String bill, String parent) implements Change {
    public BillParentAdded {
      Objects.requireNonNull(bill, "bill");
      Objects.requireNonNull(parent, "parent");
    }

    @Override
    public ChangeType type() {
      return ChangeType.BILL_PARENT_ADDED;
    }

    @Override
    public String key() {
      return bill;
    }
  }

  record BillParentRemoved(String bill, String parent) implements Change {
    public BillParentRemoved {
      Objects.requireNonNull(bill, "bill");
      Objects.requireNonNull(parent, "parent");
    }

    @Override
    public ChangeType type() {
      return ChangeType.BILL_PARENT_REMOVED;
    }

    @Override
    public String key() {
      return bill;
    }
  }

  /**
   * A user as a dock needs them to sign in at a station, offline too; {@code area} null for every
   * area. {@code passwordHash} is the hub's Argon2id hash (PHC string), {@code null} for a user who
   * has none; {@code active} false for a disabled or deleted user, whom the dock then refuses.
   */
  record User(String username, String role, String area, boolean active, String passwordHash) implements Change {
    public User {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(role, "role");
    }

    @Override
    public ChangeType type() {
      return ChangeType.USER;
    }

    @Override
    public String key() {
      return username;
    }
  }

  /**
   * An op a dock pushed was refused (or stood with a difference worth a look): both sides, so the
   * dock that made it and an admin can see what happened without asking anyone.
   *
   * @param id the conflict's id on the hub
   * @param code why ({@code CHILD_ALREADY_LINKED}, {@code PARENT_FULL}, {@code STALE_UNLINK},
   *     {@code PARENT_FINALIZED}, {@code EXPECTED_COUNT_MISMATCH}, ...)
   * @param message the sentence shown to people
   * @param dock the dock whose op it was; {@code edgeId}, {@code seq} the op's id
   * @param opType the op's wire type; {@code parent}, {@code child} the bags it named ({@code child} null for a parent op)
   * @param actor who scanned it, {@code station} where, {@code hlcWall}/{@code hlcLogical} when on the dock's clock
   * @param hubAt when the hub decided it (ISO-8601)
   * @param otherParent the parent the child is on at the hub, or the bag the other side concerns; may be null
   * @param otherDock the dock (or "API") whose change stands on the other side; may be null
   * @param otherActor who made the other side; may be null
   * @param otherAt when the other side was made (ISO-8601); may be null
   * @param applied true when the op stood anyway (a different expected count): nothing to undo
   */
  record ConflictOpened(long id, String code, String message, String dock, String edgeId, long seq, String opType,
      String parent, String child, String actor, String station, long hlcWall, int hlcLogical, String hubAt,
      String otherParent, String otherDock, String otherActor, String otherAt, boolean applied) implements Change {
    public ConflictOpened {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(dock, "dock");
      Objects.requireNonNull(edgeId, "edgeId");
      Objects.requireNonNull(opType, "opType");
      Objects.requireNonNull(hubAt, "hubAt");
    }

    @Override
    public ChangeType type() {
      return ChangeType.CONFLICT_OPENED;
    }

    @Override
    public String key() {
      return Long.toString(id);
    }
  }

  /**
   * A conflict was closed: {@code action} MOVE (the child went to the scan's parent), KEEP (the
   * hub's state stands) or DISMISS; {@code by} the admin, {@code at} when (ISO-8601). A MOVE's own
   * unlink and link follow as their own entries.
   */
  record ConflictResolved(long id, String dock, String action, String by, String at) implements Change {
    public ConflictResolved {
      Objects.requireNonNull(dock, "dock");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public ChangeType type() {
      return ChangeType.CONFLICT_RESOLVED;
    }

    @Override
    public String key() {
      return Long.toString(id);
    }
  }

  /**
   * A dock at the destination closed the receipt of a bill ({@code bill.received.v1}): which of
   * the bill's parents came off the vehicle, which did not, and which came that are not on it. The
   * hub's own followers read it (the bill page, events); no dock acts on it.
   *
   * @param receipt the hub's number for the receipt
   * @param by who closed it at the dock; {@code at} when (ISO-8601)
   * @param received the bill's parents scanned, in scan order
   * @param missing the bill's parents not scanned, in the bill's order
   * @param extra parents scanned that are not on the bill, in scan order
   */
  record BillReceived(String bill, long receipt, String dock, String station, String by, String at,
      List<String> received, List<String> missing, List<String> extra) implements Change {
    public BillReceived {
      Objects.requireNonNull(bill, "bill");
      Objects.requireNonNull(dock, "dock");
      Objects.requireNonNull(station, "station");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(at, "at");
      received = List.copyOf(received);
      missing = List.copyOf(missing);
      extra = List.copyOf(extra);
    }

    @Override
    public ChangeType type() {
      return ChangeType.BILL_RECEIVED;
    }

    @Override
    public String key() {
      return bill;
    }
  }
}
