package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.BAG;
import static io.tracetrack.edge.db.jooq.Tables.CONFLICT;
import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.HUB_BAG;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;
import static io.tracetrack.edge.db.jooq.Tables.SCAN_LOG;
import static io.tracetrack.edge.db.jooq.Tables.STATION;
import static org.jooq.impl.DSL.param;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.QueryCache;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.StationCommand;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.HybridClock;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.StateView;
import io.tracetrack.web.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The edge store as seen from inside one transaction: the Reconciler reads through it
 * ({@link StateView}), effects and ops are written through it. Bags read in the transaction are
 * remembered and kept up to date as effects apply, so a scan reads each bag once. The statements
 * a scan runs every time are kept prepared ({@link QueryCache}). Never outlives its transaction.
 */
@Store
final class StoreTx implements StateView {

  private final DSLContext dsl;
  private final QueryCache queries;
  private final OpCodec codec;
  private final Map<String, Optional<BagFacts>> bags = new HashMap<>();

  StoreTx(EdgeDatabase.Session session, OpCodec codec) {
    this.dsl = session.dsl();
    this.queries = session.queries();
    this.codec = codec;
  }

  @Override
  public Optional<BagFacts> bag(String code) {
    return bags.computeIfAbsent(code, c -> queries
        .statement("bag.byCode", d -> d.select(BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
                BAG.FINISHED_AT, BAG.PARENT_CODE, BAG.ON_FINALIZED_BILL)
            .from(BAG).where(BAG.CODE.eq(param("code", String.class))))
        .set("code", c)
        .fetchOne(r -> new BagFacts(r.getString(1), BagRole.valueOf(r.getString(2)),
            r.getObject(3) == null ? null : r.getInt(3), r.getInt(4), r.getInt(5), r.getObject(6) != null,
            r.getString(7), r.getInt(8) != 0)));
  }

  /**
   * The area of {@code code} when the replica knows it to be another than this dock's: a bag the
   * hub said is of area SOUTH, at a dock of area NORTH. Empty when either area is unknown (an older
   * hub, a bag only this dock knows) or they are the same.
   */
  Optional<String> otherArea(String code) {
    return queries.statement("bag.otherArea", d -> d.select(HUB_BAG.AREA).from(HUB_BAG).crossJoin(EDGE_META)
            .where(HUB_BAG.CODE.eq(param("code", String.class))).and(EDGE_META.ID.eq(1))
            .and(HUB_BAG.AREA.isNotNull()).and(EDGE_META.AREA.isNotNull()).and(HUB_BAG.AREA.ne(EDGE_META.AREA)))
        .set("code", code)
        .fetchOne(r -> r.getString(1));
  }

  /** This dock's area as the hub said (enrolment, hello), or null. */
  String dockArea() {
    return dsl.select(EDGE_META.AREA).from(EDGE_META).where(EDGE_META.ID.eq(1)).fetchOne(EDGE_META.AREA);
  }

  /** Identity, and the last seq and HLC stamp: the outbox's last row, or the floors if it is empty. */
  EdgeMeta meta() {
    // one statement: the identity row, and the outbox's last row (which may not exist yet)
    var tail = DSL.select(OUTBOX.SEQ, OUTBOX.HLC_WALL, OUTBOX.HLC_LOGICAL).from(OUTBOX).orderBy(OUTBOX.SEQ.desc()).limit(1).asTable("tail");
    return queries.statement("meta", d -> d.select(EDGE_META.EDGE_ID, EDGE_META.DOCK, EDGE_META.SEQ_FLOOR,
                EDGE_META.HLC_FLOOR_WALL, EDGE_META.HLC_FLOOR_LOGICAL, EDGE_META.USERS_FROM_HUB,
                tail.field(OUTBOX.SEQ), tail.field(OUTBOX.HLC_WALL), tail.field(OUTBOX.HLC_LOGICAL))
            .from(EDGE_META).leftJoin(tail).on(DSL.trueCondition()).where(EDGE_META.ID.eq(1)))
        .fetchOne(r -> {
          EdgeMeta floors = new EdgeMeta(r.getString(1), r.getString(2), r.getLong(3), new Hlc(r.getLong(4), r.getInt(5)),
              r.getInt(6) != 0);
          return r.getObject(7) == null ? floors : floors.advancedTo(r.getLong(7), new Hlc(r.getLong(8), r.getInt(9)));
        })
        .orElseThrow(() -> new IllegalStateException("edge_meta row missing"));
  }

