package io.tracetrack.edge.sync;

import static io.tracetrack.edge.db.jooq.Tables.BAG;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.QueryCache;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import io.tracetrack.web.Store;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.QueryPart;
import org.jooq.impl.DSL;

/**
 * Loads one snapshot. Bag rows are buffered {@link SqliteSyncStore#SNAPSHOT_CHUNK} at a time and
 * written by multi-row INSERTs ({@link #ROWS_PER_STATEMENT} rows each) in transactions of at most
 * {@link SqliteSyncStore#STEP_BUDGET_NANOS}; users and conflicts (a dock's worth, small) are kept
 * in memory.
 *
 * <p>A <em>fresh</em> dock (nothing in {@code hub_bag} or {@code bag}, nothing pending, no rebuild
 * under way: its first sync) has no replica in force to keep, so its rows go straight into both
 * {@code hub_bag} and {@code bag} in the same transactions, and there is no swap and no rebuild
 * pass: about half the writes. A scan made meanwhile is an op pending on top of whatever of the
 * view had arrived; {@link #finish} rebases the codes of such ops. A fresh load that stops short
 * leaves a partial replica with {@code snapshot_required} still set: the next snapshot finds the
 * dock no longer fresh and takes the staged path below, whose swap and rebuild set every row right.
 *
 * <p>Otherwise (the staged path) rows go into {@code hub_bag_next}. Nothing the station or the pull relies on changes until {@link #finish} has seen the
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
 *
 * <p>A store: a bulk loader that writes the rows it is handed. Whether the stream of lines is whole
 * and in order is {@link SnapshotStream}'s to check, before anything is put in force here.
 */
@Store
final class SnapshotLoad {

  private final SqliteSyncStore store;
  private final List<SnapshotLine.BagRow> bags = new ArrayList<>();
  private final List<Change.User> users = new ArrayList<>();
  private final List<SnapshotLine.ConflictRow> conflicts = new ArrayList<>();
  private final WireCodec wire = new WireCodec();
  /**
   * Bag rows per INSERT statement: one statement of 250 rows costs about what 10 single-row ones
   * do (measured), and 250 x 10 values stays far below SQLite's limit on bound values.
   */
  static final int ROWS_PER_STATEMENT = 250;

  /** Whether this load goes straight into hub_bag and bag (found at Begin). */
  private boolean fresh;

  SnapshotLoad(SqliteSyncStore store) {
    this.store = store;
  }

  /** The Begin line came: empties the staging table and decides whether this load is fresh. */
  void begin() {
    clearNext();
    fresh = isFresh();
  }

  /** A bag row: buffered, and written once {@link SqliteSyncStore#SNAPSHOT_CHUNK} are buffered. */
  void bag(SnapshotLine.BagRow b) {
    bags.add(b);
    if (bags.size() >= SqliteSyncStore.SNAPSHOT_CHUNK) {
      flush();
    }
  }

  void user(Change.User u) {
    users.add(u);
  }

  void conflict(SnapshotLine.ConflictRow c) {
    conflicts.add(c);
  }

  /** Empties the staging table in chunks: a load that stopped short may have left many rows. */
  private void clearNext() {
    while (store.db().writeReplayable(session -> session.dsl().execute("delete from hub_bag_next where code in "
        + "(select code from hub_bag_next limit ?)", SqliteSyncStore.SNAPSHOT_CHUNK)) > 0) {
      // next chunk
    }
  }

  /** A dock with no replica, no view and nothing pending: nothing to keep in force while loading. */
  private boolean isFresh() {
    return store.db().read(dsl -> dsl.fetchSingle("select not exists (select 1 from hub_bag) and not exists "
        + "(select 1 from bag) and not exists (select 1 from outbox where seq > (select acked_seq from edge_meta "
        + "where id = 1)) and (select rebuild_from is null and pull_cursor = 0 from sync_state where id = 1)")
        .get(0, Integer.class) == 1);
  }

