package io.tracetrack.sync;

import java.util.List;
import java.util.Objects;

/**
 * What an edge sends to {@code POST /api/v1/sync/push}: its pending ops in {@code seq} order, and
 * what the hub's fleet view shows about it (its clock, its backlog, its version).
 *
 * @param edgeId the edge sending (must be the one its credential was issued to)
 * @param dock the dock it serves
 * @param clock the edge's hybrid logical clock when it sent the batch: the hub's clock-offset reading
 * @param pendingOps ops waiting on the edge, this batch included
 * @param oldestPendingAt when the oldest of them was made (epoch ms), or {@code null} if none
 * @param version the edge's software version
 * @param ops at most {@link WireCodec#MAX_BATCH} ops, each of this edge, ascending {@code seq}
 */
public record PushBatch(String edgeId, String dock, Hlc clock, long pendingOps, Long oldestPendingAt, String version,
    List<OpEnvelope> ops) {

  public PushBatch {
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(dock, "dock");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(version, "version");
    ops = List.copyOf(ops);
  }
}
