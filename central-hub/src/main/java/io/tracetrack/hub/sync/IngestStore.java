package io.tracetrack.hub.sync;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.hub.log.PgBulk;
import io.tracetrack.hub.log.PgPipeline;
import io.tracetrack.hub.write.Overlay;
import io.tracetrack.hub.log.ChangeLog;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;
import static io.tracetrack.hub.db.jooq.Tables.EDGE_OP;
import static io.tracetrack.hub.db.jooq.Tables.EDGE_PROGRESS;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;
import static io.tracetrack.hub.db.jooq.Tables.USER_DOCK_ACCESS;

import io.tracetrack.web.Store;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The SQL of a push, all inside the batch's one transaction and all set-based: a fixed handful of
 * statements per batch whatever its size, never one per op. Lock order (see {@link ChangeLog}):
 * the edge's {@code edge_progress} row, then the bags in code order, then the change-log head last.
 */
@Store
final class IngestStore {

  private final DSLContext tx;
  /**
   * On PostgreSQL the batch's new rows go in with COPY and the locks and counters take one array per
   * column: a few short statements where a jOOQ multi-row insert renders, binds and has the server
   * parse a placeholder per cell (tens of milliseconds a batch). H2 keeps the jOOQ statements.
   */
  private final boolean postgres;

  /** Where the batch's writes wait to go in one round trip with the log's append (PostgreSQL only), or null. */
  private final PgPipeline pipeline;

  IngestStore(DSLContext tx) {
    this(tx, null);
  }

  IngestStore(DSLContext tx, PgPipeline pipeline) {
    this.tx = tx;
    this.postgres = PgBulk.isPostgres(tx);
    this.pipeline = postgres ? pipeline : null;
  }

  /** What a push holds before it decides: its edge's progress, its bags' areas by code, its signers by name. */
  record Locked(Progress progress, Map<String, String> areas, Map<String, Signer> signers) {}

  /**
   * Everything a push reads before it decides, in the lock order: the edge's progress row ({@link
   * #lockProgress}), then every existing bag among {@code codes} ({@link #lockBags}, seeding {@code
   * overlay}), then the signers among {@code actors} ({@link #signers}). On PostgreSQL the four
   * statements (the progress row's insert on the edge's first push among them) go to the server in
   * one round trip and run there one after the other, so the locks are taken in the same order as
   * when sent one by one: on a hub sharing its cores every round trip was a wait for a core with the
   * edge's row locked, and two hubs on two cores took 1.5-3x as long for each ({@code bench fleet}).
   */
  Locked lock(String edgeId, String dock, SortedSet<String> codes, SortedSet<String> actors, String dockArea, Overlay overlay) {
    if (!postgres) {
      Progress progress = lockProgress(edgeId, dock);
      return new Locked(progress, lockBags(codes, overlay), signers(actors, dockArea));
    }
    Progress[] progress = new Progress[1];
    Map<String, String> areas = new HashMap<>();
    Map<String, Signer> signers = new HashMap<>();
    HotQuery.together(tx, List.of(NEW_PROGRESS.on(tx).set("edge", edgeId).set("dock", dock),
        LOCK_PROGRESS.on(tx).set("edge", edgeId),
        LOCK_BAGS.on(tx).set("codes", codes.toArray(String[]::new)),
        SIGNERS.on(tx).set("area", dockArea).set("names", actors.toArray(String[]::new))), (statement, rs) -> {
          switch (statement) {
            case 1 -> progress[0] = rs.next() ? progress(rs) : null;
            case 2 -> {
              while (rs.next()) {
                seed(lockedBag(rs), overlay, areas);
              }
            }
            case 3 -> {
              while (rs.next()) {
                signers.put(rs.getString(1), signer(rs));
              }
            }
            default -> throw new IllegalStateException("no rows expected from statement " + statement);
          }
        });
    if (progress[0] == null) {
      throw new IllegalStateException("no progress row for edge " + edgeId + " after creating it");
    }
    return new Locked(progress[0], areas, signers);
  }

