package io.tracetrack.web.cli;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Checks of a flag's value the two apps share, worded one way: {@code --port must be between 0 and
 * 65535: 70000}. Values arrive as text (from the command line or the environment) so that a
 * number too big for an {@code int} still gets this message, not a parse error's.
 */
public final class Flags {

  private Flags() {}

  /**
   * @param text the value, or {@code null} when neither the flag nor its variable is set
   * @throws IllegalArgumentException naming the flag, what it takes and the value given
   */
  public static int wholeNumber(String flag, String text, int fallback, int min, int max) {
    if (text == null) {
      return fallback;
    }
    BigInteger n;
    try {
      n = new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number: " + printable(text));
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ": " + printable(n.toString()));
    }
    return n.intValue();
  }

  /** A value as it may be echoed in a message: at most 80 characters, control characters escaped. */
  public static String printable(String value) {
    return printable(value, 80);
  }

  /** Keeps a hostile value from messing up the terminal (or a log) it is echoed to. */
  static String printable(String value, int max) {
    String shown = value.length() > max ? value.substring(0, max) + "…" : value;
    StringBuilder out = new StringBuilder();
    shown.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }
}
