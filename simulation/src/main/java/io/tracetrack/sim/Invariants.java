package io.tracetrack.sim;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.InMemoryState;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.Reconciler;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The invariants of DESIGN.md, read from the real tables: the hub's {@code bag}, {@code app_user},
 * and each dock's {@code hub_bag} (replica), {@code bag} (view), {@code outbox}, {@code conflict}
 * and {@code local_user}. The view is checked against an independent replay: the replica's rows
 * loaded into the protocol's {@link InMemoryState}, then the dock's pending ops decided by the
 * shared {@link Reconciler} in seq order, never through the edge's own rebase code.
 */
final class Invariants {

  private static final OpCodec OPS = new OpCodec();
  private static final Reconciler RECONCILER = new Reconciler(CodeGrammar.defaults());
  private static final int SHOWN = 4;

  private Invariants() {}

  /** One bag's facts as both sides can state them: role, counts, parent, finished, on a finalized bill. */
  record Row(String role, Integer expected, int limit, int children, String parent, boolean finished, boolean billed) {
    @Override
    public String toString() {
      return role + " " + children + "/" + (expected == null ? "-" : expected) + "≤" + limit
          + (parent == null ? "" : " on " + parent) + (finished ? " finished" : "") + (billed ? " billed" : "");
    }
  }

  /** At the hub: one parent per child (the parent exists and is a parent), counts true, no parent over its limit. */
  static void hub(DSLContext hub, List<String> out) {
    Map<String, Row> bags = hubBags(hub);
    Map<String, Integer> counted = new TreeMap<>();
    bags.forEach((code, row) -> {
      if (row.parent() != null) {
        Row parent = bags.get(row.parent());
        if (parent == null || !"PARENT".equals(parent.role())) {
          out.add("hub: " + code + " is on " + row.parent() + ", which is not a parent");
        }
        counted.merge(row.parent(), 1, Integer::sum);
      }
    });
    bags.forEach((code, row) -> {
      if ("PARENT".equals(row.role())) {
        int n = counted.getOrDefault(code, 0);
        if (row.children() != n) {
          out.add("hub: " + code + " says " + row.children() + " children, " + n + " name it as parent");
        }
        if (n > row.limit()) {
          out.add("hub: " + code + " holds " + n + " children over its limit " + row.limit());
        }
      }
    });
  }

  static Map<String, Row> hubBags(DSLContext hub) {
    return bagRows(hub, "select code, role, expected_count, limit_count, child_count, parent_code,"
        + " case when finished_at is not null then 1 else 0 end, case when on_finalized_bill then 1 else 0 end from bag");
  }

  static Map<String, Row> replica(DSLContext edge) {
    return bagRows(edge, "select code, role, expected_count, limit_count, child_count, parent_code, finished,"
        + " on_finalized_bill from hub_bag");
  }

  static Map<String, Row> view(DSLContext edge) {
    return bagRows(edge, "select code, role, expected_count, limit_count, child_count, parent_code,"
        + " case when finished_at is not null then 1 else 0 end, on_finalized_bill from bag");
  }