  /** Stamps an op with the next seq and a fresh HLC; {@link #record} writes it. */
  OpEnvelope stamp(Op op, String actor, String station, long nowMillis) {
    EdgeMeta meta = meta();
    Hlc hlc = HybridClock.tick(meta.hlc(), nowMillis);
    return new OpEnvelope(new OpId(meta.edgeId(), meta.lastSeq() + 1), hlc, actor, meta.dock(), station, op);
  }

  /**
   * Appends a stamped op to the outbox, in the same transaction as its effect; the new row is
   * itself the record of the seq and clock it advanced.
   */
  void record(OpEnvelope envelope, String message, long nowMillis) {
    Op op = envelope.op();
    queries.statement("outbox.insert", d -> d.insertInto(OUTBOX)
            .set(OUTBOX.SEQ, param("seq", Long.class))
            .set(OUTBOX.OP_TYPE, param("type", String.class))
            .set(OUTBOX.OP_JSON, param("json", String.class))
            .set(OUTBOX.HLC_WALL, param("wall", Long.class))
            .set(OUTBOX.HLC_LOGICAL, param("logical", Integer.class))
            .set(OUTBOX.CREATED_AT, param("at", Long.class))
            .set(OUTBOX.STATION, param("station", String.class))
            .set(OUTBOX.ACTOR, param("actor", String.class))
            .set(OUTBOX.BAG_CODE, param("bag", String.class))
            .set(OUTBOX.MESSAGE, param("message", String.class)))
        .set("seq", envelope.id().seq()).set("type", op.type()).set("json", codec.encode(envelope))
        .set("wall", envelope.hlc().wallMillis()).set("logical", envelope.hlc().logical()).set("at", nowMillis)
        .set("station", envelope.station()).set("actor", envelope.actor()).set("bag", bagOf(op))
        .set("message", truncate(message))
        .execute();
  }

  /** The bag an op is about: the child of a link or unlink, the parent otherwise. */
  private static String bagOf(Op op) {
    return op.bag();
  }

  private static String truncate(String message) {
    return message.length() > 300 ? message.substring(0, 300) : message;
  }

