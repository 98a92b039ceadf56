package io.tracetrack.sync;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of an op: the edge that made it and its position in that edge's outbox. The hub
 * applies each {@code (edgeId, seq)} exactly once however often it is resent.
 */
public record OpId(String edgeId, long seq) implements Comparable<OpId> {

  private static final Pattern EDGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

  public OpId {
    Objects.requireNonNull(edgeId, "edgeId");
    if (!EDGE_ID.matcher(edgeId).matches()) {
      throw new IllegalArgumentException("edge id must be 1-64 letters, digits or '-': " + edgeId);
    }
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
  }

  @Override
  public int compareTo(OpId other) {
    int byEdge = edgeId.compareTo(other.edgeId);
    return byEdge != 0 ? byEdge : Long.compare(seq, other.seq);
  }

  @Override
  public String toString() {
    return edgeId + "#" + seq;
  }
}