  /**
   * Every bag {@code sql} selects (code, role, expected, limit, children, parent, finished as 0/1,
   * on a finalized bill as 0/1), read with JDBC: these run after every step of every seed, and
   * through jOOQ's plain-SQL path (metadata, records) they cost more than the database's work.
   */
  private static Map<String, Row> bagRows(DSLContext dsl, String sql) {
    return dsl.connectionResult(c -> {
      Map<String, Row> rows = new TreeMap<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
        while (r.next()) {
          int expected = r.getInt(3);
          Integer expectedOrNull = r.wasNull() ? null : expected;
          rows.put(r.getString(1), new Row(r.getString(2), expectedOrNull, r.getInt(4), r.getInt(5), r.getString(6),
              r.getInt(7) == 1, r.getInt(8) == 1));
        }
      }
      return rows;
    });
  }

  /**
   * The view equals the replica with this dock's pending ops replayed: the ops above
   * {@code replica_seq} that the hub did not refuse, in seq order ({@code quiescent}: the ops above
   * what the hub answered, which must then be none).
   */
  static void view(String dock, DSLContext edge, boolean quiescent, List<String> out) {
    Map<String, Row> replica = replica(edge);
    long floor = quiescent
        ? edge.fetchSingle("select acked_seq from edge_meta where id = 1").get(0, Long.class)
        : edge.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    String edgeId = edge.fetchSingle("select edge_id from edge_meta where id = 1").get(0, String.class);
    Set<Long> refused = new HashSet<>(edge.fetch("select op_seq from conflict where op_applied = 0 and edge_id = ?"
        + " and op_seq > ?", edgeId, floor).getValues(0, Long.class));
    List<OpEnvelope> pending = new ArrayList<>();
    for (Record r : edge.fetch("select seq, op_json from outbox where seq > ? order by seq", floor)) {
      if (!refused.contains(r.get(0, Long.class))) {
        pending.add(OPS.decode(r.get(1, String.class)));
      }
    }
    Map<String, Row> expected = replay(replica, pending);
    compare(dock + ": view vs replica" + (pending.isEmpty() ? "" : " + " + pending.size() + " pending ops"), expected,
        view(edge), out);
  }

  static Map<String, Row> replay(Map<String, Row> replica, List<OpEnvelope> ops) {
    InMemoryState state = new InMemoryState();
    Set<String> codes = new LinkedHashSet<>(replica.keySet());
    replica.forEach((code, row) -> state.apply(new Effect.CreateBag(code, BagRole.valueOf(row.role()), row.expected(), row.limit())));
    replica.forEach((code, row) -> {
      if (row.parent() != null && replica.containsKey(row.parent())) {
        state.apply(new Effect.AddLink(row.parent(), code));
      }
      if (row.finished()) {
        state.apply(new Effect.MarkFinished(code));
      }
      if (row.billed()) {
        state.finalizeParent(code);
      }
    });
    for (OpEnvelope op : ops) {
      if (RECONCILER.decide(op.op(), state) instanceof Decision.Accepted a) {
        state.apply(a.effects());
        for (Effect e : a.effects()) {
          if (e instanceof Effect.CreateBag c) {
            codes.add(c.code());
          }
        }
      }
    }
    Map<String, Row> rows = new TreeMap<>();
    for (String code : codes) {
      BagFacts b = state.bag(code).orElseThrow();
      rows.put(code, new Row(b.role().name(), b.expectedCount(), b.limit(), b.childCount(), b.parent(), b.finished(),
          b.onFinalizedBill()));
    }
    return rows;
  }

  /** The replica equals the hub's bags (every dock hears every bag). */
  static void replicaEqualsHub(String dock, Map<String, Row> hub, DSLContext edge, List<String> out) {
    compare(dock + ": replica vs hub", hub, replica(edge), out);
  }

  static void compare(String what, Map<String, Row> expected, Map<String, Row> actual, List<String> out) {
    if (expected.equals(actual)) {
      return;
    }
    Set<String> codes = new TreeSet<>(expected.keySet());
    codes.addAll(actual.keySet());
    List<String> diffs = new ArrayList<>();
    for (String code : codes) {
      Row e = expected.get(code);
      Row a = actual.get(code);
      if (!Objects.equals(e, a)) {
        diffs.add(code + " expected [" + (e == null ? "absent" : e) + "] is [" + (a == null ? "absent" : a) + "]");
      }
    }
    out.add(what + " differ at " + diffs.size() + " bags: "
        + String.join("; ", diffs.subList(0, Math.min(SHOWN, diffs.size()))) + (diffs.size() > SHOWN ? "; ..." : ""));
  }

  /**
   * The users a dock holds from the hub: every one it lets sign in is one the hub lets sign in at
   * that dock (active, and of its area or of none), and every active dispatcher of its area is there.
   */
  static void users(String dock, String area, DSLContext hub, DSLContext edge, List<String> out) {
    Set<String> allowed = new TreeSet<>();
    Set<String> areaDispatchers = new TreeSet<>();
    for (Record r : hub.fetch("select username, role, area_id from app_user where disabled = false and anonymised = false")) {
      String a = r.get(2, String.class);
      if (a == null || a.equals(area)) {
        allowed.add(r.get(0, String.class));
        if ("DISPATCHER".equals(r.get(1, String.class))) {
          areaDispatchers.add(r.get(0, String.class));
        }
      }
    }
    Set<String> active = new TreeSet<>(edge.fetch("select name from local_user where source = 'HUB' and disabled = 0")
        .getValues(0, String.class));
    Set<String> extra = new TreeSet<>(active);
    extra.removeAll(allowed);
    if (!extra.isEmpty()) {
      out.add(dock + " (" + area + "): " + extra + " can sign in here, but the hub does not allow them at this dock");
    }
    Set<String> missing = new TreeSet<>(areaDispatchers);
    missing.removeAll(active);
    if (!missing.isEmpty()) {
      out.add(dock + " (" + area + "): dispatchers of its area " + missing + " cannot sign in here");
    }
  }
}
