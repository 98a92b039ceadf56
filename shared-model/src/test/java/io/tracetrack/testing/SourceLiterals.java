package io.tracetrack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds string literals in Java sources that spell a stable name (an error code, an audit action)
 * which should be written as its enum constant: a name typed as a string is one no golden file
 * froze. Plain text scanning, no parser: comments and char literals are skipped, text blocks read.
 */
public final class SourceLiterals {

  private SourceLiterals() {}

  /**
   * Every literal under {@code root} that equals one of {@code names}, or that ends with '_' and
   * starts one ({@code "PROMOTION_" + status}), except those in {@code unrelated}; each as
   * {@code path: "literal"}.
   */
  public static List<String> offences(Path root, Set<String> names, Set<String> unrelated) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no source folder " + root.toAbsolutePath());
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        for (String literal : literals(Files.readString(file, StandardCharsets.UTF_8))) {
          String text = literal.strip();
          if (!unrelated.contains(text) && offends(text, names)) {
            found.add(root.relativize(file) + ": \"" + text + "\" (use the enum constant)");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  static boolean offends(String text, Set<String> names) {
    return !text.isEmpty()
        && (names.contains(text) || text.endsWith("_") && names.stream().anyMatch(n -> n.startsWith(text)));
  }

  /** The string literals and text blocks of a Java source, in order; comments and chars skipped. */
  public static List<String> literals(String src) {
    List<String> out = new ArrayList<>();
    int n = src.length();
    int i = 0;
    while (i < n) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int start = src.indexOf('\n', i) + 1;
        int end = closing(src, start, "\"\"\"");
        out.add(src.substring(start, end));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        int end = closing(src, i + 1, String.valueOf(c));
        if (c == '"') {
          out.add(src.substring(i + 1, end));
        }
        i = end + 1;
      } else {
        i++;
      }
    }
    return out;
  }

  /** Where the unescaped {@code quote} after {@code from} starts (the end of the source if none). */
  private static int closing(String src, int from, String quote) {
    int j = from;
    while (j < src.length() && !src.startsWith(quote, j)) {
      j += src.charAt(j) == '\\' ? 2 : 1;
    }
    return Math.min(j, src.length());
  }
}
