package io.tracetrack.edge.scan;

import io.tracetrack.sync.Hlc;

/**
 * The edge's identity and where its op stream stands: the last seq handed out and the last HLC
 * stamp (from the outbox's last row, or the stored floors when the outbox is empty).
 */
public record EdgeMeta(String edgeId, String dock, long lastSeq, Hlc hlc, boolean usersFromHub) {

  /** These floors, moved up to an outbox row's seq and stamp where those are later. */
  EdgeMeta advancedTo(long seq, Hlc stamp) {
    return new EdgeMeta(edgeId, dock, Math.max(lastSeq, seq), stamp.isAfter(hlc) ? stamp : hlc, usersFromHub);
  }
}
