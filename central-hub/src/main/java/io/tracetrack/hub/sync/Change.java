package io.tracetrack.hub.sync;

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

  /** A user as a dock needs them to sign in at a station; {@code area} null for every area. */
  record User(String username, String role, String area, boolean active) implements Change {
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
}
