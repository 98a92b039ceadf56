package io.tracetrack.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for user names, on the dock and on the hub (the sync copies hub users to docks, so
 * both must agree on what a name is). A name is compared and stored in one form: NFC, lower-case
 * ({@link Locale#ROOT}), 1–64 of {@code a-z 0-9 . _ -}, starting with a letter or digit. The first
 * character matters: a name like {@code -rf} would read as a flag when an operator pastes it into a
 * command line, and {@code .x} as a hidden file when it names a folder.
 */
public final class UserNames {

  public static final int MAX_LENGTH = 64;

  /** The stored form; {@link #normalize} maps anything acceptable onto it. */
  public static final Pattern STORED = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private static final String RULE = "a user name is 1-" + MAX_LENGTH
      + " of letters a-z, digits, '.', '_' and '-', starting with a letter or digit";

  private UserNames() {}

  /** The stored form of {@code raw}, or empty when it breaks the rule ({@link #problem} says why). */
  public static Optional<String> normalize(String raw) {
    if (raw == null || raw.length() > 4 * MAX_LENGTH) {
      return Optional.empty(); // no point normalising a novel
    }
    // NFC first: canonically equal spellings are one name (the Kelvin sign is the letter K)
    String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
    if (!nfc.chars().allMatch(c -> c < 0x80)) {
      return Optional.empty(); // checked before lower-casing, which maps some non-ASCII letters onto ASCII
    }
    String name = nfc.toLowerCase(Locale.ROOT);
    return STORED.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }

  /** Why {@code raw} is not a user name, or empty when it is one. */
  public static Optional<String> problem(String raw) {
    if (normalize(raw).isPresent()) {
      return Optional.empty();
    }
    if (raw == null || raw.isEmpty()) {
      return Optional.of("a user name is needed");
    }
    if (raw.codePoints().anyMatch(Character::isISOControl)) {
      return Optional.of("a user name has no control characters");
    }
    if (raw.length() > MAX_LENGTH) {
      return Optional.of("a user name has at most " + MAX_LENGTH + " characters");
    }
    if (raw.startsWith("-") || raw.startsWith(".") || raw.startsWith("_")) {
      return Optional.of("a user name starts with a letter or digit, not '" + raw.charAt(0) + "'");
    }
    return Optional.of(RULE);
  }
}
