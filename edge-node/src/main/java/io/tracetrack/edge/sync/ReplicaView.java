package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.ViewReplay;
import io.tracetrack.sync.Reconciler;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Keeps the station's view ({@code bag}) equal to the hub's state ({@code hub_bag}) with this
 * dock's pending ops replayed on top. Works on a set of dirty codes inside the caller's
 * transaction, never on the whole table at once, so sync never holds SQLite's one writer for long.
 */
final class ReplicaView {

  /** Above every bag code (codes are ASCII): the open end of a key range. */
  static final String LAST_CODE = "\uffff";

  /** Who a bag row first seen through the hub is shown as created by. */
  static final String HUB = "hub";

  private static final Logger LOG = Logger.getLogger(ReplicaView.class.getName());

  private final Reconciler reconciler;
  private final PendingOps pending;

  ReplicaView(Reconciler reconciler, PendingOps pending) {
    this.reconciler = reconciler;
    this.pending = pending;
  }

  /**
   * Rebases {@code dirty}: takes the closure (a pending op touching a dirty code makes every code
   * it touches dirty; a dirty child makes its parents, in the view and at the hub, dirty so their
   * counts are reset with it), resets those rows from the hub's state, then replays the pending ops
   * touching them in seq order. An op the Reconciler now refuses simply has no effect on the view.
   */
  void rebase(EdgeDatabase.Session session, Collection<String> dirty, long now) {
    if (dirty.isEmpty()) {
      return;
    }
    DSLContext dsl = session.dsl();
    long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    String edgeId = dsl.fetchSingle("select edge_id from edge_meta where id = 1").get(0, String.class);
    pending.refresh(dsl, replicaSeq);
    Set<Long> refused = new HashSet<>(dsl.fetch(
        "select op_seq from conflict where op_applied = 0 and edge_id = ? and op_seq > ?", edgeId, replicaSeq)
        .getValues(0, Long.class));
    Set<String> closure = new LinkedHashSet<>();
    Deque<String> work = new ArrayDeque<>();
    for (String code : dirty) {
      if (closure.add(code)) {
        work.add(code);
      }
    }
    TreeMap<Long, PendingOps.Pending> replay = new TreeMap<>();
    while (!work.isEmpty()) {
      String code = work.poll();
      for (String parent : parentsOf(dsl, code)) {
        if (closure.add(parent)) {
          work.add(parent);
        }
      }
      for (PendingOps.Pending p : pending.touching(code)) {
        if (refused.contains(p.seq()) || replay.putIfAbsent(p.seq(), p) != null) {
          continue;
        }
        for (String touched : p.codes()) {
          if (closure.add(touched)) {
            work.add(touched);
          }
        }
      }
    }
    for (String code : closure) {
      reset(dsl, code, now);
    }
    replay(session, replay.values());
  }

  /** Replays ops in order; one that fails to apply (a bug) is logged and skipped, never wedges sync. */
  private void replay(EdgeDatabase.Session session, Collection<PendingOps.Pending> ops) {
    ViewReplay view = new ViewReplay(session, reconciler);
    for (PendingOps.Pending p : ops) {
      session.dsl().execute("savepoint replay_op");
      try {
        view.replay(p.envelope(), p.createdAt());
        session.dsl().execute("release savepoint replay_op");
      } catch (RuntimeException e) {
        session.dsl().execute("rollback to savepoint replay_op");
        session.dsl().execute("release savepoint replay_op");
        LOG.log(Level.WARNING, "replaying op " + p.seq() + " onto the view failed; it stays pending", e);
        view = new ViewReplay(session, reconciler); // its remembered rows may be from the rolled-back part
      }
    }
  }

  private static List<String> parentsOf(DSLContext dsl, String code) {
    return dsl.fetch("select parent_code from bag where code = ? and parent_code is not null "
        + "union select parent_code from hub_bag where code = ? and parent_code is not null", code, code)
        .getValues(0, String.class);
  }

