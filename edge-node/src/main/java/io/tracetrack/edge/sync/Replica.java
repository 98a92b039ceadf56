package io.tracetrack.edge.sync;

import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Applies one hub change to the replica ({@code hub_bag}, HUB users, this dock's conflicts) and
 * names the bags whose view must be rebased. Each write is guarded by the state it expects, so a
 * change met twice (a snapshot overlapping the log) does not count twice.
 */
final class Replica {

  private Replica() {}

  static void apply(DSLContext dsl, Change change, ChangeEntry entry, String edgeId, Set<String> dirty) {
    long now = entry.at().toEpochMilli();
    switch (change) {
      case Change.Bag b -> {
        dsl.execute("insert into hub_bag (code, role, expected_count, limit_count) values (?, ?, ?, ?) "
            + "on conflict (code) do nothing", b.code(), b.role(), b.expectedCount(), b.limit() == null ? 0 : b.limit());
        dirty.add(b.code());
      }
      case Change.Link l -> {
        link(dsl, l.parent(), l.child());
        dirty.add(l.parent());
        dirty.add(l.child());
      }
      case Change.Unlink u -> {
        if (dsl.execute("update hub_bag set parent_code = null where code = ? and parent_code = ?", u.child(), u.parent()) == 1) {
          // as the Reconciler does: taking a child off a finished parent opens it again
          dsl.execute("update hub_bag set child_count = max(child_count - 1, 0), finished = 0 where code = ?", u.parent());
        }
        dirty.add(u.parent());
        dirty.add(u.child());
      }
      case Change.Finish f -> {
        dsl.execute("update hub_bag set finished = 1 where code = ?", f.parent());
        dirty.add(f.parent());
      }
      case Change.BillFinalized b -> frozen(dsl, b.parents(), true, dirty);
      case Change.BillReopened b -> frozen(dsl, b.parents(), false, dirty);
      // a parent joining or leaving an open bill changes nothing a dock decides on
      case Change.BillParentAdded b -> { }
      case Change.BillParentRemoved b -> { }
      case Change.User u -> {
        if (SqliteSyncStore.upsertUser(dsl, u, now)) {
          dsl.execute("update edge_meta set users_from_hub = 1 where id = 1");
        }
      }
      case Change.ConflictOpened c -> {
        upsertConflict(dsl, c, entry.payload(), null);
        if (!c.applied() && edgeId.equals(c.edgeId())) {
          // the refused op drops out of the view, also when its push reply never arrived
          if (c.parent() != null) {
            dirty.add(c.parent());
          }
          if (c.child() != null) {
            dirty.add(c.child());
          }
        }
      }
      case Change.ConflictResolved r -> dsl.execute("update conflict set resolution = ? where id = ?", r.action(), r.id());
    }
  }

  private static void link(DSLContext dsl, String parent, String child) {
    Record row = dsl.fetchOne("select parent_code from hub_bag where code = ?", child);
    if (row == null) {
      dsl.execute("insert into hub_bag (code, role, limit_count) values (?, 'CHILD', 0)", child);
    } else {
      String was = row.get(0, String.class);
      if (parent.equals(was)) {
        return;
      }
      if (was != null) {
        dsl.execute("update hub_bag set child_count = max(child_count - 1, 0) where code = ?", was);
      }
    }
    dsl.execute("update hub_bag set parent_code = ? where code = ?", parent, child);
    dsl.execute("update hub_bag set child_count = child_count + 1 where code = ?", parent);
  }

  private static void frozen(DSLContext dsl, Iterable<String> parents, boolean finalized, Set<String> dirty) {
    for (String parent : parents) {
      dsl.execute("update hub_bag set on_finalized_bill = ? where code = ?", finalized ? 1 : 0, parent);
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
    dsl.execute("delete from conflict where id = ? and edge_id = ?", -c.seq(), c.edgeId());
  }
}
