package io.tracetrack.edge.sync;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Sync as the station sees it: the status strip, the dock's conflicts, and acknowledging one. A
 * dock that is not enrolled has none of it ({@link #notEnrolled()}); the station page then shows
 * "not connected to a hub" and nothing else changes.
 */
public final class DockSync {

  private static final Logger LOG = Logger.getLogger(DockSync.class.getName());

  private final SyncStore store;
  private final HubApi hub;
  private final SyncWorker worker;
  private final Executor background;

  /**
   * @param worker the running worker (for bootstrap progress), or null
   * @param background where the hub is told of an acknowledgement, off the request thread
   */
  public DockSync(SyncStore store, HubApi hub, SyncWorker worker, Executor background) {
    this.store = store;
    this.hub = hub;
    this.worker = worker;
    this.background = background;
  }

  public static DockSync notEnrolled() {
    return new DockSync(null, null, null, Runnable::run);
  }

  public boolean enrolled() {
    return store != null;
  }

  /** The sync side of the status, when enrolled. */
  public Optional<SyncStore.SyncStatus> status(Instant now) {
    return store == null ? Optional.empty() : Optional.of(store.status(now));
  }

  /** The snapshot being loaded right now, if one is. */
  public Optional<SyncStore.Progress> bootstrap() {
    return worker == null ? Optional.empty() : worker.bootstrap();
  }

  /** This dock's conflicts for the station: the open ones (not yet acknowledged here), newest first. */
  public List<SyncStore.LocalConflict> openConflicts(int max) {
    return store == null ? List.of() : store.conflicts(true, max);
  }

  /**
   * Someone at the dock saw the conflict: it leaves the station's list at once; the hub is told in
   * the background, best effort (the hub's record of it is a courtesy to the admin, and a dock
   * offline for days must still be able to clear its screen).
   *
   * @return false when this dock has no such conflict
   */
  public boolean acknowledge(long conflictId, String user, Instant at) {
    if (store == null || !store.acknowledge(conflictId, user, at)) {
      return false;
    }
    background.execute(() -> {
      HubClient.Result<Long> told = hub.ack(conflictId);
      if (told instanceof HubClient.Result.Ok<Long>) {
        store.ackSent(conflictId);
      } else {
        // kept as unsent: the push loop tells the hub on a later round
        LOG.info("sync: the hub was not told yet that conflict " + conflictId + " was acknowledged: " + told);
      }
    });
    return true;
  }
}