  /** Applies accepted effects; each must change exactly the rows it names or the transaction fails. */
  void apply(List<Effect> effects, String actor, String station, long nowMillis, long seq) {
    for (int i = 0; i < effects.size(); i++) {
      Effect effect = effects.get(i);
      Effect next = i + 1 < effects.size() ? effects.get(i + 1) : null;
      if (effect instanceof Effect.CreateBag c && next instanceof Effect.AddLink l && l.child().equals(c.code())) {
        // a new child and its link: one insert instead of an insert and an update
        check(insertBag(c, l.parent(), actor, station, nowMillis, seq), effect);
        check(addToCount(l.parent(), 1), next);
        bags.put(c.code(), Optional.of(new BagFacts(c.code(), c.role(), c.expectedCount(), c.limit(), 0, false, l.parent(), false)));
        adjustCount(l.parent(), 1);
        i++;
        continue;
      }
      switch (effect) {
        case Effect.CreateBag c -> {
          check(insertBag(c, null, actor, station, nowMillis, null), effect);
          bags.put(c.code(), Optional.of(new BagFacts(c.code(), c.role(), c.expectedCount(), c.limit(), 0, false, null, false)));
        }
        case Effect.AddLink l -> {
          check(queries.statement("bag.link", d -> d.update(BAG)
                  .set(BAG.PARENT_CODE, param("parent", String.class))
                  .set(BAG.LINKED_AT, param("at", Long.class))
                  .set(BAG.LINKED_BY, param("actor", String.class))
                  .set(BAG.LINKED_STATION, param("station", String.class))
                  .set(BAG.LINK_SEQ, param("seq", Long.class))
                  .where(BAG.CODE.eq(param("child", String.class)).and(BAG.PARENT_CODE.isNull())))
              .set("parent", l.parent()).set("at", nowMillis).set("actor", actor).set("station", station)
              .set("seq", seq).set("child", l.child())
              .execute(), effect);
          check(addToCount(l.parent(), 1), effect);
          bags.remove(l.child());
          adjustCount(l.parent(), 1);
        }
        case Effect.RemoveLink r -> {
          check(queries.statement("bag.unlink", d -> d.update(BAG)
                  .setNull(BAG.PARENT_CODE)
                  .setNull(BAG.LINKED_AT)
                  .setNull(BAG.LINKED_BY)
                  .setNull(BAG.LINKED_STATION)
                  .setNull(BAG.LINK_SEQ)
                  .where(BAG.CODE.eq(param("child", String.class)).and(BAG.PARENT_CODE.eq(param("parent", String.class)))))
              .set("child", r.child()).set("parent", r.parent())
              .execute(), effect);
          check(addToCount(r.parent(), -1), effect);
          bags.remove(r.child());
          adjustCount(r.parent(), -1);
        }
        case Effect.MarkFinished f -> {
          check(dsl.update(BAG).set(BAG.FINISHED_AT, nowMillis).set(BAG.FINISHED_BY, actor)
              .where(BAG.CODE.eq(f.parent())).execute(), effect);
          bags.remove(f.parent());
        }
        case Effect.ClearFinished f -> {
          check(dsl.update(BAG).setNull(BAG.FINISHED_AT).setNull(BAG.FINISHED_BY)
              .where(BAG.CODE.eq(f.parent())).execute(), effect);
          bags.remove(f.parent());
        }
      }
    }
  }

  private int insertBag(Effect.CreateBag c, String parent, String actor, String station, long nowMillis, Long seq) {
    return queries.statement("bag.insert", d -> d.insertInto(BAG)
            .set(BAG.CODE, param("code", String.class))
            .set(BAG.ROLE, param("role", String.class))
            .set(BAG.EXPECTED_COUNT, param("expected", Integer.class))
            .set(BAG.LIMIT_COUNT, param("limit", Integer.class))
            .set(BAG.CREATED_AT, param("at", Long.class))
            .set(BAG.CREATED_BY, param("actor", String.class))
            .set(BAG.CREATED_STATION, param("station", String.class))
            .set(BAG.PARENT_CODE, param("parent", String.class))
            .set(BAG.LINKED_AT, param("linkedAt", Long.class))
            .set(BAG.LINKED_BY, param("linkedBy", String.class))
            .set(BAG.LINKED_STATION, param("linkedStation", String.class))
            .set(BAG.LINK_SEQ, param("seq", Long.class)))
        .set("code", c.code()).set("role", c.role().name()).set("expected", c.expectedCount())
        .set("limit", c.limit()).set("at", nowMillis).set("actor", actor).set("station", station)
        .set("parent", parent)
        .set("linkedAt", parent == null ? null : nowMillis)
        .set("linkedBy", parent == null ? null : actor)
        .set("linkedStation", parent == null ? null : station)
        .set("seq", parent == null ? null : seq)
        .execute();
  }

  private int addToCount(String parent, int delta) {
    return queries.statement("bag.count", d -> d.update(BAG)
            .set(BAG.CHILD_COUNT, BAG.CHILD_COUNT.plus(param("delta", Integer.class)))
            .where(BAG.CODE.eq(param("parent", String.class))))
        .set("delta", delta).set("parent", parent)
        .execute();
  }

