package io.tracetrack.hub.sync;

import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;

import io.tracetrack.hub.db.HubDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Conflict rows straight into {@code sync_conflict}, as push writes them: the conflicts API and the
 * dock's pull read and resolve them without a push in the test.
 */
public final class ConflictFixture {

  private static final AtomicLong SEQ = new AtomicLong(1);
  private static final OffsetDateTime AT = OffsetDateTime.of(2025, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);

  private ConflictFixture() {}

  /** A refused LINK of {@code child} to {@code parent} at {@code dock}: CHILD_ALREADY_LINKED; its id. */
  public static long link(HubDatabase db, String dock, String parent, String child) {
    return insert(db, dock, "LINK", parent, child, "CHILD_ALREADY_LINKED");
  }

  /** A conflict of any op type with any code; its id. */
  public static long insert(HubDatabase db, String dock, String opType, String parent, String child, String code) {
    long seq = SEQ.getAndIncrement();
    return db.dsl().insertInto(SYNC_CONFLICT)
        .set(SYNC_CONFLICT.CODE, code).set(SYNC_CONFLICT.MESSAGE, child + " is already on another parent")
        .set(SYNC_CONFLICT.DOCK, dock).set(SYNC_CONFLICT.EDGE_ID, "edge-" + dock).set(SYNC_CONFLICT.OP_SEQ, seq)
        .set(SYNC_CONFLICT.OP_TYPE, opType)
        .set(SYNC_CONFLICT.OP_JSON, "{\"type\":\"" + opType + "\"}")
        .set(SYNC_CONFLICT.PARENT_CODE, parent).set(SYNC_CONFLICT.CHILD_CODE, child)
        .set(SYNC_CONFLICT.ACTOR, "ravi").set(SYNC_CONFLICT.STATION, "s1")
        .set(SYNC_CONFLICT.HLC_WALL, 1_700_000_000_000L + seq).set(SYNC_CONFLICT.HLC_LOGICAL, 0)
        .set(SYNC_CONFLICT.HUB_AT, AT).set(SYNC_CONFLICT.OTHER_DOCK, "API")
        .returningResult(SYNC_CONFLICT.ID).fetchOne().value1();
  }
}
