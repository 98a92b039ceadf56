package io.tracetrack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants of DESIGN.md, held against the hub's API and each dock once the fleet is quiet.
 *
 * <ul>
 *   <li><b>lostAcked</b>: an op a dock answered accepted that the hub neither applied nor recorded
 *       as a conflict. The hub's history names the kind, bag, parent and dock of every applied op
 *       (not its seq), so ops are counted per (kind, bag, parent, dock): fewer history entries than
 *       acknowledged ops is a loss, unless the op had nothing to change when it arrived (a link the
 *       child already had, made by another dock; a parent another dock created first; a finish of a
 *       parent already complete). An op whose seq is beyond what the hub took from its dock is lost too.
 *   <li><b>appliedTwice</b>: more history entries than acknowledged ops (after allowing one for each
 *       scan whose answer was lost, which may have taken effect), or a parent whose count differs
 *       from its children.
 *   <li><b>overLimit</b>: a parent with more children than its limit, or a child two parents claim
 *       (or one whose parent does not list it).
 *   <li><b>diverged</b>: a dock whose station view of a bag it scanned differs from the hub's: a
 *       child's parent, a parent's count, whether it was finished.
 * </ul>
 */
final class Checker {

  /** What the checks found; {@code differences} in the order found, the first one first. */
  record Findings(int conflicts, int lostAcked, int appliedTwice, int overLimit, int diverged, List<String> differences) {}

  private record Key(String type, String bag, String parent, String dock) {
    @Override
    public String toString() {
      return dock + " " + type + " " + bag + (parent == null ? "" : " -> " + parent);
    }
  }

  /** What the checks read of the hub: its API as an admin sees it. */
  interface Hub {
    /** The {@code conflict} part of every conflict, open and resolved. */
    List<JsonNode> conflicts() throws Exception;

    /** The fleet by dock name ({@code lastSeq} is read). */
    Map<String, JsonNode> docks() throws Exception;

    /** A bag with all of its history, or null when the hub does not know it. */
    JsonNode bag(String code) throws Exception;
  }

  /** What the checks read of a dock: who it is, what it did, and its station's view of some bags. */
  interface Dock {
    String name();

    String edgeId();

    /** The bag codes its scanner scanned. */
    Set<String> touched();

    /** Every op it acknowledged, and every scan whose answer was lost. */
    List<DockDriver.Op> ops();

    Map<String, EdgeNode.ViewRow> view(java.util.Collection<String> codes) throws Exception;
  }

  /** A running dock and its scanner, as the checks see them. */
  static Dock of(EdgeNode edge, DockDriver driver) {
    return new Dock() {
      @Override
      public String name() {
        return edge.name;
      }

      @Override
      public String edgeId() {
        return edge.edgeId;
      }

      @Override
      public Set<String> touched() {
        return driver.touched();
      }

      @Override
      public List<DockDriver.Op> ops() {
        return driver.ops();
      }

      @Override
      public Map<String, EdgeNode.ViewRow> view(java.util.Collection<String> codes) throws Exception {
        return edge.view(codes);
      }
    };
  }

  private final Hub hub;
  private final List<Dock> docks;
  private final List<String> differences = new ArrayList<>();

  Checker(Hub hub, List<Dock> docks) {
    this.hub = hub;
    this.docks = docks;
  }

