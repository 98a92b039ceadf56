package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.QueryCache;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.web.Store;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.QueryPart;
import org.jooq.impl.DSL;

/**
 * Applies one hub change to the replica ({@code hub_bag}, HUB users, this dock's conflicts) and
 * names the bags whose view must be rebased. Each write is guarded by the state it expects, so a
 * change met twice (a snapshot overlapping the log) does not count twice.
 */
@Store
final class Replica {

  private Replica() {}

  static void apply(EdgeDatabase.Session session, Change change, ChangeEntry entry, String edgeId, Set<String> dirty) {
    DSLContext dsl = session.dsl();
    QueryCache q = session.queries();
    long now = entry.at().toEpochMilli();
    switch (change) {
      case Change.Bag b -> {
        // create-if-absent; only the area is taken from a later word (null: the hub did not say)
        prepared(q, "replica.bag", "insert into hub_bag (code, role, expected_count, limit_count, area) "
                + "values ({0}, {1}, {2}, {3}, {4}) on conflict (code) do update set area = excluded.area "
                + "where excluded.area is not null", "code", "role", "expected", "limit", "area")
            .set("code", b.code()).set("role", b.role()).set("expected", b.expectedCount())
            .set("limit", b.limit() == null ? 0 : b.limit()).set("area", b.area()).execute();
        dirty.add(b.code());
      }
      case Change.Link l -> {
        link(q, l.parent(), l.child());
        dirty.add(l.parent());
        dirty.add(l.child());
      }
      case Change.Unlink u -> {
        if (prepared(q, "replica.unlink", "update hub_bag set parent_code = null where code = {0} and parent_code = {1}",
            "child", "parent").set("child", u.child()).set("parent", u.parent()).execute() == 1) {
          // as the Reconciler does: taking a child off a finished parent opens it again
          prepared(q, "replica.uncount", "update hub_bag set child_count = max(child_count - 1, 0), finished = 0 "
              + "where code = {0}", "code").set("code", u.parent()).execute();
        }
        dirty.add(u.parent());
        dirty.add(u.child());
      }
      case Change.Finish f -> {
        prepared(q, "replica.finish", "update hub_bag set finished = 1 where code = {0}", "code").set("code", f.parent()).execute();
        dirty.add(f.parent());
      }
      case Change.BillFinalized b -> frozen(q, b.parents(), true, dirty);
      case Change.BillReopened b -> frozen(q, b.parents(), false, dirty);
      // a parent joining or leaving an open bill changes nothing a dock decides on
      case Change.BillParentAdded b -> { }
      case Change.BillParentRemoved b -> { }
      // a hub-only entry: no dock hears it, and a dock's own receipts are in its receipt table
      case Change.BillReceived b -> { }
      case Change.User u -> {
        if (SqliteSyncStore.upsertUser(dsl, u, now)) {
          dsl.execute("update edge_meta set users_from_hub = 1 where id = 1");
        }
      }
      case Change.ConflictOpened c -> {
        upsertConflict(dsl, c, entry.payload(), null);
        // the op drops out of the view when refused (also when its push reply never arrived), and a
        // view that kept an op the hub let stand differently (another expected count) takes the hub's
        if (edgeId.equals(c.edgeId())) {
          if (c.parent() != null) {
            dirty.add(c.parent());
          }
          if (c.child() != null) {
            dirty.add(c.child());
          }
        }
      }
      // an outcome heard of for the first time shows at the station again, even if someone here
      // acknowledged the refusal already: how it ended is news (a replay changes nothing)
      case Change.ConflictResolved r -> dsl.execute("update conflict set resolution = ?, resolved_by = ?, resolved_at = ?, "
          + "acknowledged_at = case when resolution is null then null else acknowledged_at end, "
          + "acknowledged_by = case when resolution is null then null else acknowledged_by end where id = ?",
          r.action(), r.by(), SqliteSyncStore.epochMillis(r.at()), r.id());
    }
  }

