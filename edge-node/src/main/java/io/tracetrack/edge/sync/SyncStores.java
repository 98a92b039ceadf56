package io.tracetrack.edge.sync;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.model.CodeGrammar;
import java.time.Clock;

/** Opens the edge's {@link SyncStore} on its database: the one place {@code Main} gets it from. */
public final class SyncStores {

  private SyncStores() {}

  /**
   * The SQLite sync store of this database (outbox, replica, conflicts); {@code grammar} is the
   * dock's, which replays its pending ops over the hub's state.
   */
  public static SyncStore open(EdgeDatabase db, CodeGrammar grammar, Clock clock) {
    return new SqliteSyncStore(db, grammar, clock);
  }

  /**
   * The same store applying pulled pages in transactions of exactly {@code entriesPerStep} entries
   * (1..200) instead of by a time budget: the simulator's, so a seed replays the same
   * interleaving of pull steps and rebases on any machine.
   */
  public static SyncStore openInFixedSteps(EdgeDatabase db, CodeGrammar grammar, Clock clock, int entriesPerStep) {
    SqliteSyncStore store = new SqliteSyncStore(db, grammar, clock);
    store.fixedSteps(entriesPerStep);
    return store;
  }
}
