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

  /**
   * What this op says, as a short stable digest: its type and fields, its HLC, actor, dock and
   * station (not its {@code seq}, nor how some version of the codec spells it). The hub keeps it per
   * {@code (edge, seq)} and compares a resent op with it: the same fingerprint is a duplicate, a
   * different one under a used {@code seq} is {@code SEQ_REUSED} (a restored backup), never a
   * duplicate. Spelled out field by field, so a field added to an op later changes nothing for the
   * ops that do not use it.
   */
  public String fingerprint() {
    String what = switch (op) {
      case Op.CreateParent c -> "create|" + c.parent() + "|" + c.expectedCount() + "|" + c.limit();
      case Op.Link l -> "link|" + l.parent() + "|" + l.child();
      case Op.Unlink u -> "unlink|" + u.parent() + "|" + u.child() + "|" + u.reason().name();
      case Op.Finish f -> "finish|" + f.parent() + "|" + f.countSeen();
    };
    String text = what + "|" + hlc.wallMillis() + "." + hlc.logical() + "|" + actor + "|" + dock + "|" + station;
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void requireName(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank() || value.length() > 64) {
      throw new IllegalArgumentException(field + " must be 1-64 characters");
    }
  }
}
