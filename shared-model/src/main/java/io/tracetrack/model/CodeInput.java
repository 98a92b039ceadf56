package io.tracetrack.model;

import java.util.Objects;

/** The outcome of normalising raw scanner input: a clean code, or a reason it is not one. */
public sealed interface CodeInput {

  /** A normalised code: upper-case ASCII letters, digits and '-', 1..64 characters. */
  record Valid(String code) implements CodeInput {
    public Valid {
      Objects.requireNonNull(code, "code");
    }
  }

  /** Not a code; nothing may be stored for it. */
  record Invalid(Rejection rejection) implements CodeInput {
    public Invalid {
      Objects.requireNonNull(rejection, "rejection");
    }
  }
}