  /** Keeps a remembered parent in step with the count written, so it need not be read again. */
  private void adjustCount(String parent, int delta) {
    Optional<BagFacts> known = bags.get(parent);
    if (known != null && known.isPresent()) {
      BagFacts b = known.get();
      bags.put(parent, Optional.of(new BagFacts(b.code(), b.role(), b.expectedCount(), b.limit(),
          b.childCount() + delta, b.finished(), b.parent(), b.onFinalizedBill())));
    }
  }

  private static void check(int changed, Effect effect) {
    if (changed != 1) {
      // the Reconciler decided against this very transaction's state, so this is a bug
      throw new IllegalStateException("effect " + effect + " changed " + changed + " rows");
    }
  }

  StationState station(String name, long nowMillis) {
    return queries.statement("station.byName", d -> d.select(STATION.PARENT_CODE, STATION.PENDING_FINISH_AT,
                STATION.LAST_ACTIVITY_AT, STATION.PENDING_FINISH_COUNT)
            .from(STATION).where(STATION.NAME.eq(param("name", String.class))))
        .set("name", name)
        .fetchOne(r -> new StationState(name, r.getString(1), r.getObject(2) == null ? null : r.getLong(2),
            r.getObject(4) == null ? null : r.getInt(4), r.getLong(3)))
        .orElseGet(() -> new StationState(name, null, null, null, nowMillis));
  }

  void saveStation(StationState s, String user) {
    queries.statement("station.upsert", d -> d.insertInto(STATION)
            .set(STATION.NAME, param("name", String.class))
            .set(STATION.SIGNED_IN_USER, param("user", String.class))
            .set(STATION.PARENT_CODE, param("parent", String.class))
            .set(STATION.PENDING_FINISH_AT, param("pending", Long.class))
            .set(STATION.PENDING_FINISH_COUNT, param("pendingCount", Integer.class))
            .set(STATION.LAST_ACTIVITY_AT, param("at", Long.class))
            .onConflict(STATION.NAME)
            .doUpdate()
            .set(STATION.SIGNED_IN_USER, param("user2", String.class))
            .set(STATION.PARENT_CODE, param("parent2", String.class))
            .set(STATION.PENDING_FINISH_AT, param("pending2", Long.class))
            .set(STATION.PENDING_FINISH_COUNT, param("pendingCount2", Integer.class))
            .set(STATION.LAST_ACTIVITY_AT, param("at2", Long.class)))
        .set("name", s.name()).set("user", user).set("parent", s.parent())
        .set("pending", s.pendingFinishAt()).set("pendingCount", s.pendingFinishCount()).set("at", s.lastActivityAt())
        .set("user2", user).set("parent2", s.parent())
        .set("pending2", s.pendingFinishAt()).set("pendingCount2", s.pendingFinishCount()).set("at2", s.lastActivityAt())
        .execute();
  }

  /**
   * The most recent link made at this station that still stands: the newest of the station's LINK
   * ops that is still its child's current link. Looks back at most {@code window} ops.
   */
  Optional<LastLink> lastLink(String station, int window) {
    return dsl.select(BAG.CODE, BAG.PARENT_CODE, BAG.LINKED_AT)
        .from(OUTBOX)
        .join(BAG).on(BAG.CODE.eq(OUTBOX.BAG_CODE).and(BAG.LINK_SEQ.eq(OUTBOX.SEQ)))
        .where(OUTBOX.STATION.eq(station))
        .and(OUTBOX.OP_TYPE.eq(Op.LINK))
        .and(OUTBOX.SEQ.gt(dsl.select(DSL.max(OUTBOX.SEQ).minus(window)).from(OUTBOX)))
        .orderBy(OUTBOX.SEQ.desc())
        .limit(1)
        .fetchOptional(r -> new LastLink(r.value1(), r.value2(), r.value3()));
  }

