package io.tracetrack.hub.users;

import java.util.Optional;

/** Free text people type (area names, reasons, notes): bounded, not blank, no control characters. */
final class Texts {

  private Texts() {}

  static Optional<String> problem(String text, int max) {
    if (text == null || text.isBlank()) {
      return Optional.of("must not be blank");
    }
    if (text.length() > max) {
      return Optional.of("at most " + max + " characters");
    }
    if (text.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
      return Optional.of("no control characters");
    }
    return Optional.empty();
  }
}
