package io.tracetrack.edge.scan;

import static io.tracetrack.edge.db.jooq.Tables.BAG;
import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;
import static io.tracetrack.edge.db.jooq.Tables.SCAN_LOG;
import static io.tracetrack.edge.db.jooq.Tables.STATION;

import io.tracetrack.edge.db.jooq.tables.records.BagRecord;
import io.tracetrack.edge.db.jooq.tables.records.EdgeMetaRecord;
import io.tracetrack.edge.db.jooq.tables.records.StationRecord;
import io.tracetrack.model.BagRole;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.HybridClock;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.StateView;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The edge store as seen from inside one write transaction: the Reconciler reads through it
 * ({@link StateView}), effects and ops are written through it. Never outlives its transaction.
 */
final class StoreTx implements StateView {

  private final DSLContext dsl;
  private final OpCodec codec;

  StoreTx(DSLContext dsl, OpCodec codec) {
    this.dsl = dsl;
    this.codec = codec;
  }

  @Override
  public Optional<BagFacts> bag(String code) {
    return dsl.selectFrom(BAG).where(BAG.CODE.eq(code)).fetchOptional().map(StoreTx::facts);
  }

  static BagFacts facts(BagRecord r) {
    return new BagFacts(r.getCode(), BagRole.valueOf(r.getRole()), r.getExpectedCount(), r.getLimitCount(),
        r.getChildCount(), r.getFinishedAt() != null, r.getParentCode(), r.getOnFinalizedBill() != 0);
  }

  EdgeMeta meta() {
    EdgeMetaRecord r = dsl.selectFrom(EDGE_META).where(EDGE_META.ID.eq(1)).fetchSingle();
    return new EdgeMeta(r.getEdgeId(), r.getDock(), r.getLastSeq(), new Hlc(r.getHlcWall(), r.getHlcLogical()),
        r.getUsersFromHub() != 0);
  }

  /**
   * Appends an op to the outbox with the next seq and a fresh HLC stamp, advancing both in the
   * same transaction as the op's effect.
   */
  OpEnvelope appendOp(Op op, String actor, String station, long nowMillis) {
    EdgeMeta meta = meta();
    long seq = meta.lastSeq() + 1;
    Hlc hlc = HybridClock.tick(meta.hlc(), nowMillis);
    OpEnvelope envelope = new OpEnvelope(new OpId(meta.edgeId(), seq), hlc, actor, meta.dock(), station, op);
    dsl.insertInto(OUTBOX)
        .set(OUTBOX.SEQ, seq)
        .set(OUTBOX.OP_TYPE, op.type())
        .set(OUTBOX.OP_JSON, codec.encode(envelope))
        .set(OUTBOX.HLC_WALL, hlc.wallMillis())
        .set(OUTBOX.HLC_LOGICAL, hlc.logical())
        .set(OUTBOX.CREATED_AT, nowMillis)
        .execute();
    dsl.update(EDGE_META)
        .set(EDGE_META.LAST_SEQ, seq)
        .set(EDGE_META.HLC_WALL, hlc.wallMillis())
        .set(EDGE_META.HLC_LOGICAL, hlc.logical())
        .where(EDGE_META.ID.eq(1))
        .execute();
    return envelope;
  }