  Findings check() throws Exception {
    Map<String, String> edgeIds = new HashMap<>();
    for (Dock d : docks) {
      edgeIds.put(d.name(), d.edgeId());
    }
    Set<String> conflicted = new TreeSet<>();
    int conflicts = 0;
    for (JsonNode c : hub.conflicts()) {
      if (edgeIds.containsValue(c.path("edgeId").asText())) {
        conflicts++;
        conflicted.add(c.get("edgeId").asText() + "#" + c.get("seq").asLong());
      }
    }
    Map<String, JsonNode> fleet = hub.docks();

    // every bag anyone scanned or an op names, and the children those parents hold
    Set<String> codes = new TreeSet<>();
    for (Dock d : docks) {
      codes.addAll(d.touched());
      for (DockDriver.Op op : d.ops()) {
        if (op.bag() != null) {
          codes.add(op.bag());
        }
        if (op.parent() != null) {
          codes.add(op.parent());
        }
      }
    }
    Map<String, JsonNode> bags = new LinkedHashMap<>();
    for (String code : codes) {
      JsonNode bag = hub.bag(code);
      if (bag != null) {
        bags.put(code, bag);
      }
    }
    // a child only a parent names (nobody scanned it) is read too: who claims it is checked below
    Set<String> named = new TreeSet<>();
    bags.values().forEach(b -> b.path("children").forEach(c -> named.add(c.asText())));
    named.removeAll(bags.keySet());
    for (String code : named) {
      JsonNode bag = hub.bag(code);
      if (bag != null) {
        bags.put(code, bag);
      }
    }

    int lost = 0;
    Map<Key, Integer> acked = new HashMap<>();
    Map<Key, Integer> uncertain = new HashMap<>();
    Map<String, Integer> uncertainAnyBag = new HashMap<>();
    for (Dock d : docks) {
      for (DockDriver.Op op : d.ops()) {
        Key key = new Key(op.type(), op.bag(), op.parent(), op.dock());
        if (!op.certain()) {
          // the exact op when the guess is good; any op of its dock and kind when it is not (an
          // UNDO whose answer was lost named no child; a lost answer can leave the station's parent unknown)
          uncertain.merge(key, 1, Integer::sum);
          uncertainAnyBag.merge(op.dock() + " " + op.type(), 1, Integer::sum);
          continue;
        }
        if (conflicted.contains(edgeIds.get(op.dock()) + "#" + op.seq())) {
          continue;
        }
        long hubSeq = fleet.containsKey(op.dock()) ? fleet.get(op.dock()).path("lastSeq").asLong(0) : 0;
        if (op.seq() > hubSeq) {
          lost++;
          differ("lostAcked: " + key + " (seq " + op.seq() + ") acknowledged at the dock; the hub took "
              + op.dock() + " only up to seq " + hubSeq);
          continue;
        }
        acked.merge(key, 1, Integer::sum);
      }
    }
    Map<Key, Integer> applied = new HashMap<>();
    Set<String> dockNames = edgeIds.keySet();
    bags.forEach((code, bag) -> bag.path("history").forEach(h -> {
      if ("EDGE".equals(h.path("source").asText()) && code.equals(h.path("bag").asText())
          && dockNames.contains(h.path("dock").asText())) {
        String type = h.path("kind").asText();
        String parent = "CREATE_PARENT".equals(type) ? null : h.path("parent").asText(null);
        applied.merge(new Key(type, code, parent, h.path("dock").asText()), 1, Integer::sum);
      }
    }));

    int twice = 0;
    Set<Key> keys = new TreeSet<>(java.util.Comparator.comparing(Key::toString));
    keys.addAll(acked.keySet());
    keys.addAll(applied.keySet());
    Map<Key, Integer> extras = new LinkedHashMap<>();
    for (Key key : keys) {
      int a = acked.getOrDefault(key, 0);
      int h = applied.getOrDefault(key, 0);
      if (h < a && !hadNothingToChange(key, bags)) {
        lost += a - h;
        differ("lostAcked: " + key + " acknowledged " + a + "x at the dock, applied " + h + "x at the hub, no conflict");
      } else if (h > a) {
        // first the lost answers guessed as exactly this op
        String pool = key.dock() + " " + key.type();
        int maybe = Math.min(h - a, Math.min(uncertain.getOrDefault(key, 0), uncertainAnyBag.getOrDefault(pool, 0)));
        uncertainAnyBag.merge(pool, -maybe, Integer::sum);
        extras.put(key, h - a - maybe);
      }
    }
    for (var e : extras.entrySet()) {
      // then any lost answer of the same dock and kind
      Key key = e.getKey();
      String pool = key.dock() + " " + key.type();
      int wild = Math.min(e.getValue(), uncertainAnyBag.getOrDefault(pool, 0));
      uncertainAnyBag.merge(pool, -wild, Integer::sum);
      int extra = e.getValue() - wild;
      if (extra > 0) {
        twice += extra;
        differ("appliedTwice: " + key + " applied " + applied.get(key) + "x at the hub, acknowledged "
            + acked.getOrDefault(key, 0) + "x at the dock");
      }
    }

    int over = 0;
    Map<String, List<String>> claimedBy = new HashMap<>();
    for (var e : bags.entrySet()) {
      JsonNode bag = e.getValue();
      if (!"PARENT".equals(bag.path("role").asText())) {
        continue;
      }
      List<String> children = new ArrayList<>();
      bag.path("children").forEach(c -> children.add(c.asText()));
      children.forEach(c -> claimedBy.computeIfAbsent(c, k -> new ArrayList<>()).add(e.getKey()));
      int count = bag.path("childCount").asInt();
      int limit = bag.path("limit").asInt();
      if (count != children.size()) {
        twice++;
        differ("appliedTwice: " + e.getKey() + " counts " + count + " children but holds " + children.size() + " " + children);
      }
      if (Math.max(count, children.size()) > limit) {
        over++;
        differ("overLimit: " + e.getKey() + " holds " + Math.max(count, children.size()) + " children, limit " + limit);
      }
    }
    for (var e : claimedBy.entrySet()) {
      JsonNode child = bags.get(e.getKey());
      String parent = child == null ? null : child.path("parent").asText(null);
      if (e.getValue().size() > 1 || !e.getValue().getFirst().equals(parent)) {
        over++;
        differ("overLimit: child " + e.getKey() + " is listed by " + e.getValue() + ", its own parent is " + parent);
      }
    }

    int diverged = 0;
    for (Dock dock : docks) {
      Set<String> mine = new TreeSet<>(dock.touched());
      Map<String, EdgeNode.ViewRow> view = dock.view(mine);
      int before = differences.size();
      for (String code : mine) {
        EdgeNode.ViewRow seen = view.get(code);
        JsonNode bag = bags.get(code);
        EdgeNode.ViewRow truth = bag == null ? null : new EdgeNode.ViewRow(
            bag.path("parent").isTextual() ? bag.get("parent").asText() : null,
            bag.path("childCount").asInt(), bag.path("finishedBy").isTextual());
        if (!Objects.equals(seen, truth)) {
          differ("diverged: " + dock.name() + " shows " + code + " as " + seen + ", the hub has " + truth);
        }
      }
      if (differences.size() > before) {
        diverged++;
      }
    }
    return new Findings(conflicts, lost, twice, over, diverged, List.copyOf(differences));
  }

  /** The op found its effect already in place at the hub, so it rightly left no history of its own. */
  private static boolean hadNothingToChange(Key key, Map<String, JsonNode> bags) {
    JsonNode bag = bags.get(key.bag());
    return switch (key.type()) {
      case "CREATE_PARENT" -> bag != null && "PARENT".equals(bag.path("role").asText());
      case "LINK" -> bag != null && anyOtherLink(bag, key);
      case "FINISH" -> bag != null && (bag.path("complete").asBoolean() || bag.path("finishedBy").isTextual());
      default -> false;
    };
  }

  private static boolean anyOtherLink(JsonNode child, Key key) {
    for (JsonNode h : child.path("history")) {
      if ("LINK".equals(h.path("kind").asText()) && key.parent().equals(h.path("parent").asText())
          && !key.dock().equals(h.path("dock").asText())) {
        return true;
      }
    }
    return false;
  }

  private void differ(String what) {
    differences.add(what);
  }
}
