package io.tracetrack.model;

/** The precise reason an input was not a valid code; stable names, shown as {@code detail}. */
public enum CodeProblem {
  EMPTY,
  TOO_LONG,
  CONTROL_CHARACTER,
  INVALID_CHARACTER,
  UNKNOWN_FORMAT,
  COUNT_OUT_OF_RANGE,
  AMBIGUOUS
}
