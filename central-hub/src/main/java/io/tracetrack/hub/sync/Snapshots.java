package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG_HEAD;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;
import static io.tracetrack.hub.db.jooq.Tables.USER_DOCK_ACCESS;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A dock's snapshot ({@code GET /api/v1/sync/snapshot}): every bag, the users who may sign in at it, its
 * conflicts, and the change-log position they are consistent with, written as NDJSON line by line.
 *
 * <p>Consistent: every row and the cursor are read in one REPEATABLE READ transaction, so the
 * snapshot is the database as of one instant and the cursor is the head at that instant; a change
 * committed a moment later is after the cursor and reaches the dock through the change log. Nothing
 * is held in memory: the rows come through a database cursor ({@link #FETCH} rows a round trip;
 * PostgreSQL streams only with auto-commit off, which the transaction gives) and go out as read.
 */
public final class Snapshots {

  static final int FETCH = 5_000;
  private static final WireCodec WIRE = new WireCodec();

  private final HubDatabase db;

  public Snapshots(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Writes the snapshot for {@code audience} to {@code out} (not closed here); the caller compresses if asked. */
  public void write(ChangeLog.Audience audience, OutputStream out) {
    try (Connection c = db.pool().getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        write(DSL.using(c, db.dialect()), audience, out);
        c.commit();
      } catch (RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("snapshot failed: " + e.getMessage(), e);
    }
  }

  private static void write(DSLContext tx, ChangeLog.Audience audience, OutputStream raw) {
    // the head first: on PostgreSQL the snapshot of a REPEATABLE READ transaction is taken at its
    // first statement, so everything below is read as of the same instant as this cursor
    long cursor = tx.select(CHANGE_LOG_HEAD.LAST_SEQ).from(CHANGE_LOG_HEAD).where(CHANGE_LOG_HEAD.ID.eq(1))
        .fetchSingle().value1();
    // the users who may sign in at this dock, the same rule as the change log's user entries
    // (io.tracetrack.hub.users.UserChanges): its area's active dispatchers, and active users granted it
    Condition users = APP_USER.ANONYMISED.isFalse().and(APP_USER.DISABLED.isFalse())
        .and(APP_USER.ROLE.eq("DISPATCHER").and(APP_USER.AREA_ID.eq(audience.area()))
            .or(DSL.exists(DSL.selectOne().from(USER_DOCK_ACCESS).where(USER_DOCK_ACCESS.USER_ID.eq(APP_USER.ID))
                .and(USER_DOCK_ACCESS.AREA_ID.eq(audience.area())))));
    Condition conflicts = SYNC_CONFLICT.DOCK.eq(audience.dock());
    long bags = tx.fetchCount(BAG);
    long userCount = tx.fetchCount(APP_USER, users);
    long conflictCount = tx.fetchCount(SYNC_CONFLICT, conflicts);
    Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
    try {
      line(out, new SnapshotLine.Begin(cursor, bags, userCount, conflictCount));
      long lines = 0;
      try (var rows = tx.select(BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
          BAG.PARENT_CODE, BAG.FINISHED_AT, BAG.ON_FINALIZED_BILL, BAG.AREA_ID).from(BAG).orderBy(BAG.CODE).fetchSize(FETCH).fetchLazy()) {
        for (var r : rows) {
          line(out, new SnapshotLine.BagRow(r.get(BAG.CODE), r.get(BAG.ROLE), r.get(BAG.EXPECTED_COUNT),
              r.get(BAG.LIMIT_COUNT), r.get(BAG.CHILD_COUNT), r.get(BAG.PARENT_CODE), r.get(BAG.FINISHED_AT) != null,
              r.get(BAG.ON_FINALIZED_BILL), r.get(BAG.AREA_ID)));
          lines++;
        }
      }
      try (var rows = tx.selectFrom(APP_USER).where(users).orderBy(APP_USER.USERNAME).fetchSize(FETCH).fetchLazy()) {
        for (var u : rows) {
          line(out, new SnapshotLine.UserRow(new Change.User(u.getUsername(), u.getRole(), u.getAreaId(),
              !u.getDisabled(), u.getPasswordHash())));
          lines++;
        }
      }
      try (var rows = tx.selectFrom(SYNC_CONFLICT).where(conflicts).orderBy(SYNC_CONFLICT.ID).fetchSize(FETCH).fetchLazy()) {
        for (var r : rows) {
          String status = "OPEN".equals(r.getStatus()) ? "OPEN" : r.getResolution();
          line(out, new SnapshotLine.ConflictRow(ConflictStore.opened(r), status));
          lines++;
        }
      }
      line(out, new SnapshotLine.End(cursor, lines));
      out.flush();
    } catch (IOException e) {
      // the dock went away mid-stream: it discards a snapshot without its End line
      throw new UncheckedIOException(e);
    }
  }

  private static void line(Writer out, SnapshotLine line) throws IOException {
    out.write(WIRE.encode(line));
    out.write('\n');
  }
}
