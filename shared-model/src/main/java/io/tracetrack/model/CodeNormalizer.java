package io.tracetrack.model;

import java.util.Locale;

/**
 * F-CODE normalisation: the only way raw input becomes a code. Trim, drop a scanner's AIM
 * symbology prefix ({@code ]} + 2 characters), check the alphabet, upper-case with {@link
 * Locale#ROOT}. Nothing else is interpreted.
 *
 * <p>The alphabet is checked <em>before</em> upper-casing on purpose: {@code "ı".toUpperCase()} is
 * {@code "I"} and {@code "ſ"} becomes {@code "S"}, so upper-casing first would let look-alike
 * letters sneak in as different, valid-looking codes.
 */
public final class CodeNormalizer {

  /** Longest code accepted, after trimming and dropping the AIM prefix. */
  public static final int MAX_LENGTH = 64;

  private static final int AIM_PREFIX_LENGTH = 3;

  private CodeNormalizer() {}

  /** Normalises one scan's worth of input. Never throws; {@code null} counts as empty. */
  public static CodeInput normalize(String raw) {
    if (raw == null) {
      return empty();
    }
    int start = 0;
    int end = raw.length();
    while (start < end && isTrimmable(raw.charAt(start))) {
      start++;
    }
    while (end > start && isTrimmable(raw.charAt(end - 1))) {
      end--;
    }
    if (end - start >= AIM_PREFIX_LENGTH && raw.charAt(start) == ']') {
      start += AIM_PREFIX_LENGTH;
    }
    int length = end - start;
    if (length == 0) {
      return empty();
    }
    if (length > MAX_LENGTH) {
      return new CodeInput.Invalid(
          Rejection.invalidCode(
              CodeProblem.TOO_LONG,
              "Not a bag code: " + length + " characters, at most " + MAX_LENGTH + " allowed"));
    }
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (isControl(c)) {
        return new CodeInput.Invalid(
            Rejection.invalidCode(
                CodeProblem.CONTROL_CHARACTER,
                "Not a bag code: control character "
                    + unicodeName(c)
                    + " at position "
                    + (i - start + 1)));
      }
      if (!isAllowed(c)) {
        return new CodeInput.Invalid(
            Rejection.invalidCode(
                CodeProblem.INVALID_CHARACTER,
                "Not a bag code: character "
                    + describe(raw.codePointAt(i))
                    + " at position "
                    + (i - start + 1)
                    + " is not allowed (only A-Z, 0-9 and '-')"));
      }
    }
    return new CodeInput.Valid(raw.substring(start, end).toUpperCase(Locale.ROOT));
  }

  private static CodeInput empty() {
    return new CodeInput.Invalid(Rejection.invalidCode(CodeProblem.EMPTY, "Nothing was scanned"));
  }

  private static boolean isTrimmable(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isControl(char c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT;
  }

  private static boolean isAllowed(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }

  private static String unicodeName(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  private static String describe(int codePoint) {
    String hex = String.format(Locale.ROOT, "U+%04X", codePoint);
    // Printable characters are shown as themselves too; callers escape for HTML, we never do here.
    return Character.isLetterOrDigit(codePoint) || (codePoint > 0x20 && codePoint < 0x7f)
        ? "'" + new String(Character.toChars(codePoint)) + "' (" + hex + ")"
        : hex;
  }
}
