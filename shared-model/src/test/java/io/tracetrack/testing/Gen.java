package io.tracetrack.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Value generators for {@link Property} cases. Ranges are inclusive, and each draw picks an end
 * of its range now and then: off-by-one mistakes live at the edges, which uniform draws rarely hit.
 */
public final class Gen {

  /** One draw in this many takes the lower end of the range, one more the upper end. */
  private static final int EDGE_ODDS = 16;

  private Gen() {}

  public static int intBetween(Random random, int min, int max) {
    return (int) longBetween(random, min, max);
  }

  public static long longBetween(Random random, long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
    if (min == max) {
      return min;
    }
    int pick = random.nextInt(EDGE_ODDS);
    if (pick == 0) {
      return min;
    }
    if (pick == 1) {
      return max;
    }
    // nextLong's bound is exclusive; a range ending at Long.MAX_VALUE draws from one below it
    return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
  }

  /** A list of {@code minSize..maxSize} elements, each drawn by {@code element}. */
  public static <T> List<T> listOf(Random random, int minSize, int maxSize, Function<Random, T> element) {
    int size = intBetween(random, minSize, maxSize);
    List<T> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(element.apply(random));
    }
    return out;
  }

  /** A string of {@code minLength..maxLength} characters taken from {@code alphabet}. */
  public static String stringOf(Random random, String alphabet, int minLength, int maxLength) {
    int length = intBetween(random, minLength, maxLength);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Any string, as hostile input: mostly printable ASCII, mixed with control characters, Unicode
   * white space, letters outside ASCII, and lone or paired surrogates.
   */
  public static String anyString(Random random, int maxLength) {
    int length = intBetween(random, 0, maxLength);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(anyChar(random));
    }
    return out.toString();
  }

  /** Any UTF-16 unit, leaning towards the interesting ones. */
  public static char anyChar(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> (char) random.nextInt(0x20); // C0 controls
      case 1 -> " \t\r\n\u000B\f\u0085\u00A0\u2003\u2028\u3000\uFEFF".charAt(random.nextInt(12));
      case 2 -> (char) (0x80 + random.nextInt(0x780)); // Latin-1, accents, Greek, Cyrillic...
      case 3 -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, often unpaired
      case 4 -> (char) random.nextInt(0x10000);
      default -> (char) (0x20 + random.nextInt(0x5F)); // printable ASCII
    };
  }
}
