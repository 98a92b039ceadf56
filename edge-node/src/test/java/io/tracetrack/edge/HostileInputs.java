package io.tracetrack.edge;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The hostile-input table of issue #2, run through every scan entry point: the scan service, the
 * HTTP endpoint and the terminal process. Each input must get a clear rejection with this detail,
 * store nothing, and leave the next scan working.
 */
public final class HostileInputs {

  private HostileInputs() {}

  /** name, input, expected detail. */
  public static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("empty line", "", "EMPTY"),
        Arguments.of("blank line", "   \t ", "EMPTY"),
        Arguments.of("NUL byte", "C1\u0000", "CONTROL_CHARACTER"),
        Arguments.of("escape sequence", "C\u001b[2J1", "CONTROL_CHARACTER"),
        Arguments.of("backspace", "C12\b3", "CONTROL_CHARACTER"),
        Arguments.of("zero-width space", "C\u200b1", "CONTROL_CHARACTER"),
        Arguments.of("100,000 characters", "C" + "7".repeat(99_999), "TOO_LONG"),
        Arguments.of("non-ASCII letter", "Cé1", "INVALID_CHARACTER"),
        Arguments.of("Cyrillic look-alike C", "\u04211", "INVALID_CHARACTER"),
        Arguments.of("full-width look-alike", "\uff23\uff11", "INVALID_CHARACTER"),
        Arguments.of("dotless i (upper-cases to I)", "Cı1", "INVALID_CHARACTER"),
        Arguments.of("emoji", "C1\ud83d\udce6", "INVALID_CHARACTER"),
        Arguments.of("SQL injection", "C1'); DROP TABLE bag;--", "INVALID_CHARACTER"),
        Arguments.of("SQL comment", "C1--", "UNKNOWN_FORMAT"),
        Arguments.of("HTML", "<img src=x onerror=alert(1)>", "INVALID_CHARACTER"),
        Arguments.of("path traversal", "../../etc/passwd", "INVALID_CHARACTER"),
        Arguments.of("parent-like and child-like", "PC1-3", "UNKNOWN_FORMAT"),
        Arguments.of("count out of range", "P1-31", "COUNT_OUT_OF_RANGE"),
        Arguments.of("zero count", "P1-0", "COUNT_OUT_OF_RANGE"),
        Arguments.of("lone AIM prefix", "]C1", "EMPTY"));
  }

}