  private void flush() {
    if (bags.isEmpty()) {
      return;
    }
    List<SnapshotLine.BagRow> chunk = List.copyOf(bags);
    bags.clear();
    long now = store.clock().millis();
    int from = 0;
    while (from < chunk.size()) {
      int start = from;
      long[] locked = new long[1];
      from = store.db().writeReplayable(session -> {
        locked[0] = System.nanoTime();
        return writeRows(session, chunk, start, now, locked[0]);
      });
      // the time this transaction held the writer, to after its commit
      store.timings().accept("snapshot.chunk", System.nanoTime() - locked[0]);
    }
  }

  /**
   * Writes rows from {@code from} in statements of {@link #ROWS_PER_STATEMENT} rows until the time
   * budget is used (at least one statement); returns the index after the last row written.
   */
  private int writeRows(EdgeDatabase.Session session, List<SnapshotLine.BagRow> chunk, int from, long now, long t0) {
    long budget = store.stepBudgetNanos();
    int i = from;
    do {
      int n = Math.min(ROWS_PER_STATEMENT, chunk.size() - i);
      List<SnapshotLine.BagRow> rows = chunk.subList(i, i + n);
      // a short remainder goes row by row rather than preparing a statement of its own length
      int per = n == ROWS_PER_STATEMENT ? n : 1;
      for (int r = 0; r < n; r += per) {
        List<SnapshotLine.BagRow> part = rows.subList(r, r + per);
        bind(replicaInsert(session, per), part, 9, (b, k) -> replicaValue(b, k)).execute();
        if (fresh) {
          bind(viewInsert(session, per), part, 10, (b, k) -> viewValue(b, k, now)).execute();
        }
      }
      i += n;
    } while (i < chunk.size() && System.nanoTime() - t0 < budget);
    return i;
  }

  /** One value of a row, by its column's index. */
  @FunctionalInterface
  private interface Column {
    Object value(SnapshotLine.BagRow row, int column);
  }

  private static QueryCache.Prepared bind(QueryCache.Prepared insert, List<SnapshotLine.BagRow> rows, int columns,
      Column column) {
    int position = 1;
    for (SnapshotLine.BagRow b : rows) {
      for (int k = 0; k < columns; k++) {
        insert.set(position++, column.value(b, k));
      }
    }
    return insert;
  }

  private static Object replicaValue(SnapshotLine.BagRow b, int column) {
    return switch (column) {
      case 0 -> b.code();
      case 1 -> b.role();
      case 2 -> b.expectedCount();
      case 3 -> b.limit();
      case 4 -> b.childCount();
      case 5 -> b.parent();
      case 6 -> b.finished() ? 1 : 0;
      case 7 -> b.onFinalizedBill() ? 1 : 0;
      default -> b.area();
    };
  }

  private static Object viewValue(SnapshotLine.BagRow b, int column, long now) {
    return switch (column) {
      case 0 -> b.code();
      case 1 -> b.role();
      case 2 -> b.expectedCount();
      case 3 -> b.limit();
      case 4 -> b.childCount();
      case 5 -> b.onFinalizedBill() ? 1 : 0;
      case 6 -> b.finished() ? now : null;
      case 7 -> b.finished() ? ReplicaView.HUB : null;
      case 8 -> now;
      default -> b.parent();
    };
  }

  /** The replica's INSERT of {@code rows} rows: into hub_bag on a fresh dock, else into the staging table. */
  private QueryCache.Prepared replicaInsert(EdgeDatabase.Session session, int rows) {
    String table = fresh ? "hub_bag" : "hub_bag_next";
    // prepared once per connection and re-bound: rendering the SQL per row cost more than the insert
    return session.queries().statement("snapshot." + table + "." + rows, d -> d.query(
        "insert or replace into " + table + " (code, role, expected_count, limit_count, child_count, parent_code, "
            + "finished, on_finalized_bill, area) values " + placeholders(rows, 9), params(rows * 9)));
  }

  /**
   * The view's INSERT on a fresh dock, as the rebuild would write it. A row a scan made meanwhile
   * is kept (do nothing): its op is pending, and {@link #finish} rebases it onto the hub's row.
   */
  private static QueryCache.Prepared viewInsert(EdgeDatabase.Session session, int rows) {
    return session.queries().statement("snapshot.bag." + rows, d -> viewInsert(d, rows));
  }

