package io.tracetrack.hub.sync;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A dock's snapshot ({@code GET /api/v1/sync/snapshot}): every bag, the users who may sign in at it, its
 * conflicts, and the change-log position they are consistent with, written as NDJSON line by line.
 *
 * <p>Consistent: every row and the cursor are read in one REPEATABLE READ transaction, so the
 * snapshot is the database as of one instant and the cursor is the head at that instant; a change
 * committed a moment later is after the cursor and reaches the dock through the change log. Nothing
 * is held in memory: the rows come through a database cursor ({@link SnapshotStore#FETCH} rows a
 * round trip; PostgreSQL streams only with auto-commit off, which the transaction gives) and go out as read.
 */
public final class Snapshots {

  private static final WireCodec WIRE = new WireCodec();

  private final HubDatabase db;

  public Snapshots(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Writes the snapshot for {@code audience} to {@code out} (not closed here); the caller compresses if asked. */
  public void write(ChangeLog.Audience audience, OutputStream out) {
    db.repeatableRead(tx -> write(new SnapshotStore(tx, audience), out));
  }

  private static void write(SnapshotStore store, OutputStream raw) {
    // the head first: on PostgreSQL the snapshot of a REPEATABLE READ transaction is taken at its
    // first statement, so everything below is read as of the same instant as this cursor
    long cursor = store.head();
    Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
    java.util.function.Consumer<SnapshotLine> line = l -> line(out, l);
    try {
      line(out, store.begin(cursor));
      long lines = store.bags(line) + store.users(line) + store.conflicts(line);
      line(out, new SnapshotLine.End(cursor, lines));
      out.flush();
    } catch (IOException e) {
      // the dock went away mid-stream: it discards a snapshot without its End line
      throw new UncheckedIOException(e);
    }
  }

  private static void line(Writer out, SnapshotLine line) {
    try {
      out.write(WIRE.encode(line));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
