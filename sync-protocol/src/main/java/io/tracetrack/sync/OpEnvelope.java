package io.tracetrack.sync;

import java.util.Objects;

/**
 * An op with everything the hub needs to apply it exactly once and to show who did it.
 *
 * @param id {@code (edgeId, seq)}: exactly-once key and the edge's order
 * @param hlc when it happened, on the edge's hybrid logical clock
 * @param actor the signed-in user who did it
 * @param dock the dock the edge serves
 * @param station the station (page or terminal) at the dock
 * @param op what was done
 */
public record OpEnvelope(OpId id, Hlc hlc, String actor, String dock, String station, Op op) {

  public OpEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hlc, "hlc");
    requireName(actor, "actor");
    requireName(dock, "dock");
    requireName(station, "station");
    Objects.requireNonNull(op, "op");
  }

  private static void requireName(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank() || value.length() > 64) {
      throw new IllegalArgumentException(field + " must be 1-64 characters");
    }
  }
}