  private static org.jooq.Query viewInsert(DSLContext d, int rows) {
    {
      var insert = d.insertInto(BAG, BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
          BAG.ON_FINALIZED_BILL, BAG.FINISHED_AT, BAG.FINISHED_BY, BAG.CREATED_AT, BAG.PARENT_CODE, BAG.CREATED_BY,
          BAG.CREATED_STATION);
      org.jooq.InsertValuesStep12<?, String, String, Integer, Integer, Integer, Integer, Long, String, Long, String,
          String, String> values = null;
      int n = 0;
      for (int r = 0; r < rows; r++) {
        // bound by position (viewValue's order): every value a parameter of its own but the creator, always the hub
        var step = (values == null ? insert : values).values(DSL.param("v" + n++, String.class),
            DSL.param("v" + n++, String.class), DSL.param("v" + n++, Integer.class), DSL.param("v" + n++, Integer.class),
            DSL.param("v" + n++, Integer.class), DSL.param("v" + n++, Integer.class), DSL.param("v" + n++, Long.class),
            DSL.param("v" + n++, String.class), DSL.param("v" + n++, Long.class), DSL.param("v" + n++, String.class),
            DSL.inline(ReplicaView.HUB), DSL.inline(ReplicaView.HUB));
        values = step;
      }
      return values.onConflict(BAG.CODE).doNothing();
    }
  }

  /** "({0}, {1}), ({2}, {3})" for 2 rows of 2 columns. */
  private static String placeholders(int rows, int columns) {
    StringBuilder sql = new StringBuilder();
    int n = 0;
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "(" : ", (");
      for (int c = 0; c < columns; c++) {
        sql.append(c == 0 ? "" : ", ").append('{').append(n++).append('}');
      }
      sql.append(')');
    }
    return sql.toString();
  }

  private static QueryPart[] params(int n) {
    QueryPart[] params = new QueryPart[n];
    for (int i = 0; i < n; i++) {
      params[i] = DSL.param("v" + i, Object.class);
    }
    return params;
  }

  /**
   * Writes what is buffered and puts the snapshot in force: its End line said {@code cursor}.
   * Called only once the whole stream has come ({@link SnapshotStream} checks it).
   */
  void finish(long cursor) {
    flush();
    long now = store.clock().millis();
    if (fresh) {
      finishFresh(now, cursor);
      return;
    }
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
          + "replica_seq = (select acked_seq from edge_meta where id = 1), pull_error_position = null, "
          + "pull_error_reason = null where id = 1", cursor, now);
      // a loaded snapshot holds every op the hub had answered: their settle points are spent
      dsl.execute("delete from settle_point where position <= ?", cursor);
      return null;
    });
    store.pending().clear();
    store.resumeRebuild();
    clearNext();
  }

  /**
   * The end of a fresh load: hub_bag and bag already hold every row; the scans made meanwhile (ops
   * above the acknowledged seq, pending) are rebased onto them, in the transaction that moves the cursor.
   */
  private void finishFresh(long now, long cursor) {
    store.pending().clear();
    store.db().writeSession(session -> {
      DSLContext dsl = session.dsl();
      replaceUsers(dsl, now);
      replaceConflicts(dsl);
      dsl.execute("update sync_state set pull_cursor = ?, snapshot_required = 0, rebuild_from = null, last_sync_at = ?, "
          + "replica_seq = (select acked_seq from edge_meta where id = 1), pull_error_position = null, "
          + "pull_error_reason = null where id = 1", cursor, now);
      // a loaded snapshot holds every op the hub had answered: their settle points are spent
      dsl.execute("delete from settle_point where position <= ?", cursor);
      long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
      store.pending().refresh(dsl, replicaSeq);
      store.view().rebase(session, store.pending().codesIn("", ReplicaView.LAST_CODE), now);
      return null;
    });
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

  void close() {
    bags.clear();
    users.clear();
    conflicts.clear();
  }
}
