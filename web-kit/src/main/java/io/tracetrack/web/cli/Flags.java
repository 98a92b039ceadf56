package io.tracetrack.web.cli;

import java.util.Locale;

/**
 * Checks of a flag's value the two apps share, worded one way: {@code --port must be between 0 and
 * 65535: 70000}. Values arrive as text (from the command line or the environment) so that a
 * number too big for an {@code int} gets this message too, not a parse error's.
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
    String digits = text.strip();
    if (digits.isEmpty()) {
      throw new IllegalArgumentException(flag + " must be a whole number, not empty");
    }
    if (!digits.matches("[+-]?[0-9]+")) {
      throw new IllegalArgumentException(flag + " must be a whole number: " + printable(text));
    }
    // more digits than any range here holds is out of range, without parsing a million of them
    long n = digits.replaceFirst("^[+-]?0*", "").length() > 12
        ? (digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(digits);
    if (n < min || n > max) {
      throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ": " + printable(digits));
    }
    return (int) n;
  }

  /**
   * A list of {@code host:port} separated by commas (Kafka's bootstrap servers), its blanks dropped;
   * a host is a name, an IPv4 address or a bracketed IPv6 one.
   *
   * @throws IllegalArgumentException naming the flag and the first entry that is not one
   */
  public static String hostPorts(String flag, String text) {
    for (String entry : text.split(",", -1)) {
      String e = entry.strip();
      if (!e.matches("([A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}")
          || Integer.parseInt(e.substring(e.lastIndexOf(':') + 1)) > 65_535) {
        throw new IllegalArgumentException(flag + " must be HOST:PORT, or several separated by commas: " + printable(entry));
      }
    }
    return text.replace(" ", "");
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
