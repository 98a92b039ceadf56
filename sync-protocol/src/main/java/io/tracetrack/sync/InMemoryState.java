package io.tracetrack.sync;

import io.tracetrack.model.BagRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference store: applies effects to maps. The convergence simulator and the protocol tests
 * use it; the real stores (SQLite, PostgreSQL) must agree with it effect for effect. Not
 * thread-safe.
 */
public final class InMemoryState implements StateView {

  private final Map<String, BagFacts> bags = new HashMap<>();
  private final java.util.Set<String> finalizedParents = new java.util.HashSet<>();

  @Override
  public Optional<BagFacts> bag(String code) {
    BagFacts bag = bags.get(code);
    if (bag != null && finalizedParents.contains(code)) {
      return Optional.of(new BagFacts(bag.code(), bag.role(), bag.expectedCount(), bag.limit(),
          bag.childCount(), bag.finished(), bag.parent(), true));
    }
    return Optional.ofNullable(bag);
  }

  /** Marks a parent as being on a finalized bill (bills live outside the op stream here). */
  public void finalizeParent(String parent) {
    finalizedParents.add(parent);
  }

  public void apply(List<Effect> effects) {
    for (Effect effect : effects) {
      apply(effect);
    }
  }

  public void apply(Effect effect) {
    switch (effect) {
      case Effect.CreateBag c -> {
        if (bags.putIfAbsent(c.code(), new BagFacts(c.code(), c.role(), c.expectedCount(), c.limit(), 0, false, null, false)) != null) {
          throw new IllegalStateException("bag exists: " + c.code());
        }
      }
      case Effect.AddLink l -> {
        BagFacts child = existing(l.child());
        if (child.parent() != null) {
          throw new IllegalStateException(l.child() + " already on " + child.parent());
        }
        bags.put(l.child(), with(child, child.childCount(), child.finished(), l.parent()));
        BagFacts parent = existing(l.parent());
        bags.put(l.parent(), with(parent, parent.childCount() + 1, parent.finished(), parent.parent()));
      }
      case Effect.RemoveLink r -> {
        BagFacts child = existing(r.child());
        if (!r.parent().equals(child.parent())) {
          throw new IllegalStateException(r.child() + " not on " + r.parent());
        }
        bags.put(r.child(), with(child, child.childCount(), child.finished(), null));
        BagFacts parent = existing(r.parent());
        bags.put(r.parent(), with(parent, parent.childCount() - 1, parent.finished(), parent.parent()));
      }
      case Effect.MarkFinished f -> {
        BagFacts parent = existing(f.parent());
        bags.put(f.parent(), with(parent, parent.childCount(), true, parent.parent()));
      }
      case Effect.ClearFinished f -> {
        BagFacts parent = existing(f.parent());
        bags.put(f.parent(), with(parent, parent.childCount(), false, parent.parent()));
      }
    }
  }

  /** Children currently on a parent, in no particular order. */
  public List<String> childrenOf(String parent) {
    return bags.values().stream().filter(b -> parent.equals(b.parent())).map(BagFacts::code).sorted().toList();
  }

  public int size() {
    return bags.size();
  }

  private BagFacts existing(String code) {
    BagFacts bag = bags.get(code);
    if (bag == null) {
      throw new IllegalStateException("no such bag: " + code);
    }
    return bag;
  }

  private static BagFacts with(BagFacts b, int childCount, boolean finished, String parent) {
    return new BagFacts(b.code(), b.role(), b.expectedCount(), b.limit(), childCount, finished, parent, b.onFinalizedBill());
  }

  /** True when the bag exists with this role. */
  public boolean has(String code, BagRole role) {
    BagFacts bag = bags.get(code);
    return bag != null && bag.role() == role;
  }
}
