package io.tracetrack.sync;

import io.tracetrack.model.ErrorCode;
import java.util.Objects;

/**
 * What the hub made of one pushed op. Business refusals are outcomes, never HTTP errors, so one
 * refused op cannot wedge a dock's queue.
 *
 * @param seq the op's {@code seq}
 * @param status see {@link Status}
 * @param code why it was refused (REJECTED), or the difference recorded although it stood (APPLIED
 *     with a conflict); else {@code null}. An {@link ErrorCode} name, kept as text so an older dock
 *     still records a refusal whose code a newer hub added.
 * @param message the sentence for people, or {@code null}
 * @param conflictId the conflict the hub recorded for it, or {@code null}
 */
public record OpOutcome(long seq, Status status, String code, String message, Long conflictId) {

  public enum Status {
    /** Applied now, in the hub's commit order. */
    APPLIED,
    /** Applied (or refused) before: this copy changed nothing. */
    DUPLICATE,
    /** Refused with {@code code}; nothing changed but the conflict record. */
    REJECTED,
    /** Not looked at: an earlier {@code seq} is missing, so this waits until the gap is filled. */
    HELD
  }

  public OpOutcome {
    Objects.requireNonNull(status, "status");
    if (status == Status.REJECTED && code == null) {
      throw new IllegalArgumentException("a rejection needs a code");
    }
  }

  public static OpOutcome rejected(long seq, ErrorCode code, String message, Long conflictId) {
    return new OpOutcome(seq, Status.REJECTED, code.name(), message, conflictId);
  }

  public static OpOutcome applied(long seq) {
    return new OpOutcome(seq, Status.APPLIED, null, null, null);
  }

  public static OpOutcome duplicate(long seq) {
    return new OpOutcome(seq, Status.DUPLICATE, null, null, null);
  }

  public static OpOutcome held(long seq, long missing) {
    return new OpOutcome(seq, Status.HELD, null, "waiting for op " + missing + " of this edge", null);
  }
}
