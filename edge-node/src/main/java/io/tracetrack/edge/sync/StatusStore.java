package io.tracetrack.edge.sync;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.OUTBOX;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeMeta;
import io.tracetrack.edge.scan.EdgeMetaStore;
import io.tracetrack.web.Store;

/** The rows {@link EdgeStatus} reports from without a sync side, read in one transaction. Decides nothing. */
@Store
final class StatusStore {

  private StatusStore() {}

  /**
   * What the dock's own tables say.
   *
   * @param ackedSeq the last seq the hub answered
   * @param hubUrl the hub this dock enrolled with, or null
   * @param enrolledAt when it enrolled, or null
   * @param oldestPendingAt when the oldest op after {@code ackedSeq} was scanned, or null if none
   * @param receiptsToSend receipts closed here that the hub has not taken yet
   */
  record Local(EdgeMeta meta, long ackedSeq, String hubUrl, Long enrolledAt, Long oldestPendingAt, int receiptsToSend) {}

  static Local local(EdgeDatabase db) {
    return db.read(dsl -> {
      EdgeMeta meta = EdgeMetaStore.load(dsl);
      var row = dsl.select(EDGE_META.ACKED_SEQ, EDGE_META.HUB_URL, EDGE_META.ENROLLED_AT).from(EDGE_META)
          .where(EDGE_META.ID.eq(1)).fetchSingle();
      Long oldest = dsl.select(OUTBOX.CREATED_AT).from(OUTBOX).where(OUTBOX.SEQ.gt(row.value1()))
          .orderBy(OUTBOX.SEQ.asc()).limit(1).fetchOptional(OUTBOX.CREATED_AT).orElse(null);
      return new Local(meta, row.value1(), row.value2(), row.value3(), oldest,
          new io.tracetrack.edge.receiving.ReceiptStore(dsl).unsentCount());
    });
  }
}
