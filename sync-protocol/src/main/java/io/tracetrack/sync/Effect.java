package io.tracetrack.sync;

import io.tracetrack.model.BagRole;
import java.util.Objects;

/** A change a store makes when an op is accepted. Stores apply them in order, all or nothing. */
public sealed interface Effect {

  /** Insert a bag that does not exist yet. */
  record CreateBag(String code, BagRole role, Integer expectedCount, int limit) implements Effect {
    public CreateBag {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(role, "role");
    }
  }

  /** Put a child on a parent; the parent's child count goes up by one. */
  record AddLink(String parent, String child) implements Effect {
    public AddLink {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
    }
  }

  /** Take a child off a parent; the parent's child count goes down by one. */
  record RemoveLink(String parent, String child) implements Effect {
    public RemoveLink {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(child, "child");
    }
  }

  /** Record that a person finished the parent short of its count. */
  record MarkFinished(String parent) implements Effect {
    public MarkFinished {
      Objects.requireNonNull(parent, "parent");
    }
  }

  /** The parent is open again (a link was removed after it was finished). */
  record ClearFinished(String parent) implements Effect {
    public ClearFinished {
      Objects.requireNonNull(parent, "parent");
    }
  }
}
