package io.tracetrack.sync.sim;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.ParentLimits;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.StateView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bags as a map, the shape both the hub model and a dock's replica and view hold. It is {@link
 * io.tracetrack.sync.InMemoryState} plus what a simulator needs (copy, equality, iteration, the
 * finalized flag kept inside each bag); the hub model mirrors every effect into a real {@code
 * InMemoryState} and the two are compared after every step, so this class cannot drift from it.
 */
final class SimState implements StateView {

  // sorted, so a difference prints the same way on every run of a seed
  private final TreeMap<String, BagFacts> bags = new TreeMap<>();

  @Override
  public Optional<BagFacts> bag(String code) {
    return Optional.ofNullable(bags.get(code));
  }

  Map<String, BagFacts> bags() {
    return Collections.unmodifiableMap(bags);
  }

  SimState copy() {
    SimState copy = new SimState();
    copy.bags.putAll(bags);
    return copy;
  }

  /** A snapshot row as the dock loads it. */
  void load(BagFacts bag) {
    bags.put(bag.code(), bag);
  }

  void apply(List<Effect> effects) {
    effects.forEach(this::apply);
  }

  void apply(Effect effect) {
    switch (effect) {
      case Effect.CreateBag c -> {
        if (bags.containsKey(c.code())) {
          throw new IllegalStateException("bag exists: " + c.code());
        }
        bags.put(c.code(), new BagFacts(c.code(), c.role(), c.expectedCount(), c.limit(), 0, false, null, false));
      }
      case Effect.AddLink l -> {
        BagFacts child = existing(l.child());
        if (child.parent() != null) {
          throw new IllegalStateException(l.child() + " already on " + child.parent());
        }
        BagFacts parent = existing(l.parent());
        bags.put(l.child(), with(child, 0, false, l.parent(), false));
        bags.put(l.parent(), with(parent, parent.childCount() + 1, parent.finished(), null, parent.onFinalizedBill()));
      }
      case Effect.RemoveLink r -> {
        BagFacts child = existing(r.child());
        if (!r.parent().equals(child.parent())) {
          throw new IllegalStateException(r.child() + " not on " + r.parent());
        }
        BagFacts parent = existing(r.parent());
        bags.put(r.child(), with(child, 0, false, null, false));
        bags.put(r.parent(), with(parent, parent.childCount() - 1, parent.finished(), null, parent.onFinalizedBill()));
      }
      case Effect.MarkFinished f -> {
        BagFacts p = existing(f.parent());
        bags.put(p.code(), with(p, p.childCount(), true, null, p.onFinalizedBill()));
      }
      case Effect.ClearFinished f -> {
        BagFacts p = existing(f.parent());
        bags.put(p.code(), with(p, p.childCount(), false, null, p.onFinalizedBill()));
      }
    }
  }

  void finalizeParent(String code) {
    BagFacts p = existing(code);
    bags.put(code, with(p, p.childCount(), p.finished(), null, true));
  }

  List<String> childrenOf(String parent) {
    return bags.values().stream().filter(b -> parent.equals(b.parent())).map(BagFacts::code).toList();
  }

  /**
   * Invariant 1 on this state: a child is on at most one parent (a child names one parent, and
   * every parent's count is the number of children naming it), and no parent holds more than its
   * limit. Empty when it holds.
   */
  List<String> shapeViolations(String who) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counted = new HashMap<>();
    for (BagFacts b : bags.values()) {
      if (b.parent() == null) {
        continue;
      }
      BagFacts parent = bags.get(b.parent());
      if (b.role() != BagRole.CHILD || parent == null || parent.role() != BagRole.PARENT) {
        problems.add(who + ": " + b.code() + " hangs on " + b.parent() + " which is not a parent it may hang on");
      }
      counted.merge(b.parent(), 1, Integer::sum);
    }
    for (BagFacts b : bags.values()) {
      if (b.role() != BagRole.PARENT) {
        continue;
      }
      int actual = counted.getOrDefault(b.code(), 0);
      if (actual != b.childCount()) {
        problems.add(who + ": " + b.code() + " counts " + b.childCount() + " children but " + actual + " name it");
      }
      if (actual > b.limit() || actual > ParentLimits.MAX_CHILDREN) {
        problems.add(who + ": " + b.code() + " holds " + actual + " children, over its limit " + b.limit());
      }
    }
    return problems;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SimState s && s.bags.equals(bags);
  }

  @Override
  public int hashCode() {
    return bags.hashCode();
  }

  @Override
  public String toString() {
    return bags.values().toString();
  }

  /** The bags of two states that differ, for a failure message. */
  static List<String> differences(SimState expected, SimState actual) {
    List<String> out = new ArrayList<>();
    TreeMap<String, Object> codes = new TreeMap<>();
    expected.bags.keySet().forEach(k -> codes.put(k, k));
    actual.bags.keySet().forEach(k -> codes.put(k, k));
    for (String code : codes.keySet()) {
      BagFacts e = expected.bags.get(code);
      BagFacts a = actual.bags.get(code);
      if (e == null ? a != null : !e.equals(a)) {
        out.add(code + ": hub " + e + " / dock " + a);
      }
    }
    return out;
  }

  private BagFacts existing(String code) {
    BagFacts bag = bags.get(code);
    if (bag == null) {
      throw new IllegalStateException("no such bag: " + code);
    }
    return bag;
  }

  private static BagFacts with(BagFacts b, int childCount, boolean finished, String parent, boolean finalized) {
    return new BagFacts(b.code(), b.role(), b.expectedCount(), b.limit(), childCount, finished, parent, finalized);
  }
}
