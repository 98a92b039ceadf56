package io.tracetrack.model;

import java.util.Objects;

/** What FINISH does to a parent (F-SCAN 3). */
public sealed interface FinishDecision {

  /** Mark the parent finished now. */
  record Finish() implements FinishDecision {}

  /** Already complete: nothing to do, not an error. */
  record AlreadyComplete() implements FinishDecision {}

  /** Short of its count: ask the person to confirm (a second FINISH). */
  record NeedsConfirmation(Rejection rejection) implements FinishDecision {
    public NeedsConfirmation {
      Objects.requireNonNull(rejection, "rejection");
    }
  }

  /** Not allowed at all. */
  record Refused(Rejection rejection) implements FinishDecision {
    public Refused {
      Objects.requireNonNull(rejection, "rejection");
    }
  }
}
