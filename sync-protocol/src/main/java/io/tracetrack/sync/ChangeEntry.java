package io.tracetrack.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the hub's change log as a dock receives it. The payload stays JSON text until the
 * dock asks for it as a {@link Change} ({@link WireCodec#change}), so an entry of a type this dock
 * does not know yet passes through and is skipped, not refused.
 *
 * @param seq its position: commit order, no gaps
 * @param type the wire name ({@link ChangeType#wire()})
 * @param key the entity it is about (a bag code, a bill, a user, a conflict id)
 * @param at when the hub committed it
 * @param origin who or what wrote it: a user name, or {@code edge:<edgeId>:<seq>} for a dock's op
 * @param payload the JSON object of the change
 */
public record ChangeEntry(long seq, String type, String key, Instant at, String origin, String payload) {

  public ChangeEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(payload, "payload");
  }
}