  /**
   * Sets one view row to the hub's state: deleted when the hub has no such bag (a pending op that
   * creates it recreates it on replay); the link's local record (when, by whom, where, its seq) is
   * kept while the parent is unchanged, so a station's undo still finds its last link.
   */
  static void reset(DSLContext dsl, String code, long now) {
    Record hub = dsl.fetchOne("select role, expected_count, limit_count, child_count, parent_code, finished, "
        + "on_finalized_bill from hub_bag where code = ?", code);
    if (hub == null) {
      dsl.execute("delete from bag where code = ?", code);
      return;
    }
    int changed = dsl.execute("update bag set role = ?, expected_count = ?, limit_count = ?, child_count = ?, "
            + "on_finalized_bill = ?, "
            + "finished_at = case when ? = 1 then coalesce(finished_at, ?) end, "
            + "finished_by = case when ? = 1 then coalesce(finished_by, ?) end, "
            + "linked_at = case when parent_code is ? then linked_at end, "
            + "linked_by = case when parent_code is ? then linked_by end, "
            + "linked_station = case when parent_code is ? then linked_station end, "
            + "link_seq = case when parent_code is ? then link_seq end, "
            + "parent_code = ? where code = ?",
        hub.get(0), hub.get(1), hub.get(2), hub.get(3), hub.get(6),
        hub.get(5), now, hub.get(5), HUB,
        hub.get(4), hub.get(4), hub.get(4), hub.get(4),
        hub.get(4), code);
    if (changed == 0) {
      dsl.execute("insert into bag (code, role, expected_count, limit_count, child_count, on_finalized_bill, "
              + "finished_at, finished_by, created_at, created_by, created_station, parent_code) "
              + "values (?, ?, ?, ?, ?, ?, case when ? = 1 then ? end, case when ? = 1 then ? end, ?, ?, ?, ?)",
          code, hub.get(0), hub.get(1), hub.get(2), hub.get(3), hub.get(6),
          hub.get(5), now, hub.get(5), HUB, now, HUB, HUB, hub.get(4));
    }
  }

  /**
   * Rebuilds the view for the key range ({@code after}, {@code upTo}] after a snapshot: set-based
   * reset of the range from {@code hub_bag}, then a rebase of the codes pending ops touch in it.
   */
  void rebuildRange(EdgeDatabase.Session session, String after, String upTo, long now) {
    DSLContext dsl = session.dsl();
    dsl.execute("delete from bag where code > ? and code <= ? "
        + "and not exists (select 1 from hub_bag h where h.code = bag.code)", after, upTo);
    dsl.execute("update bag set role = h.role, expected_count = h.expected_count, limit_count = h.limit_count, "
        + "child_count = h.child_count, on_finalized_bill = h.on_finalized_bill, "
        + "finished_at = case when h.finished = 1 then coalesce(bag.finished_at, ?) end, "
        + "finished_by = case when h.finished = 1 then coalesce(bag.finished_by, ?) end, "
        + "linked_at = case when bag.parent_code is h.parent_code then bag.linked_at end, "
        + "linked_by = case when bag.parent_code is h.parent_code then bag.linked_by end, "
        + "linked_station = case when bag.parent_code is h.parent_code then bag.linked_station end, "
        + "link_seq = case when bag.parent_code is h.parent_code then bag.link_seq end, "
        + "parent_code = h.parent_code "
        + "from hub_bag h where h.code = bag.code and bag.code > ? and bag.code <= ?", now, HUB, after, upTo);
    dsl.execute("insert into bag (code, role, expected_count, limit_count, child_count, on_finalized_bill, "
        + "finished_at, finished_by, created_at, created_by, created_station, parent_code) "
        + "select h.code, h.role, h.expected_count, h.limit_count, h.child_count, h.on_finalized_bill, "
        + "case when h.finished = 1 then ? end, case when h.finished = 1 then ? end, ?, ?, ?, h.parent_code "
        + "from hub_bag h where h.code > ? and h.code <= ? "
        + "and not exists (select 1 from bag b where b.code = h.code)", now, HUB, now, HUB, HUB, after, upTo);
    long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    pending.refresh(dsl, replicaSeq);
    rebase(session, pending.codesIn(after, upTo), now);
  }
}
