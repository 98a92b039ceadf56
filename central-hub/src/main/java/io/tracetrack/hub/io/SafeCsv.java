package io.tracetrack.hub.io;

/**
 * Spreadsheet-safe cells: a cell a spreadsheet would run as a formula (starting with = + - @, a tab
 * or a carriage return) gets a leading apostrophe, the OWASP CSV-injection defence. Applied to every
 * text cell of every export.
 */
public final class SafeCsv {

  private SafeCsv() {}

  public static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (!text.isEmpty()) {
      char first = text.charAt(0);
      if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
        return "'" + text;
      }
    }
    return text;
  }
}
