package io.tracetrack.sync;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#parse} with a quick path for the one form the hub and the docks write
 * ({@code 2026-12-06T17:12:00.123Z}: UTC, a four-digit year, 0 to 9 fraction digits). A dock reads
 * an instant in every change-log entry it receives, and {@code Instant.parse}'s formatter was an
 * eighth of a busy dock's sync CPU ({@code bench fleet}). Any other text, valid or not, goes to
 * {@code Instant.parse}, so what is accepted and what is refused (with its exception) is exactly
 * what {@code Instant.parse} decides.
 */
final class IsoInstants {

  private IsoInstants() {}

  /**
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} would
   */
  static Instant parse(String text) {
    Instant quick = quick(text);
    return quick != null ? quick : Instant.parse(text);
  }

  /** The instant of the canonical form, or null for any other text (left to {@code Instant.parse}). */
  static Instant quick(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null; // not digits, or a value only the formatter knows how to treat (24:00, a leap second)
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between the '.' and the 'Z'
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int value = digits(s, 20, fraction);
      if (value < 0) {
        return null;
      }
      nanos = value;
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // February 30th and the like: Instant.parse says why
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
