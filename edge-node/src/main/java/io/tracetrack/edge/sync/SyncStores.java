package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.EdgeDatabase;
import java.time.Clock;

/** Opens the edge's {@link SyncStore} on its database: the one place {@code Main} gets it from. */
public final class SyncStores {

  private SyncStores() {}

  /**
   * The SQLite sync store of this database (outbox, replica, conflicts).
   *
   * <p>The store is built on the {@code replica} branch, in parallel with the worker; this factory
   * is where the two meet at the merge.
   */
  public static SyncStore open(EdgeDatabase db, Clock clock) {
    throw new UnsupportedOperationException("replica branch");
  }
}