  /**
   * Locks the edge's progress row, creating it at {@code last_seq} 0 on its first push. Two batches
   * of one edge (a resend while the first is still running) queue here, so the second reads the
   * first one's committed {@code last_seq} and answers its ops as duplicates.
   */
  Progress lockProgress(String edgeId, String dock) {
    // the row exists after the first push: one round trip then, the insert only the first time
    Optional<Progress> row = LOCK_PROGRESS.on(tx).set("edge", edgeId).fetchOptional(IngestStore::progress);
    if (row.isEmpty()) {
      NEW_PROGRESS.on(tx).set("edge", edgeId).set("dock", dock).execute();
      row = LOCK_PROGRESS.on(tx).set("edge", edgeId).fetchOptional(IngestStore::progress);
    }
    return row.orElseThrow(() -> new IllegalStateException("no progress row for edge " + edgeId + " after creating it"));
  }

  private static Progress progress(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Progress(rs.getString(1), rs.getLong(2));
  }

  /** Every push locks its edge's row first (see {@link HotQuery}). */
  private static final HotQuery LOCK_PROGRESS = HotQuery.of(dsl -> dsl.select(EDGE_PROGRESS.DOCK, EDGE_PROGRESS.LAST_SEQ)
      .from(EDGE_PROGRESS).where(EDGE_PROGRESS.EDGE_ID.eq(DSL.param("edge", String.class))).forUpdate());

  private static final HotQuery NEW_PROGRESS = HotQuery.of(dsl -> dsl.insertInto(EDGE_PROGRESS)
      .set(EDGE_PROGRESS.EDGE_ID, DSL.param("edge", String.class)).set(EDGE_PROGRESS.DOCK, DSL.param("dock", String.class))
      .onConflictDoNothing());

  /** An edge's progress as its locked row holds it: the dock it belongs to and the last seq taken from it. */
  record Progress(String dock, long lastSeq) {}

  /**
   * The fingerprints the hub holds for {@code seqs} of the edge, by seq, with one statement (none for
   * ops answered before the hub kept them).
   */
  Map<Long, String> fingerprints(String edgeId, List<Long> seqs) {
    Map<Long, String> out = new HashMap<>();
    if (seqs.isEmpty()) {
      return out;
    }
    var which = postgres ? EDGE_OP.SEQ.eq(DSL.any(DSL.val(seqs.toArray(Long[]::new)).cast(Long[].class)))
        : EDGE_OP.SEQ.in(seqs);
    tx.select(EDGE_OP.SEQ, EDGE_OP.FINGERPRINT).from(EDGE_OP).where(EDGE_OP.EDGE_ID.eq(edgeId)).and(which)
        .fetch().forEach(r -> out.put(r.value1(), r.value2()));
    return out;
  }

  /** Keeps the fingerprint of every op the batch answered (applied or refused), with one statement. */
  void insertFingerprints(String edgeId, List<io.tracetrack.sync.OpEnvelope> answered) {
    if (answered.isEmpty()) {
      return;
    }
    if (postgres) {
      PgBulk.CopyRows rows = new PgBulk.CopyRows();
      for (io.tracetrack.sync.OpEnvelope op : answered) {
        rows.add(edgeId).add(op.id().seq()).add(op.fingerprint()).end();
      }
      PgBulk.copy(tx, "edge_op (edge_id, seq, fingerprint)", rows, pipeline);
      return;
    }
    var insert = tx.insertInto(EDGE_OP, EDGE_OP.EDGE_ID, EDGE_OP.SEQ, EDGE_OP.FINGERPRINT);
    for (io.tracetrack.sync.OpEnvelope op : answered) {
      insert = insert.values(edgeId, op.id().seq(), op.fingerprint());
    }
    insert.execute();
  }

  /**
   * A hub user named as an op's actor, as far as signing in at a dock goes.
   *
   * @param grantedHere an admin granted the user the dock's area explicitly
   */
  record Signer(String role, String area, boolean active, boolean grantedHere) {

    /** The rule of the docks' users (see {@code UserChanges}): its area's dispatchers, and those granted it. */
    boolean maySignInAt(String dockArea) {
      return active && (grantedHere || (io.tracetrack.model.Role.DISPATCHER.name().equals(role) && dockArea.equals(area)));
    }

