package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.QueryCache;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Loads one snapshot. Bag rows go into {@code hub_bag_next} in transactions of
 * {@link SqliteSyncStore#SNAPSHOT_CHUNK} rows; users and conflicts (a dock's worth, small) are kept
 * in memory. Nothing the station or the pull relies on changes until {@link #finish} has seen the
 * End line: then one short transaction swaps {@code hub_bag_next} in (a rename, whatever the size),
 * replaces the HUB users and the conflicts, and moves the cursor; after it the view is rebuilt
 * range by range, {@link SqliteSyncStore#REBUILD_CHUNK} rows a transaction.
 *
 * <p>The trade-off of the chunked rebuild: between two chunks, a parent rebuilt and a child of it
 * not yet rebuilt (or the other way round) may disagree about a link for a moment (the parent's
 * count is the hub's, the child's link still the old view's), and a scan decided in that moment
 * sees that mix. One transaction over 1.8 million rows would instead stall every scan for seconds.
 * The Reconciler keeps each row within its rules either way, the hub decides every op again, and
 * the rebuild's progress is stored, so a restart goes on from where it stopped.
 */
final class SnapshotLoad implements SyncStore.SnapshotLoader {

  private final SqliteSyncStore store;
  private final List<SnapshotLine.BagRow> bags = new ArrayList<>();
  private final List<Change.User> users = new ArrayList<>();
  private final List<SnapshotLine.ConflictRow> conflicts = new ArrayList<>();
  private final WireCodec wire = new WireCodec();
  private SnapshotLine.Begin begin;
  private SnapshotLine.End end;
  private long loaded;

  SnapshotLoad(SqliteSyncStore store) {
    this.store = store;
  }

  @Override
  public void accept(SnapshotLine line) {
    if (end != null) {
      throw new IllegalStateException("a snapshot line after its End line");
    }
    if (begin == null && !(line instanceof SnapshotLine.Begin)) {
      throw new IllegalStateException("a snapshot must start with its Begin line");
    }
    switch (line) {
      case SnapshotLine.Begin b -> {
        if (begin != null) {
          throw new IllegalStateException("a second Begin line");
        }
        begin = b;
        clearNext();
      }
      case SnapshotLine.BagRow b -> {
        bags.add(b);
        loaded++;
        if (bags.size() >= SqliteSyncStore.SNAPSHOT_CHUNK) {
          flush();
        }
      }
      case SnapshotLine.UserRow u -> {
        users.add(u.user());
        loaded++;
      }
      case SnapshotLine.ConflictRow c -> {
        conflicts.add(c);
        loaded++;
      }
      case SnapshotLine.End e -> {
        if (e.cursor() != begin.cursor() || e.lines() != loaded) {
          throw new IllegalStateException("snapshot End says cursor " + e.cursor() + " and " + e.lines()
              + " lines; Begin said cursor " + begin.cursor() + " and " + loaded + " lines came");
        }
        end = e;
      }
    }
  }

  /** Empties the staging table in chunks: a load that stopped short may have left many rows. */
  private void clearNext() {
    while (store.db().write(dsl -> dsl.execute("delete from hub_bag_next where code in "
        + "(select code from hub_bag_next limit ?)", SqliteSyncStore.SNAPSHOT_CHUNK)) > 0) {
      // next chunk
    }
  }

  private void flush() {
    if (bags.isEmpty()) {
      return;
    }
    List<SnapshotLine.BagRow> chunk = List.copyOf(bags);
    bags.clear();
    long t0 = System.nanoTime();
    store.db().writeSession(session -> {
      // prepared once per connection and re-bound per row: rendering the SQL per row cost more than the insert
      QueryCache.Prepared insert = session.queries().statement("snapshot.bag", d -> d.query(
          "insert or replace into hub_bag_next (code, role, expected_count, limit_count, child_count, parent_code, "
              + "finished, on_finalized_bill) values ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})",
          DSL.param("code", Object.class), DSL.param("role", Object.class), DSL.param("expected", Object.class),
          DSL.param("limit", Object.class), DSL.param("children", Object.class), DSL.param("parent", Object.class),
          DSL.param("finished", Object.class), DSL.param("frozen", Object.class)));
      for (SnapshotLine.BagRow b : chunk) {
        insert.set("code", b.code()).set("role", b.role()).set("expected", b.expectedCount()).set("limit", b.limit())
            .set("children", b.childCount()).set("parent", b.parent()).set("finished", b.finished() ? 1 : 0)
            .set("frozen", b.onFinalizedBill() ? 1 : 0).execute();
      }
      return null;
    });
    store.timings().accept("snapshot.chunk", System.nanoTime() - t0);
  }

  @Override
  public SyncStore.Progress progress() {
    return new SyncStore.Progress(loaded, begin == null ? 0 : begin.bags() + begin.users() + begin.conflicts());
  }

  @Override
  public void finish() {
    if (end == null) {
      throw new IllegalStateException("the snapshot stopped short (" + loaded + " of " + progress().total()
          + " lines, no End line): the replica in force is unchanged");
    }
    flush();
    long now = store.clock().millis();
    store.db().write(dsl -> {
      // a rename is a change of the schema's text, not of the rows: short whatever the size
      dsl.execute("alter table hub_bag rename to hub_bag_old");
      dsl.execute("alter table hub_bag_next rename to hub_bag");
      dsl.execute("alter table hub_bag_old rename to hub_bag_next");
      replaceUsers(dsl, now);
      replaceConflicts(dsl);
      // the snapshot holds every op the hub had answered when it was read; one answered later
      // reaches hub_bag by the pull (a moment out of the view, not lost)
      dsl.execute("update sync_state set pull_cursor = ?, snapshot_required = 0, rebuild_from = '', last_sync_at = ?, "
          + "replica_seq = (select acked_seq from edge_meta where id = 1) where id = 1", end.cursor(), now);
      return null;
    });
    store.pending().clear();
    store.resumeRebuild();
    clearNext();
  }

  private void replaceUsers(DSLContext dsl, long now) {
    // HUB users the hub no longer sends go; the others are overwritten in place (their lockout stays)
    List<String> names = users.stream().map(u -> io.tracetrack.model.UserNames.normalize(u.username()).orElse(""))
        .toList();
    dsl.deleteFrom(org.jooq.impl.DSL.table("local_user"))
        .where(org.jooq.impl.DSL.field("source").eq("HUB"))
        .and(org.jooq.impl.DSL.field("name", String.class).notIn(names))
        .execute();
    boolean any = false;
    for (Change.User u : users) {
      any |= SqliteSyncStore.upsertUser(dsl, u, now);
    }
    if (any) {
      dsl.execute("update edge_meta set users_from_hub = 1 where id = 1");
    }
  }

  private void replaceConflicts(DSLContext dsl) {
    List<Long> ids = conflicts.stream().map(c -> c.conflict().id()).toList();
    // the dock's own placeholders (negative ids) wait for the hub's record; the hub's own go if the hub dropped them
    dsl.execute("delete from conflict where id > 0 and id not in (" + String.join(",", ids.stream().map(String::valueOf).toList())
        + (ids.isEmpty() ? "-1" : "") + ")");
    for (SnapshotLine.ConflictRow c : conflicts) {
      Replica.upsertConflict(dsl, c.conflict(), wire.payload(c.conflict()), "OPEN".equals(c.status()) ? null : c.status());
    }
  }

  @Override
  public void close() {
    bags.clear();
    users.clear();
    conflicts.clear();
  }
}
