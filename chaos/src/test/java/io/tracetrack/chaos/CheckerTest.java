package io.tracetrack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks bite: each invariant, broken on purpose in a hand-made hub and dock, is counted; a clean fleet is not. */
class CheckerTest {

  /** A hub as its API answers, built by hand. */
  static final class FakeHub implements Checker.Hub {
    final Map<String, ObjectNode> bags = new HashMap<>();
    final List<JsonNode> conflicts = new ArrayList<>();
    final Map<String, JsonNode> docks = new HashMap<>();

    ObjectNode parent(String code, int limit, String... children) {
      ObjectNode bag = Http.JSON.createObjectNode().put("code", code).put("role", "PARENT").put("limit", limit)
          .put("childCount", children.length);
      bag.putNull("parent");
      bag.putNull("finishedBy");
      ArrayNode list = bag.putArray("children");
      for (String c : children) {
        list.add(c);
        child(c, code);
      }
      bag.putArray("history");
      bags.put(code, bag);
      return bag;
    }

    ObjectNode child(String code, String parent) {
      ObjectNode bag = bags.computeIfAbsent(code, c -> {
        ObjectNode b = Http.JSON.createObjectNode().put("code", c).put("role", "CHILD").put("limit", 0).put("childCount", 0);
        b.putNull("finishedBy");
        b.putArray("history");
        return b;
      });
      bag.put("parent", parent);
      return bag;
    }

    void history(String bag, String kind, String parent, String dock) {
      ObjectNode h = ((ArrayNode) bags.get(bag).get("history")).addObject().put("kind", kind).put("bag", bag)
          .put("dock", dock).put("source", "EDGE");
      if (parent == null) {
        h.putNull("parent");
      } else {
        h.put("parent", parent);
      }
    }

    void lastSeq(String dock, long seq) {
      docks.put(dock, Http.JSON.createObjectNode().put("name", dock).put("lastSeq", seq));
    }

    void conflict(String edgeId, long seq) {
      conflicts.add(Http.JSON.createObjectNode().put("edgeId", edgeId).put("seq", seq));
    }

    @Override
    public List<JsonNode> conflicts() {
      return conflicts;
    }

    @Override
    public Map<String, JsonNode> docks() {
      return docks;
    }

    @Override
    public JsonNode bag(String code) {
      return bags.get(code);
    }
  }

  /** A dock's ledger and station view, built by hand. */
  record FakeDock(String name, String edgeId, Set<String> touched, List<DockDriver.Op> ops,
      Map<String, EdgeNode.ViewRow> rows) implements Checker.Dock {
    FakeDock(String name) {
      this(name, "edge-" + name, new LinkedHashSet<>(), new ArrayList<>(), new HashMap<>());
    }

    FakeDock acked(long seq, String type, String bag, String parent) {
      ops.add(new DockDriver.Op(name, type, bag, parent, seq, true));
      touched.add(bag);
      return this;
    }

    FakeDock lostAnswer(String type, String bag, String parent) {
      ops.add(new DockDriver.Op(name, type, bag, parent, null, false));
      return this;
    }

    FakeDock shows(String code, String parent, int count) {
      rows.put(code, new EdgeNode.ViewRow(parent, count, false));
      return this;
    }

    @Override
    public Map<String, EdgeNode.ViewRow> view(Collection<String> codes) {
      Map<String, EdgeNode.ViewRow> out = new HashMap<>(rows);
      out.keySet().retainAll(codes);
      return out;
    }
  }

  /** DOCK-A made P1-2 and linked C1 into it; the hub has both, and the dock shows what the hub has. */
  private static FakeHub hub() {
    FakeHub hub = new FakeHub();
    hub.parent("P1-2", 2, "C1");
    hub.history("P1-2", "CREATE_PARENT", null, "DOCK-A");
    hub.history("C1", "LINK", "P1-2", "DOCK-A");
    hub.lastSeq("DOCK-A", 2);
    hub.lastSeq("DOCK-B", 0);
    return hub;
  }