  /**
   * A statement of the replica's hot path, rendered and prepared once per connection: the
   * placeholders {@code {0}, {1}, ...} appear in order, once each, and take {@code names}.
   */
  private static QueryCache.Prepared prepared(QueryCache q, String key, String sql, String... names) {
    return q.statement(key, d -> {
      QueryPart[] params = new QueryPart[names.length];
      for (int i = 0; i < names.length; i++) {
        params[i] = DSL.param(names[i], Object.class);
      }
      return d.query(sql, params);
    });
  }

  private static void link(QueryCache q, String parent, String child) {
    Optional<Optional<String>> row = prepared(q, "replica.parentOf", "select parent_code from hub_bag where code = {0}", "code")
        .set("code", child).fetchOne(r -> Optional.ofNullable(r.getString(1)));
    if (row.isEmpty()) {
      prepared(q, "replica.child", "insert into hub_bag (code, role, limit_count) values ({0}, 'CHILD', 0)", "code")
          .set("code", child).execute();
    } else {
      String was = row.get().orElse(null);
      if (parent.equals(was)) {
        return;
      }
      if (was != null) {
        prepared(q, "replica.countDown", "update hub_bag set child_count = max(child_count - 1, 0) where code = {0}", "code")
            .set("code", was).execute();
      }
    }
    prepared(q, "replica.setParent", "update hub_bag set parent_code = {0} where code = {1}", "parent", "code")
        .set("parent", parent).set("code", child).execute();
    prepared(q, "replica.countUp", "update hub_bag set child_count = child_count + 1 where code = {0}", "code")
        .set("code", parent).execute();
  }

  private static void frozen(QueryCache q, Iterable<String> parents, boolean finalized, Set<String> dirty) {
    for (String parent : parents) {
      prepared(q, "replica.frozen", "update hub_bag set on_finalized_bill = {0} where code = {1}", "finalized", "code")
          .set("finalized", finalized ? 1 : 0).set("code", parent).execute();
      dirty.add(parent);
    }
  }

  /**
   * Inserts or overwrites a conflict with the hub's record, keeping what only the dock knows
   * (who acknowledged it, when) and a resolution already heard of.
   */
  static void upsertConflict(DSLContext dsl, Change.ConflictOpened c, String json, String resolution) {
    dsl.execute("insert into conflict (id, edge_id, op_seq, code, message, op_type, parent, child, other_parent, "
            + "other_dock, actor, station, hub_at, op_applied, resolution, conflict_json) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do update set "
            + "edge_id = excluded.edge_id, op_seq = excluded.op_seq, code = excluded.code, message = excluded.message, "
            + "op_type = excluded.op_type, parent = excluded.parent, child = excluded.child, "
            + "other_parent = excluded.other_parent, other_dock = excluded.other_dock, actor = excluded.actor, "
            + "station = excluded.station, hub_at = excluded.hub_at, op_applied = excluded.op_applied, "
            + "resolution = coalesce(excluded.resolution, conflict.resolution), conflict_json = excluded.conflict_json",
        c.id(), c.edgeId(), c.seq(), c.code(), c.message(), c.opType(), c.parent(), c.child(), c.otherParent(),
        c.otherDock(), c.actor(), c.station(), SqliteSyncStore.epochMillis(c.hubAt()), c.applied() ? 1 : 0,
        resolution, json);
    // the dock's own placeholder for the same op (kept under the negated seq when the reply had no id)
    // goes; someone at the dock may have acknowledged it already, and that must still reach the hub
    dsl.execute("update conflict set acknowledged_at = p.acknowledged_at, acknowledged_by = p.acknowledged_by "
        + "from conflict p where p.id = ? and p.edge_id = ? and p.acknowledged_at is not null "
        + "and conflict.id = ? and conflict.acknowledged_at is null", -c.seq(), c.edgeId(), c.id());
    dsl.execute("delete from conflict where id = ? and edge_id = ?", -c.seq(), c.edgeId());
  }
}
