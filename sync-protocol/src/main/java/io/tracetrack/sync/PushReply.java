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
 * @param logPosition the hub's change-log position at which every op up to {@code lastSeq} is true
 *     in the log (the batch's last entry, or the head its transaction saw when it added none): a
 *     dock whose replica has pulled up to here holds each of those ops' effects, also the ops that
 *     changed nothing because another dock had made the same change first. {@code null} from a hub
 *     that does not say (before 2026-12): the dock then waits for its own ops' entries.
 */
public record PushReply(long lastSeq, Instant hubTime, List<OpOutcome> outcomes, Long logPosition) {

  public PushReply {
    Objects.requireNonNull(hubTime, "hubTime");
    outcomes = List.copyOf(outcomes);
    if (logPosition != null && logPosition < 0) {
      throw new IllegalArgumentException("logPosition must not be negative: " + logPosition);
    }
  }

  /** A reply that does not say where in the change log its ops stand. */
  public PushReply(long lastSeq, Instant hubTime, List<OpOutcome> outcomes) {
    this(lastSeq, hubTime, outcomes, null);
  }
}