  /** Records a scan that produced no op (one that did is recorded by its outbox row). */
  void logScan(ScanResult result, String station, String actor) {
    queries.statement("scanlog.insert", d -> d.insertInto(SCAN_LOG)
            .set(SCAN_LOG.AT, param("at", Long.class))
            .set(SCAN_LOG.STATION, param("station", String.class))
            .set(SCAN_LOG.ACTOR, param("actor", String.class))
            .set(SCAN_LOG.CODE, param("code", String.class))
            .set(SCAN_LOG.OUTCOME, param("outcome", String.class))
            .set(SCAN_LOG.REASON, param("reason", String.class))
            .set(SCAN_LOG.MESSAGE, param("message", String.class))
            .set(SCAN_LOG.PARENT_CODE, param("parent", String.class)))
        .set("at", result.at().toEpochMilli()).set("station", station).set("actor", actor)
        .set("code", result.code()).set("outcome", result.outcome().name()).set("reason", result.reason() == null ? null : result.reason().name())
        .set("message", truncate(result.message()))
        .set("parent", result.parent())
        .execute();
  }

  /**
   * The station's latest scans, newest first: at most {@code shown}, merged from the scan log (no
   * op) and the outbox (an op), each looked for among the last {@code window} rows of its table.
   */
  List<StationView.RecentScan> recentScans(String station, int window, int shown) {
    // newest first from the end of both logs; the bounds keep an idle station's lookup short
    List<StationView.RecentScan> merged = new ArrayList<>(dsl.selectFrom(SCAN_LOG)
        .where(SCAN_LOG.STATION.eq(station))
        .and(SCAN_LOG.ID.gt(dsl.select(DSL.max(SCAN_LOG.ID).minus(window)).from(SCAN_LOG)))
        .orderBy(SCAN_LOG.ID.desc())
        .limit(shown)
        .fetch(r -> new StationView.RecentScan(Instant.ofEpochMilli(r.getAt()), r.getCode(),
            "ACCEPTED".equals(r.getOutcome()), r.getReason(), r.getMessage(), null)));
    // an op the hub refused (a conflict of this dock's that did not stand) is marked: the dock took
    // the scan, the hub did not, and a green tick alone would say otherwise
    var refusedBy = DSL.field(dsl.select(CONFLICT.CODE).from(CONFLICT)
        .where(CONFLICT.OP_SEQ.eq(OUTBOX.SEQ))
        .and(CONFLICT.EDGE_ID.eq(dsl.select(EDGE_META.EDGE_ID).from(EDGE_META).where(EDGE_META.ID.eq(1))))
        .and(CONFLICT.OP_APPLIED.eq(0))
        .limit(1));
    merged.addAll(dsl.select(OUTBOX.CREATED_AT, OUTBOX.OP_TYPE, OUTBOX.BAG_CODE, OUTBOX.MESSAGE, refusedBy)
        .from(OUTBOX)
        .where(OUTBOX.STATION.eq(station))
        .and(OUTBOX.SEQ.gt(dsl.select(DSL.max(OUTBOX.SEQ).minus(window)).from(OUTBOX)))
        .orderBy(OUTBOX.SEQ.desc())
        .limit(shown)
        .fetch(r -> new StationView.RecentScan(Instant.ofEpochMilli(r.value1()), scannedCode(r.value2(), r.value3()),
            true, null, r.value4(), r.value5())));
    merged.sort(Comparator.comparing(StationView.RecentScan::at).reversed());
    return merged.subList(0, Math.min(shown, merged.size()));
  }

  /** What was scanned to make an op of this type about this bag (undo's op is about the child). */
  private static String scannedCode(String opType, String bag) {
    return switch (opType) {
      case Op.UNLINK -> StationCommand.UNDO.barcode();
      case Op.FINISH -> StationCommand.FINISH.barcode();
      default -> bag;
    };
  }
}
