package io.tracetrack.hub.write;

import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
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
 * The bag rows a change names, locked, with its accepted effects applied on top in memory: what
 * the {@link io.tracetrack.sync.Reconciler} decides each op against, so op 7 of a push batch (or
 * row 700 of an import) sees what op 3 did without a round trip. At the end it says what
 * {@link BagWriter} writes: the new rows whole and, for the rows that existed, their final link and
 * finish fields and the net change of their child count, and the counters' sums. Every writer of
 * bags at the hub goes through it (an API call, a push, an import, a conflict's MOVE), so the
 * effects mean one thing everywhere. Mirrors {@link io.tracetrack.sync.InMemoryState} effect for
 * effect. Not thread-safe; lives inside one transaction.
 */
public final class Overlay implements StateView {

  /**
   * One bag as the change leaves it. Mutable on purpose: the overlay's scratch pad, read by the
   * writer and by whoever explains a refusal (who linked, when).
   */
  public static final class Bag {
    public final String code;
    public final BagRole role;
    public final Integer expectedCount;
    public final int limit;
    public final boolean isNew;
    public final boolean onFinalizedBill;
    public final String createdBy;
    /** Where and when the bag was made ({@code "API"} for the hub's own API). */
    public String createdDock;
    public OffsetDateTime createdAt;
    public final int countBefore;
    public final String parentBefore;
    public int childCount;
    public String parent;
    public String linkedBy;
    public OffsetDateTime linkedAt;
    public String finishedBy;
    public OffsetDateTime finishedAt;
    boolean touched;
    /** Who put the latest child onto this parent within the change (the other side of a PARENT_FULL). */
    public String lastLinkBy;
    public OffsetDateTime lastLinkAt;
    /** The child's current link was made by this change. */
    public boolean linkedHere;

    /** A row as read (and locked) from the database. */
    public static Bag of(BagRecord r) {
      Bag bag = new Bag(r.getCode(), BagRole.valueOf(r.getRole()), r.getExpectedCount(), r.getLimitCount(), false,
          r.getOnFinalizedBill(), r.getCreatedBy(), r.getChildCount(), r.getParentCode());
      bag.parent = r.getParentCode();
      bag.linkedBy = r.getLinkedBy();
      bag.linkedAt = r.getLinkedAt();
      bag.finishedBy = r.getFinishedBy();
      bag.finishedAt = r.getFinishedAt();
      bag.createdDock = r.getDock() != null ? r.getDock() : "API";
      bag.createdAt = r.getCreatedAt();
      return bag;
    }

    private Bag(String code, BagRole role, Integer expectedCount, int limit, boolean isNew, boolean onFinalizedBill,
        String createdBy, int childCount, String parentBefore) {
      this.code = code;
      this.role = role;
      this.expectedCount = expectedCount;
      this.limit = limit;
      this.isNew = isNew;
      this.onFinalizedBill = onFinalizedBill;
      this.createdBy = createdBy;
      this.countBefore = isNew ? 0 : childCount;
      this.childCount = childCount;
      this.parentBefore = parentBefore;
    }

    public BagFacts facts() {
      return new BagFacts(code, role, expectedCount, limit, childCount, finishedAt != null, parent, onFinalizedBill);
    }
  }

  /** The dashboard's counters as the applied effects move them (the API's order: parents, children, links, scans). */
  public record Counts(long parents, long children, long links, long scans) {
    public boolean isEmpty() {
      return parents == 0 && children == 0 && links == 0 && scans == 0;
    }
  }

  private final Map<String, Bag> bags = new LinkedHashMap<>();
  private long parents;
  private long children;
  private long links;
  private long scans;

  /** Seeds the overlay with a row as locked from the database. */
  public void existing(Bag bag) {
    bags.put(bag.code, bag);
  }

  /** Seeds the overlay with a row as locked from the database. */
  public void existing(BagRecord row) {
    existing(Bag.of(row));
  }

  @Override
  public Optional<BagFacts> bag(String code) {
    return Optional.ofNullable(bags.get(code)).map(Bag::facts);
  }

  public Optional<Bag> row(String code) {
    return Optional.ofNullable(bags.get(code));
  }

  /** Applies one accepted effect of an op made by {@code actor}, stamped {@code at} (the hub's time). */
  public void apply(Effect effect, String actor, OffsetDateTime at) {
    switch (effect) {
      case Effect.CreateBag c -> {
        if (bags.containsKey(c.code())) {
          throw new IllegalStateException("bag exists: " + c.code());
        }
        Bag bag = new Bag(c.code(), c.role(), c.expectedCount(), c.limit(), true, false, actor, 0, null);
        bag.createdAt = at;
        if (c.role() == BagRole.PARENT) {
          parents++;
        } else {
          children++;
        }
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
        links++;
        scans++; // the API and the docks count each link made as a scan of the day
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
        links--;
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

  /** Rows the change created, in the order it created them. */
  public List<Bag> created() {
    List<Bag> out = new ArrayList<>();
    bags.values().stream().filter(b -> b.isNew).forEach(out::add);
    return out;
  }

  /** Rows that existed and the change touched, in code order (the order their locks were taken). */
  public List<Bag> changed() {
    return bags.values().stream().filter(b -> !b.isNew && b.touched).sorted(java.util.Comparator.comparing(b -> b.code)).toList();
  }

  /** What the applied effects add to the dashboard's counters. */
  public Counts counts() {
    return new Counts(parents, children, links, scans);
  }

  private Bag existing(String code) {
    Bag bag = bags.get(code);
    if (bag == null) {
      throw new IllegalStateException("no such bag: " + code);
    }
    return bag;
  }
}
