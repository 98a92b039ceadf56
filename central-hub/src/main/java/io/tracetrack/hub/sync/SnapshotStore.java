package io.tracetrack.hub.sync;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG_HEAD;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;
import static io.tracetrack.hub.db.jooq.Tables.USER_DOCK_ACCESS;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.web.Store;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads of a dock's snapshot, inside the one REPEATABLE READ transaction {@link Snapshots}
 * runs them in: the head, the counts, then every row streamed through a database cursor
 * ({@link #FETCH} rows a round trip), handed on as read, never held.
 */
@Store
final class SnapshotStore {

  static final int FETCH = 5_000;

  private final DSLContext tx;
  private final ChangeLog.Audience audience;

  SnapshotStore(DSLContext tx, ChangeLog.Audience audience) {
    this.tx = tx;
    this.audience = audience;
  }

  /** The change log's head: read first, the position everything after it is consistent with. */
  long head() {
    return tx.select(CHANGE_LOG_HEAD.LAST_SEQ).from(CHANGE_LOG_HEAD).where(CHANGE_LOG_HEAD.ID.eq(1)).fetchSingle().value1();
  }

  /**
   * The users who may sign in at this dock, the same rule as the change log's user entries
   * (io.tracetrack.hub.users.UserChanges): its area's active dispatchers, and active users granted it.
   */
  private Condition users() {
    return APP_USER.ANONYMISED.isFalse().and(APP_USER.DISABLED.isFalse())
        .and(APP_USER.ROLE.eq("DISPATCHER").and(APP_USER.AREA_ID.eq(audience.area()))
            .or(DSL.exists(DSL.selectOne().from(USER_DOCK_ACCESS).where(USER_DOCK_ACCESS.USER_ID.eq(APP_USER.ID))
                .and(USER_DOCK_ACCESS.AREA_ID.eq(audience.area())))));
  }

  private Condition conflicts() {
    return SYNC_CONFLICT.DOCK.eq(audience.dock());
  }

  /** How many lines of each kind follow: every bag, this dock's users and its conflicts. */
  SnapshotLine.Begin begin(long cursor) {
    return new SnapshotLine.Begin(cursor, tx.fetchCount(BAG), tx.fetchCount(APP_USER, users()),
        tx.fetchCount(SYNC_CONFLICT, conflicts()));
  }

  /** Every bag, in code order. @return how many */
  long bags(Consumer<SnapshotLine> each) {
    long n = 0;
    try (var rows = tx.select(BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
        BAG.PARENT_CODE, BAG.FINISHED_AT, BAG.ON_FINALIZED_BILL, BAG.AREA_ID).from(BAG).orderBy(BAG.CODE).fetchSize(FETCH).fetchLazy()) {
      for (var r : rows) {
        each.accept(new SnapshotLine.BagRow(r.get(BAG.CODE), r.get(BAG.ROLE), r.get(BAG.EXPECTED_COUNT),
            r.get(BAG.LIMIT_COUNT), r.get(BAG.CHILD_COUNT), r.get(BAG.PARENT_CODE), r.get(BAG.FINISHED_AT) != null,
            r.get(BAG.ON_FINALIZED_BILL), r.get(BAG.AREA_ID)));
        n++;
      }
    }
    return n;
  }

  /** The users who may sign in at the dock, by name. @return how many */
  long users(Consumer<SnapshotLine> each) {
    long n = 0;
    try (var rows = tx.selectFrom(APP_USER).where(users()).orderBy(APP_USER.USERNAME).fetchSize(FETCH).fetchLazy()) {
      for (var u : rows) {
        each.accept(new SnapshotLine.UserRow(new Change.User(u.getUsername(), u.getRole(), u.getAreaId(),
            !u.getDisabled(), u.getPasswordHash())));
        n++;
      }
    }
    return n;
  }

  /** The dock's conflicts, open or resolved, by id. @return how many */
  long conflicts(Consumer<SnapshotLine> each) {
    long n = 0;
    try (var rows = tx.selectFrom(SYNC_CONFLICT).where(conflicts()).orderBy(SYNC_CONFLICT.ID).fetchSize(FETCH).fetchLazy()) {
      for (var r : rows) {
        String status = "OPEN".equals(r.getStatus()) ? "OPEN" : r.getResolution();
        each.accept(new SnapshotLine.ConflictRow(ConflictStore.opened(r), status));
        n++;
      }
    }
    return n;
  }
}