    String why(String dockArea) {
      if (!active) {
        return "the account is disabled";
      }
      return io.tracetrack.model.Role.DISPATCHER.name().equals(role) ? "a dispatcher of area " + area
          : "a " + role.toLowerCase(java.util.Locale.ROOT) + " not granted area " + dockArea;
    }
  }

  /**
   * The hub users among {@code actors}, with one statement: role, area, whether they may sign in,
   * and whether they hold a grant for {@code dockArea}. Names the hub does not know are absent.
   */
  Map<String, Signer> signers(java.util.SortedSet<String> actors, String dockArea) {
    Map<String, Signer> out = new HashMap<>();
    if (actors.isEmpty()) {
      return out;
    }
    SIGNERS.on(tx).set("area", dockArea).set("names", actors.toArray(String[]::new))
        .fetch(rs -> Map.entry(rs.getString(1), signer(rs)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** A row of {@link #SIGNERS}: disabled or anonymised accounts may not sign in. */
  private static Signer signer(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Signer(rs.getString(2), rs.getString(3), !rs.getBoolean(4) && !rs.getBoolean(5), rs.getBoolean(6));
  }

  /**
   * Every push reads its signers and locks its bags: rendered once, the names and codes as one array
   * bind (see {@link HotQuery}; jOOQ building these two per push was a sixth of a fleet's hub CPU).
   * Written out as {@code = any(?)}: jOOQ would expand an array on H2 into an IN list, whose length
   * changes the SQL.
   */
  private static final HotQuery SIGNERS = HotQuery.of(dsl -> dsl.select(APP_USER.USERNAME, APP_USER.ROLE,
          APP_USER.AREA_ID, APP_USER.DISABLED, APP_USER.ANONYMISED,
          DSL.field(DSL.exists(DSL.selectOne().from(USER_DOCK_ACCESS).where(USER_DOCK_ACCESS.USER_ID.eq(APP_USER.ID))
              .and(USER_DOCK_ACCESS.AREA_ID.eq(DSL.param("area", String.class))))))
      .from(APP_USER).where(DSL.condition("{0} = any({1})", APP_USER.USERNAME, DSL.param("names", String[].class))));

  private static final HotQuery LOCK_BAGS = HotQuery.of(dsl -> dsl.select(BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT,
          BAG.LIMIT_COUNT, BAG.CHILD_COUNT, BAG.PARENT_CODE, BAG.ON_FINALIZED_BILL, BAG.FINISHED_BY, BAG.FINISHED_AT,
          BAG.AREA_ID, BAG.DOCK, BAG.CREATED_BY, BAG.CREATED_AT, BAG.LINKED_BY, BAG.LINKED_AT)
      .from(BAG).where(DSL.condition("{0} = any({1})", BAG.CODE, DSL.param("codes", String[].class)))
      .orderBy(BAG.CODE).forUpdate());

  /** A row of {@link #LOCK_BAGS} as the overlay takes it. */
  private static io.tracetrack.hub.db.jooq.tables.records.BagRecord lockedBag(java.sql.ResultSet rs) throws java.sql.SQLException {
    var r = new io.tracetrack.hub.db.jooq.tables.records.BagRecord();
    r.setCode(rs.getString(1));
    r.setRole(rs.getString(2));
    r.setExpectedCount(rs.getObject(3, Integer.class));
    r.setLimitCount(rs.getObject(4, Integer.class));
    r.setChildCount(rs.getObject(5, Integer.class));
    r.setParentCode(rs.getString(6));
    r.setOnFinalizedBill(rs.getObject(7, Boolean.class));
    r.setFinishedBy(rs.getString(8));
    r.setFinishedAt(rs.getObject(9, OffsetDateTime.class));
    r.setAreaId(rs.getString(10));
    r.setDock(rs.getString(11));
    r.setCreatedBy(rs.getString(12));
    r.setCreatedAt(rs.getObject(13, OffsetDateTime.class));
    r.setLinkedBy(rs.getString(14));
    r.setLinkedAt(rs.getObject(15, OffsetDateTime.class));
    return r;
  }

  /**
   * Locks every existing bag among {@code codes} with one statement, in code order (as
   * {@code BagStore} does one by one), and seeds {@code overlay} with them.
   *
   * @return the area of each of them that has one, by code: a dock may name only its own area's bags
   */
  Map<String, String> lockBags(SortedSet<String> codes, Overlay overlay) {
    Map<String, String> areas = new HashMap<>();
    if (codes.isEmpty()) {
      return areas;
    }
    LOCK_BAGS.on(tx).set("codes", codes.toArray(String[]::new)).fetch(IngestStore::lockedBag)
        .forEach(bag -> seed(bag, overlay, areas));
    return areas;
  }

  /** A locked bag into {@code overlay}, and its area, if it has one, into {@code areas}. */
  private static void seed(io.tracetrack.hub.db.jooq.tables.records.BagRecord bag, Overlay overlay, Map<String, String> areas) {
    overlay.existing(bag);
    if (bag.getAreaId() != null) {
      areas.put(bag.getCode(), bag.getAreaId());
    }
  }

  /** Where and by whom a link was made: the other side of a conflict. */
  record LinkSide(String dock, String actor, OffsetDateTime at) {}

  /**
   * The latest LINK event of each of {@code children} (as the child), and of each of
   * {@code parents} (as the parent): which dock made it ({@code "API"} for the hub's own API).
   */
  Map<String, LinkSide> latestLinks(Collection<String> children, Collection<String> parents) {
    Map<String, LinkSide> out = new HashMap<>();
    if (!children.isEmpty()) {
      tx.selectFrom(BAG_EVENT).where(BAG_EVENT.KIND.eq("LINK").and(BAG_EVENT.BAG_CODE.in(children)))
          .orderBy(BAG_EVENT.ID.desc()).fetch()
          .forEach(e -> out.putIfAbsent("c:" + e.getBagCode(), new LinkSide(side(e.getDock(), e.getSource()), e.getActor(), e.getAt())));
    }
    if (!parents.isEmpty()) {
      tx.selectFrom(BAG_EVENT).where(BAG_EVENT.KIND.eq("LINK").and(BAG_EVENT.PARENT_CODE.in(parents)))
          .orderBy(BAG_EVENT.ID.desc()).fetch()
          .forEach(e -> out.putIfAbsent("p:" + e.getParentCode(), new LinkSide(side(e.getDock(), e.getSource()), e.getActor(), e.getAt())));
    }
    return out;
  }

  private static String side(String dock, String source) {
    return dock != null ? dock : source;
  }

  /** A finalized bill a parent is on: its id, who finalized it and when. */
  record FinalBill(String bill, String by, OffsetDateTime at) {}

  Map<String, FinalBill> finalBills(Collection<String> parents) {
    Map<String, FinalBill> out = new HashMap<>();
    if (!parents.isEmpty()) {
      tx.select(BILL_PARENT.PARENT_CODE, BILL.ID, BILL.FINALIZED_BY, BILL.FINALIZED_AT).from(BILL_PARENT)
          .join(BILL).on(BILL.ID.eq(BILL_PARENT.BILL_ID)).where(BILL_PARENT.PARENT_CODE.in(parents))
          .fetch().forEach(r -> out.put(r.value1(), new FinalBill(r.value2(), r.value3(), r.value4())));
    }
    return out;
  }

  /** A conflict row as {@link Ingest} fills it (the record mirrors the table's columns). */
  record Conflict(String code, String message, String dock, String edgeId, long seq, String opType, String opJson,
      String parent, String child, String actor, String station, long hlcWall, int hlcLogical, OffsetDateTime hubAt,
      String otherParent, String otherDock, String otherActor, OffsetDateTime otherAt, boolean applied) {}

  /**
   * Inserts the conflicts with one statement and answers their ids by {@code seq}: read back through
   * the one-conflict-per-op key, which works the same on both databases (a multi-row RETURNING does not).
   */
  Map<Long, Long> insertConflicts(String edgeId, List<Conflict> conflicts) {
    if (conflicts.isEmpty()) {
      return Map.of();
    }
    if (pipeline != null) {
      pipeline.flush(tx); // the ids are read back at once: what was queued before goes first
    }
    var insert = tx.insertInto(SYNC_CONFLICT, SYNC_CONFLICT.CODE, SYNC_CONFLICT.MESSAGE, SYNC_CONFLICT.DOCK,
        SYNC_CONFLICT.EDGE_ID, SYNC_CONFLICT.OP_SEQ, SYNC_CONFLICT.OP_TYPE, SYNC_CONFLICT.OP_JSON,
        SYNC_CONFLICT.PARENT_CODE, SYNC_CONFLICT.CHILD_CODE, SYNC_CONFLICT.ACTOR, SYNC_CONFLICT.STATION,
        SYNC_CONFLICT.HLC_WALL, SYNC_CONFLICT.HLC_LOGICAL, SYNC_CONFLICT.HUB_AT, SYNC_CONFLICT.OTHER_PARENT,
        SYNC_CONFLICT.OTHER_DOCK, SYNC_CONFLICT.OTHER_ACTOR, SYNC_CONFLICT.OTHER_AT, SYNC_CONFLICT.APPLIED);
    for (Conflict c : conflicts) {
      insert = insert.values(c.code(), c.message(), c.dock(), c.edgeId(), c.seq(), c.opType(), c.opJson(), c.parent(),
          c.child(), c.actor(), c.station(), c.hlcWall(), c.hlcLogical(), c.hubAt(), c.otherParent(), c.otherDock(),
          c.otherActor(), c.otherAt(), c.applied());
    }
    insert.execute();
    Map<Long, Long> ids = new HashMap<>();
    tx.select(SYNC_CONFLICT.OP_SEQ, SYNC_CONFLICT.ID).from(SYNC_CONFLICT)
        .where(SYNC_CONFLICT.EDGE_ID.eq(edgeId).and(SYNC_CONFLICT.OP_SEQ.in(conflicts.stream().map(Conflict::seq).toList())))
        .fetch().forEach(r -> ids.put(r.value1(), r.value2()));
    return ids;
  }

  /** What the edge reported with the batch, for the fleet view. */
  record Report(long lastSeq, OffsetDateTime at, long clockOffsetMs, long pendingOps, Long oldestPendingAt, String version,
      OffsetDateTime seqReusedAt) {}

  void updateProgress(String edgeId, Report report) {
    if (pipeline != null) {
      // the row was locked by lockProgress: exactly one changes
      pipeline.add("update edge_progress set last_seq = ?, last_seen_at = ?::timestamptz, last_push_at = ?::timestamptz,"
          + " clock_offset_ms = ?, pending_ops = ?, oldest_pending_at = ?::timestamptz, version = ?,"
          + " seq_reused_at = coalesce(?::timestamptz, seq_reused_at) where edge_id = ?",
          new Object[] {report.lastSeq(), PgBulk.text(report.at()), PgBulk.text(report.at()), report.clockOffsetMs(),
              report.pendingOps(), report.oldestPendingAt() == null ? null
                  : Instant.ofEpochMilli(report.oldestPendingAt()).toString(), report.version(),
              PgBulk.text(report.seqReusedAt()), edgeId}, 1, "the edge's progress");
      return;
    }
    UPDATE_PROGRESS.on(tx).set("lastSeq", report.lastSeq()).set("at", report.at()).set("pushAt", report.at())
        .set("clockOffset", report.clockOffsetMs()).set("pending", report.pendingOps())
        .set("oldestPending", report.oldestPendingAt() == null ? null
            : OffsetDateTime.ofInstant(Instant.ofEpochMilli(report.oldestPendingAt()), ZoneOffset.UTC))
        .set("version", report.version()).set("seqReused", report.seqReusedAt()).set("edge", edgeId)
        .execute();
  }

  /** The progress a push reports, on H2 (PostgreSQL's is pipelined above); a reuse, once seen, stays. */
  private static final HotQuery UPDATE_PROGRESS = HotQuery.of(dsl -> dsl.update(EDGE_PROGRESS)
      .set(EDGE_PROGRESS.LAST_SEQ, DSL.param("lastSeq", Long.class))
      .set(EDGE_PROGRESS.LAST_SEEN_AT, DSL.param("at", OffsetDateTime.class))
      .set(EDGE_PROGRESS.LAST_PUSH_AT, DSL.param("pushAt", OffsetDateTime.class))
      .set(EDGE_PROGRESS.CLOCK_OFFSET_MS, DSL.param("clockOffset", Long.class))
      .set(EDGE_PROGRESS.PENDING_OPS, DSL.param("pending", Long.class))
      .set(EDGE_PROGRESS.OLDEST_PENDING_AT, DSL.param("oldestPending", OffsetDateTime.class))
      .set(EDGE_PROGRESS.VERSION, DSL.param("version", String.class))
      .set(EDGE_PROGRESS.SEQ_REUSED_AT, DSL.coalesce(DSL.param("seqReused", OffsetDateTime.class), EDGE_PROGRESS.SEQ_REUSED_AT))
      .where(EDGE_PROGRESS.EDGE_ID.eq(DSL.param("edge", String.class))));

  /**
   * The edge is polling the change log: contact, as a hello is. A connected dock polls every few
   * seconds to half a minute, so the row is written only when its last contact is {@code coarse}
   * or more behind: a fleet's polls cost a write per dock per {@code coarse}, not one each.
   */
  static void polled(DSLContext dsl, String edgeId, String dock, OffsetDateTime at, java.time.Duration coarse) {
    dsl.update(EDGE_PROGRESS).set(EDGE_PROGRESS.LAST_SEEN_AT, at)
        .where(EDGE_PROGRESS.EDGE_ID.eq(edgeId)).and(EDGE_PROGRESS.DOCK.eq(dock))
        .and(EDGE_PROGRESS.LAST_SEEN_AT.isNull().or(EDGE_PROGRESS.LAST_SEEN_AT.lt(at.minus(coarse))))
        .execute();
  }

  /** The edge was heard from (a hello): the fleet view's "last seen". Answers the last seq the hub holds from it. */
  static long seen(DSLContext dsl, String edgeId, String dock, OffsetDateTime at) {
    // an update first: the row exists for every hello but an edge's first, and the upsert costs
    // more to render and to run (H2 makes a MERGE of it: a tenth of the simulation's CPU was this)
    int updated = SEEN.on(dsl).set("at", at).set("edge", edgeId).execute();
    if (updated == 0) {
      // the upsert, not a plain insert: two first hellos of one edge may race here
      FIRST_SEEN.on(dsl).set("edge", edgeId).set("dock", dock).set("at", at).execute();
    }
    return LAST_SEQ.on(dsl).set("edge", edgeId).set("dock", dock).fetchOptional(rs -> rs.getLong(1)).orElse(0L);
  }

  /** Every hello stamps its edge: one of the hub's most frequent statements (see {@link HotQuery}). */
  private static final HotQuery SEEN = HotQuery.of(dsl -> dsl.update(EDGE_PROGRESS)
      .set(EDGE_PROGRESS.LAST_SEEN_AT, DSL.param("at", OffsetDateTime.class))
      .where(EDGE_PROGRESS.EDGE_ID.eq(DSL.param("edge", String.class))));

  private static final HotQuery FIRST_SEEN = HotQuery.of(dsl -> dsl.insertInto(EDGE_PROGRESS)
      .set(EDGE_PROGRESS.EDGE_ID, DSL.param("edge", String.class)).set(EDGE_PROGRESS.DOCK, DSL.param("dock", String.class))
      .set(EDGE_PROGRESS.LAST_SEEN_AT, DSL.param("at", OffsetDateTime.class))
      .onConflict(EDGE_PROGRESS.EDGE_ID).doUpdate().set(EDGE_PROGRESS.LAST_SEEN_AT, DSL.excluded(EDGE_PROGRESS.LAST_SEEN_AT)));

  private static final HotQuery LAST_SEQ = HotQuery.of(dsl -> dsl.select(EDGE_PROGRESS.LAST_SEQ).from(EDGE_PROGRESS)
      .where(EDGE_PROGRESS.EDGE_ID.eq(DSL.param("edge", String.class)))
      .and(EDGE_PROGRESS.DOCK.eq(DSL.param("dock", String.class))));
}
