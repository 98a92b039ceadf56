package io.tracetrack.edge.scan;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.Reconciler;

/**
 * Replays a dock's own pending ops onto the station's view after sync reset some bags to the hub's
 * state: the same decision ({@link Reconciler}) and the same writes ({@link StoreTx#apply}) a scan
 * makes, so a replayed link looks exactly like a scanned one (undo still finds it by its seq).
 * Lives here because the write path is this package's; the scan path itself does not use it.
 * Never outlives the transaction of the session it was made with.
 */
public final class ViewReplay {

  private final StoreTx tx;
  private final Reconciler reconciler;

  public ViewReplay(EdgeDatabase.Session session, Reconciler reconciler) {
    this.tx = new StoreTx(session, new OpCodec());
    this.reconciler = reconciler;
  }

  /**
   * Decides {@code op} against the view as it now stands and applies it if it is accepted; one the
   * Reconciler now refuses simply has no effect on the view (it stays pending until the hub answers).
   *
   * @param createdAt when the op was scanned (its outbox row's time), kept as the link's time
   * @return whether it changed the view
   */
  public boolean replay(OpEnvelope op, long createdAt) {
    if (reconciler.decide(op.op(), tx) instanceof Decision.Accepted accepted) {
      tx.apply(accepted.effects(), op.actor(), op.station(), createdAt, op.id().seq());
      return !accepted.effects().isEmpty();
    }
    return false;
  }
}
