package io.tracetrack.model;

import java.util.Objects;

/**
 * A refusal a person can act on: a stable code, a sentence that names the reason, and the other bag
 * involved where there is one (the parent a child is already on, say).
 *
 * @param code stable reason code
 * @param message human sentence naming the reason and the other bag
 * @param otherBag the other bag involved, or {@code null}
 * @param detail finer reason for {@link ErrorCode#INVALID_CODE}, or {@code null}
 */
public record Rejection(ErrorCode code, String message, String otherBag, CodeProblem detail) {

  public Rejection {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public static Rejection of(ErrorCode code, String message) {
    return new Rejection(code, message, null, null);
  }

  public static Rejection of(ErrorCode code, String message, String otherBag) {
    return new Rejection(code, message, otherBag, null);
  }

  public static Rejection invalidCode(CodeProblem detail, String message) {
    return new Rejection(ErrorCode.INVALID_CODE, message, null, detail);
  }
}
