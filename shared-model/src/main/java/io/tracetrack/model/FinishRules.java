package io.tracetrack.model;

/** F-SCAN 3: finishing a parent short of its count asks for confirmation and records who did it. */
public final class FinishRules {

  private FinishRules() {}

  public static FinishDecision decide(ParentFacts parent, boolean confirmed) {
    String p = parent.code();
    if (parent.onFinalizedBill()) {
      return new FinishDecision.Refused(
          Rejection.of(ErrorCode.PARENT_FINALIZED, p + " is on a finalized bill; it cannot change"));
    }
    if (parent.isComplete()) {
      return new FinishDecision.AlreadyComplete();
    }
    if (parent.childCount() == 0) {
      return new FinishDecision.Refused(
          Rejection.of(ErrorCode.EMPTY_PARENT, p + " has no children yet; scan children or CANCEL"));
    }
    if (!confirmed) {
      return new FinishDecision.NeedsConfirmation(
          Rejection.of(
              ErrorCode.FINISH_NEEDS_CONFIRMATION,
              p + " has " + parent.progress() + ": scan FINISH again to finish it short"));
    }
    return new FinishDecision.Finish();
  }
}
