package io.tracetrack.sync;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The hub's answer to a push: one outcome per op sent, in the batch's order.
 *
 * @param lastSeq the highest {@code seq} of this edge the hub has answered (applied, duplicate or
 *     refused), committed: the edge may forget every op up to it and resends from the next
 * @param hubTime the hub's clock when it answered
 */
public record PushReply(long lastSeq, Instant hubTime, List<OpOutcome> outcomes) {

  public PushReply {
    Objects.requireNonNull(hubTime, "hubTime");
    outcomes = List.copyOf(outcomes);
  }
}
