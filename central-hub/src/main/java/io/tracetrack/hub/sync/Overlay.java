package io.tracetrack.hub.sync;

import io.tracetrack.model.BagRole;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.StateView;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bag rows a push batch names, locked, with the batch's accepted effects applied on top in
 * memory: what the {@link io.tracetrack.sync.Reconciler} decides each op against, so op 7 sees what
 * op 3 of the same batch did without a round trip. At the end it says what to write: the new rows
 * whole and, for the rows that existed, their final link and finish fields and the net change of
 * their child count. Mirrors {@link io.tracetrack.sync.InMemoryState} effect for effect. Not
 * thread-safe; lives inside one transaction.
 */
final class Overlay implements StateView {

  /** One bag as the batch leaves it. Mutable on purpose: it is this class's private scratch pad. */
  static final class Bag {
    final String code;
    final BagRole role;
    final Integer expectedCount;
    final int limit;
    final boolean isNew;
    final boolean onFinalizedBill;
    final String createdBy;
    /** Where and when the bag was made ({@code "API"} for the hub's own API). */
    String createdDock;
    OffsetDateTime createdAt;
    final int countBefore;
    int childCount;
    String parent;
    String linkedBy;
    OffsetDateTime linkedAt;
    String finishedBy;
    OffsetDateTime finishedAt;
    boolean touched;
    /** Who put the latest child onto this parent within the batch (the other side of a PARENT_FULL). */
    String lastLinkBy;
    OffsetDateTime lastLinkAt;
    /** The child's current link was made by this batch. */
    boolean linkedHere;

    Bag(String code, BagRole role, Integer expectedCount, int limit, boolean isNew, boolean onFinalizedBill,
        String createdBy, int childCount) {
      this.code = code;
      this.role = role;
      this.expectedCount = expectedCount;
      this.limit = limit;
      this.isNew = isNew;
      this.onFinalizedBill = onFinalizedBill;
      this.createdBy = createdBy;
      this.countBefore = isNew ? 0 : childCount;
      this.childCount = childCount;
    }

    BagFacts facts() {
      return new BagFacts(code, role, expectedCount, limit, childCount, finishedAt != null, parent, onFinalizedBill);
    }
  }

  private final Map<String, Bag> bags = new LinkedHashMap<>();

  /** Seeds the overlay with a row as locked from the database. */
  void existing(Bag bag) {
    bags.put(bag.code, bag);
  }

  @Override
  public Optional<BagFacts> bag(String code) {
    return Optional.ofNullable(bags.get(code)).map(Bag::facts);
  }

  Optional<Bag> row(String code) {
    return Optional.ofNullable(bags.get(code));
  }

  /** Applies one accepted effect of an op made by {@code actor}, stamped {@code at} (the hub's time). */
  void apply(Effect effect, String actor, OffsetDateTime at) {
    switch (effect) {
      case Effect.CreateBag c -> {
        if (bags.containsKey(c.code())) {
          throw new IllegalStateException("bag exists: " + c.code());
        }
        Bag bag = new Bag(c.code(), c.role(), c.expectedCount(), c.limit(), true, false, actor, 0);
        bag.createdAt = at;
        bag.touched = true;
        bags.put(c.code(), bag);
      }
      case Effect.AddLink l -> {
        Bag child = existing(l.child());
        Bag parent = existing(l.parent());
        if (child.parent != null) {
          throw new IllegalStateException(l.child() + " already on " + child.parent);
        }
        child.parent = l.parent();
        child.linkedBy = actor;
        child.linkedAt = at;
        child.linkedHere = true;
        child.touched = true;
        parent.childCount++;
        parent.lastLinkBy = actor;
        parent.lastLinkAt = at;
        parent.touched = true;
      }
      case Effect.RemoveLink r -> {
        Bag child = existing(r.child());
        Bag parent = existing(r.parent());
        if (!r.parent().equals(child.parent)) {
          throw new IllegalStateException(r.child() + " not on " + r.parent());
        }
        child.parent = null;
        child.linkedBy = null;
        child.linkedAt = null;
        child.linkedHere = false;
        child.touched = true;
        parent.childCount--;
        parent.touched = true;
      }
      case Effect.MarkFinished f -> {
        Bag parent = existing(f.parent());
        parent.finishedBy = actor;
        parent.finishedAt = at;
        parent.touched = true;
      }
      case Effect.ClearFinished f -> {
        Bag parent = existing(f.parent());
        parent.finishedBy = null;
        parent.finishedAt = null;
        parent.touched = true;
      }
    }
  }

  /** Rows the batch created, in the order it created them. */
  List<Bag> created() {
    List<Bag> out = new ArrayList<>();
    bags.values().stream().filter(b -> b.isNew).forEach(out::add);
    return out;
  }

  /** Rows that existed and the batch changed, in code order (the order their locks were taken). */
  List<Bag> changed() {
    return bags.values().stream().filter(b -> !b.isNew && b.touched).sorted(java.util.Comparator.comparing(b -> b.code)).toList();
  }

  private Bag existing(String code) {
    Bag bag = bags.get(code);
    if (bag == null) {
      throw new IllegalStateException("no such bag: " + code);
    }
    return bag;
  }
}
