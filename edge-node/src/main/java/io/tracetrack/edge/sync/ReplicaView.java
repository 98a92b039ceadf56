package io.tracetrack.edge.sync;

import static io.tracetrack.edge.db.jooq.Tables.BAG;
import static io.tracetrack.edge.db.jooq.Tables.HUB_BAG;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.QueryCache;
import io.tracetrack.edge.db.jooq.tables.Bag;
import io.tracetrack.edge.db.jooq.tables.HubBag;
import io.tracetrack.edge.scan.ViewReplay;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.web.Store;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.TableLike;
import org.jooq.QueryPart;
import org.jooq.impl.DSL;

/**
 * Keeps the station's view ({@code bag}) equal to the hub's state ({@code hub_bag}) with this
 * dock's pending ops replayed on top. Works on a set of dirty codes inside the caller's
 * transaction, never on the whole table at once, so sync never holds SQLite's one writer for long.
 */
@Store
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
   *
   * <p>Set-based: the closure lives in a temporary table and the reset is three statements over
   * it, whatever its size; only the pending ops in the closure go through the Reconciler. When the
   * dock pushed everything before pulling, its own echoed ops are no longer pending once pulled, so
   * a page of them costs a reset that rewrites nothing (rows equal to the hub's are not written).
   */
  void rebase(EdgeDatabase.Session session, Collection<String> dirty, long now) {
    if (dirty.isEmpty()) {
      return;
    }
    DSLContext dsl = session.dsl();
    QueryCache q = session.queries();
    long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    String edgeId = dsl.fetchSingle("select edge_id from edge_meta where id = 1").get(0, String.class);
    pending.refresh(dsl, replicaSeq);
    Set<Long> refused = pending.isEmpty() ? Set.of() : new HashSet<>(dsl.fetch(
        "select op_seq from conflict where op_applied = 0 and edge_id = ? and op_seq > ?", edgeId, replicaSeq)
        .getValues(0, Long.class));
    // the temp table exists before the statements over it are prepared (once per connection): a
    // step's rebase is about ten statements, and preparing them anew each step cost more than running them
    dsl.execute("create temp table if not exists rebase_code (code varchar(64) primary key, round integer not null) without rowid");
    prepared(q, "rebase.clear", "delete from temp.rebase_code").execute();
    TreeMap<Long, PendingOps.Pending> replay = new TreeMap<>();
    List<String> frontier = new ArrayList<>(new LinkedHashSet<>(dirty));
    addCodes(q, frontier, 0);
    for (int round = 0; ; round++) {
      // the pending ops touching this round's codes, and the codes they touch in turn
      Set<String> next = new LinkedHashSet<>();
      if (!pending.isEmpty()) {
        for (String code : frontier) {
          for (PendingOps.Pending p : pending.touching(code)) {
            if (!refused.contains(p.seq()) && replay.putIfAbsent(p.seq(), p) == null) {
              next.addAll(p.codes());
            }
          }
        }
      }
      addCodes(q, List.copyOf(next), round + 1);
      // the parents of this round's codes, in the view and at the hub
      prepared(q, "rebase.parents", "insert or ignore into temp.rebase_code (code, round) "
          + "select b.parent_code, {0} from temp.rebase_code r cross join bag b on b.code = r.code "
          + "where r.round = {1} and b.parent_code is not null "
          + "union select h.parent_code, {2} from temp.rebase_code r cross join hub_bag h on h.code = r.code "
          + "where r.round = {3} and h.parent_code is not null", "next", "round", "next2", "round2")
          .set("next", round + 1).set("round", round).set("next2", round + 1).set("round2", round).execute();
      frontier = prepared(q, "rebase.frontier", "select code from temp.rebase_code where round = {0}", "round")
          .set("round", round + 1).fetch(r -> r.getString(1));
      if (frontier.isEmpty()) {
        break;
      }
    }
    resetMarked(q, now);
    replay(session, replay.values());
  }

  /**
   * A statement rendered and prepared once per connection: the placeholders {@code {0}, {1}, ...}
   * appear in order, once each, and take {@code names}.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Marks codes for the reset: one statement for any number (a JSON array read by json_each). */
  private static void addCodes(QueryCache q, List<String> codes, int round) {
    if (codes.isEmpty()) {
      return;
    }
    String array;
    try {
      array = JSON.writeValueAsString(codes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serializes", e);
    }
    prepared(q, "rebase.mark", "insert or ignore into temp.rebase_code (code, round) select value, {0} from json_each({1})",
        "round", "codes").set("round", round).set("codes", array).execute();
  }

  /**
   * Sets every marked view row to the hub's state, set-based: deleted when the hub has no such bag
   * (a pending op that creates it recreates it on replay); the link's local record (when, by whom,
   * where, its seq) is kept while the parent is unchanged, so a station's undo still finds its last
   * link. A row already equal to the hub's is not rewritten: an echo of the dock's own op costs a read.
   */
  private static void resetMarked(QueryCache q, long now) {
    Condition marked = BAG.CODE.in(DSL.select(MARKED_CODE).from(MARKED));
    q.statement("rebase.delete", d -> resetDelete(d, marked)).execute();
    q.statement("rebase.update", d -> resetUpdate(d, marked, DSL.param("now", Long.class), true)).set("now", now).execute();
    // cross join: SQLite then walks the (small) closure and looks each code up, never the whole replica
    q.statement("rebase.insert", d -> resetInsert(d, MARKED.crossJoin(H), H.CODE.eq(MARKED_CODE),
            DSL.param("finishedAt", Long.class), DSL.param("createdAt", Long.class)))
        .set("finishedAt", now).set("createdAt", now).execute();
  }

  /** The codes a rebase marked ({@code temp.rebase_code}, made per connection: not a generated table). */
  private static final Table<?> MARKED = DSL.table("temp.rebase_code").as("r");
  private static final Field<String> MARKED_CODE = DSL.field(DSL.name("r", "code"), String.class);
  /** The hub's row of a bag, beside the view's. */
  private static final HubBag H = HUB_BAG.as("h");

  /**
   * The view's rows reset from the hub's, set-based, for the rows {@code selected} picks out of
   * {@code bag}: a rebase's marked codes or a rebuild's key range. The one way both write them.
   */
  private static Query resetDelete(DSLContext d, Condition selected) {
    return d.deleteFrom(BAG).where(selected).andNotExists(d.selectOne().from(H).where(H.CODE.eq(BAG.CODE)));
  }

  /**
   * Sets the selected rows the hub also has to its state; with {@code changedOnly}, only rows that
   * differ from it (a rebase's echo of the dock's own op then costs a read, not a write).
   */
  private static Query resetUpdate(DSLContext d, Condition selected, Field<Long> now, boolean changedOnly) {
    Condition sameParent = BAG.PARENT_CODE.isNotDistinctFrom(H.PARENT_CODE);
    Condition finished = H.FINISHED.eq(DSL.inline(1));
    Condition where = H.CODE.eq(BAG.CODE).and(selected);
    if (changedOnly) {
      where = where.and(BAG.ROLE.isDistinctFrom(H.ROLE).or(BAG.EXPECTED_COUNT.isDistinctFrom(H.EXPECTED_COUNT))
          .or(BAG.LIMIT_COUNT.isDistinctFrom(H.LIMIT_COUNT)).or(BAG.CHILD_COUNT.isDistinctFrom(H.CHILD_COUNT))
          .or(BAG.ON_FINALIZED_BILL.isDistinctFrom(H.ON_FINALIZED_BILL)).or(BAG.PARENT_CODE.isDistinctFrom(H.PARENT_CODE))
          .or(DSL.field(BAG.FINISHED_AT.isNotNull()).ne(DSL.field(finished))));
    }
    return d.update(BAG)
        .set(BAG.ROLE, H.ROLE)
        .set(BAG.EXPECTED_COUNT, H.EXPECTED_COUNT)
        .set(BAG.LIMIT_COUNT, H.LIMIT_COUNT)
        .set(BAG.CHILD_COUNT, H.CHILD_COUNT)
        .set(BAG.ON_FINALIZED_BILL, H.ON_FINALIZED_BILL)
        .set(BAG.FINISHED_AT, DSL.when(finished, DSL.coalesce(BAG.FINISHED_AT, now)))
        .set(BAG.FINISHED_BY, DSL.when(finished, DSL.coalesce(BAG.FINISHED_BY, DSL.inline(HUB))))
        // the link's local record (when, by whom, where, its seq) stays while the parent is unchanged
        .set(BAG.LINKED_AT, DSL.when(sameParent, BAG.LINKED_AT))
        .set(BAG.LINKED_BY, DSL.when(sameParent, BAG.LINKED_BY))
        .set(BAG.LINKED_STATION, DSL.when(sameParent, BAG.LINKED_STATION))
        .set(BAG.LINK_SEQ, DSL.when(sameParent, BAG.LINK_SEQ))
        .set(BAG.PARENT_CODE, H.PARENT_CODE)
        .from(H)
        .where(where);
  }

  /** Adds the hub's rows {@code hubSelected} picks from {@code source} that the view lacks, as first seen through the hub. */
  private static Query resetInsert(DSLContext d, TableLike<?> source, Condition hubSelected, Field<Long> finishedAt,
      Field<Long> createdAt) {
    Bag b = BAG.as("b");
    return d.insertInto(BAG, BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
            BAG.ON_FINALIZED_BILL, BAG.FINISHED_AT, BAG.FINISHED_BY, BAG.CREATED_AT, BAG.CREATED_BY,
            BAG.CREATED_STATION, BAG.PARENT_CODE)
        .select(d.select(H.CODE, H.ROLE, H.EXPECTED_COUNT, H.LIMIT_COUNT, H.CHILD_COUNT, H.ON_FINALIZED_BILL,
                DSL.when(H.FINISHED.eq(DSL.inline(1)), finishedAt), DSL.when(H.FINISHED.eq(DSL.inline(1)), DSL.inline(HUB)), createdAt,
                DSL.inline(HUB), DSL.inline(HUB), H.PARENT_CODE)
            .from(source)
            .where(hubSelected)
            .andNotExists(d.selectOne().from(b).where(b.CODE.eq(H.CODE))));
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

  /**
   * Rebuilds the view for the key range ({@code after}, {@code upTo}] after a snapshot: set-based
   * reset of the range from {@code hub_bag}, then a rebase of the codes pending ops touch in it.
   */
  void rebuildRange(EdgeDatabase.Session session, String after, String upTo, long now) {
    DSLContext dsl = session.dsl();
    resetDelete(dsl, BAG.CODE.gt(after).and(BAG.CODE.le(upTo))).execute();
    resetUpdate(dsl, BAG.CODE.gt(after).and(BAG.CODE.le(upTo)), DSL.val(now), false).execute();
    resetInsert(dsl, H, H.CODE.gt(after).and(H.CODE.le(upTo)), DSL.val(now), DSL.val(now)).execute();
    long replicaSeq = dsl.fetchSingle("select replica_seq from sync_state where id = 1").get(0, Long.class);
    pending.refresh(dsl, replicaSeq);
    rebase(session, pending.codesIn(after, upTo), now);
  }
}