  /** Applies accepted effects; each must change exactly the rows it names or the transaction fails. */
  void apply(List<Effect> effects, String actor, String station, long nowMillis, long seq) {
    for (Effect effect : effects) {
      int changed = switch (effect) {
        case Effect.CreateBag c -> dsl.insertInto(BAG)
            .set(BAG.CODE, c.code())
            .set(BAG.ROLE, c.role().name())
            .set(BAG.EXPECTED_COUNT, c.expectedCount())
            .set(BAG.LIMIT_COUNT, c.limit())
            .set(BAG.CREATED_AT, nowMillis)
            .set(BAG.CREATED_BY, actor)
            .set(BAG.CREATED_STATION, station)
            .execute();
        case Effect.AddLink l -> dsl.update(BAG)
            .set(BAG.PARENT_CODE, l.parent())
            .set(BAG.LINKED_AT, nowMillis)
            .set(BAG.LINKED_BY, actor)
            .set(BAG.LINKED_STATION, station)
            .set(BAG.LINK_SEQ, seq)
            .where(BAG.CODE.eq(l.child()).and(BAG.PARENT_CODE.isNull()))
            .execute()
            + dsl.update(BAG).set(BAG.CHILD_COUNT, BAG.CHILD_COUNT.plus(1)).where(BAG.CODE.eq(l.parent())).execute()
            - 1;
        case Effect.RemoveLink r -> dsl.update(BAG)
            .setNull(BAG.PARENT_CODE)
            .setNull(BAG.LINKED_AT)
            .setNull(BAG.LINKED_BY)
            .setNull(BAG.LINKED_STATION)
            .setNull(BAG.LINK_SEQ)
            .where(BAG.CODE.eq(r.child()).and(BAG.PARENT_CODE.eq(r.parent())))
            .execute()
            + dsl.update(BAG).set(BAG.CHILD_COUNT, BAG.CHILD_COUNT.minus(1)).where(BAG.CODE.eq(r.parent())).execute()
            - 1;
        case Effect.MarkFinished f -> dsl.update(BAG)
            .set(BAG.FINISHED_AT, nowMillis)
            .set(BAG.FINISHED_BY, actor)
            .where(BAG.CODE.eq(f.parent()))
            .execute();
        case Effect.ClearFinished f -> dsl.update(BAG)
            .setNull(BAG.FINISHED_AT)
            .setNull(BAG.FINISHED_BY)
            .where(BAG.CODE.eq(f.parent()))
            .execute();
      };
      if (changed != 1) {
        // the Reconciler decided against this very transaction's state, so this is a bug
        throw new IllegalStateException("effect " + effect + " changed " + changed + " rows");
      }
    }
  }

  StationState station(String name, long nowMillis) {
    StationRecord r = dsl.selectFrom(STATION).where(STATION.NAME.eq(name)).fetchOne();
    if (r == null) {
      return new StationState(name, null, null, nowMillis);
    }
    return new StationState(name, r.getParentCode(), r.getPendingFinishAt(), r.getLastActivityAt());
  }

  void saveStation(StationState s, String user) {
    dsl.insertInto(STATION)
        .set(STATION.NAME, s.name())
        .set(STATION.SIGNED_IN_USER, user)
        .set(STATION.PARENT_CODE, s.parent())
        .set(STATION.PENDING_FINISH_AT, s.pendingFinishAt())
        .set(STATION.LAST_ACTIVITY_AT, s.lastActivityAt())
        .onConflict(STATION.NAME)
        .doUpdate()
        .set(STATION.SIGNED_IN_USER, user)
        .set(STATION.PARENT_CODE, s.parent())
        .set(STATION.PENDING_FINISH_AT, s.pendingFinishAt())
        .set(STATION.LAST_ACTIVITY_AT, s.lastActivityAt())
        .execute();
  }

  Optional<LastLink> lastLink(String station) {
    return dsl.select(BAG.CODE, BAG.PARENT_CODE, BAG.LINKED_AT)
        .from(BAG)
        .where(BAG.LINKED_STATION.eq(station))
        .orderBy(BAG.LINK_SEQ.desc())
        .limit(1)
        .fetchOptional(r -> new LastLink(r.value1(), r.value2(), r.value3()));
  }

  void logScan(ScanResult result, String station, String actor, Long opSeq) {
    dsl.insertInto(SCAN_LOG)
        .set(SCAN_LOG.AT, result.at().toEpochMilli())
        .set(SCAN_LOG.STATION, station)
        .set(SCAN_LOG.ACTOR, actor)
        .set(SCAN_LOG.CODE, result.code())
        .set(SCAN_LOG.OUTCOME, result.outcome().name())
        .set(SCAN_LOG.REASON, result.reason())
        .set(SCAN_LOG.MESSAGE, result.message().length() > 300 ? result.message().substring(0, 300) : result.message())
        .set(SCAN_LOG.PARENT_CODE, result.parent())
        .set(SCAN_LOG.OP_SEQ, opSeq)
        .execute();
  }
}
