package io.tracetrack.hub.users;

import io.tracetrack.model.ErrorCode;
import java.util.Objects;

/**
 * What an administration call came to: done (with its result), or refused for a stated reason with
 * nothing changed. Routes map it with one exhaustive switch.
 */
public sealed interface Outcome<T> {

  record Done<T>(T value) implements Outcome<T> {}

  record Refused<T>(ErrorCode code, String message) implements Outcome<T> {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  static <T> Outcome<T> done(T value) {
    return new Done<>(value);
  }

  static <T> Outcome<T> refused(ErrorCode code, String message) {
    return new Refused<>(code, message);
  }
}