  private static FakeDock dockA() {
    return new FakeDock("DOCK-A").acked(1, "CREATE_PARENT", "P1-2", null).acked(2, "LINK", "C1", "P1-2")
        .shows("P1-2", null, 1).shows("C1", "P1-2", 0);
  }

  private static Checker.Findings check(FakeHub hub, FakeDock... docks) throws Exception {
    return new Checker(hub, List.of(docks)).check();
  }

  @Test
  void aFleetThatAgrees_countsNothing() throws Exception {
    Checker.Findings f = check(hub(), dockA());
    assertThat(f.differences()).isEmpty();
  }

  @Test
  void anAcknowledgedLinkTheHubNeverApplied_isLost_andTheDockThatShowsItDiverged() throws Exception {
    FakeHub hub = hub();
    hub.parent("P1-2", 2);
    hub.history("P1-2", "CREATE_PARENT", null, "DOCK-A");
    hub.bags.remove("C1");
    Checker.Findings f = check(hub, dockA());
    assertThat(f.lostAcked()).isEqualTo(1);
    assertThat(f.diverged()).isEqualTo(1);
  }

  @Test
  void anOpPastTheHubsLastSeq_isLost_butARecordedConflictIsNot() throws Exception {
    FakeHub hub = hub();
    FakeDock a = dockA().acked(3, "LINK", "C2", "P1-2");
    hub.lastSeq("DOCK-A", 2);
    assertThat(check(hub, a).lostAcked()).isEqualTo(1);
    hub.conflict("edge-DOCK-A", 3);
    Checker.Findings f = check(hub, a);
    assertThat(f.lostAcked()).isZero();
    assertThat(f.conflicts()).isEqualTo(1);
  }

  @Test
  void aLinkAppliedTwice_isCounted_unlessAScanWhoseAnswerWasLostExplainsIt() throws Exception {
    FakeHub hub = hub();
    hub.history("C1", "LINK", "P1-2", "DOCK-A");
    assertThat(check(hub, dockA()).appliedTwice()).isEqualTo(1);
    assertThat(check(hub, dockA().lostAnswer("LINK", "C1", "P1-2")).appliedTwice()).isZero();
  }

  @Test
  void aParentOverItsLimit_orACountThatDiffersFromItsChildren_isCounted() throws Exception {
    FakeHub hub = hub();
    hub.parent("P1-2", 2, "C1", "C7", "C8");
    hub.history("P1-2", "CREATE_PARENT", null, "DOCK-A");
    Checker.Findings f = check(hub, dockA());
    assertThat(f.overLimit()).isEqualTo(1);
    hub.bags.get("P1-2").put("childCount", 2);
    assertThat(check(hub, dockA()).appliedTwice()).isEqualTo(1);
  }

  @Test
  void theSameLinkAtTwoDocks_isNotLost_whenTheHubAppliedItOnceForTheFirst() throws Exception {
    FakeHub hub = hub();
    hub.lastSeq("DOCK-B", 1);
    FakeDock b = new FakeDock("DOCK-B").acked(1, "LINK", "C1", "P1-2").shows("C1", "P1-2", 0);
    Checker.Findings f = check(hub, dockA(), b);
    assertThat(f.differences()).isEmpty();
  }

  @Test
  void aDockShowingAChildOnAParentTheHubFreedItFrom_diverged() throws Exception {
    FakeHub hub = hub();
    hub.parent("P1-2", 2);
    hub.history("P1-2", "CREATE_PARENT", null, "DOCK-A");
    hub.child("C1", null);
    hub.history("C1", "LINK", "P1-2", "DOCK-A");
    hub.history("C1", "UNLINK", "P1-2", "DOCK-B");
    Checker.Findings f = check(hub, dockA());
    assertThat(f.diverged()).isEqualTo(1);
    assertThat(f.lostAcked()).isZero();
  }
}
