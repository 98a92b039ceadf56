package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.testing.Gen;
import io.tracetrack.testing.Property;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodeNormalizerTest {

  private static String valid(String raw) {
    CodeInput result = CodeNormalizer.normalize(raw);
    assertThat(result).isInstanceOf(CodeInput.Valid.class);
    return ((CodeInput.Valid) result).code();
  }

  private static Rejection invalid(String raw) {
    CodeInput result = CodeNormalizer.normalize(raw);
    assertThat(result).isInstanceOf(CodeInput.Invalid.class);
    Rejection rejection = ((CodeInput.Invalid) result).rejection();
    assertThat(rejection.code()).isEqualTo(ErrorCode.INVALID_CODE);
    assertThat(rejection.message()).isNotBlank();
    return rejection;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "P123-10|P123-10",
        "  p123-10  |P123-10",
        "c42|C42",
        "]C1P1001-3|P1001-3",
        "]Q1c7|C7",
        "]d2sb12345|SB12345",
      })
  void normalize_validInput_trimsStripsAimPrefixAndUpperCases(String raw, String expected) {
    assertThat(valid(raw)).isEqualTo(expected);
  }

  @Test
  void normalize_realWhitespaceAroundCode_isTrimmed() {
    assertThat(valid("\t C9\r\n")).isEqualTo("C9");
    assertThat(valid("\u00A0C9\u2003")).isEqualTo("C9");
  }

  @Test
  void normalize_nullOrBlank_isEmpty() {
    assertThat(invalid(null).detail()).isEqualTo(CodeProblem.EMPTY);
    assertThat(invalid("").detail()).isEqualTo(CodeProblem.EMPTY);
    assertThat(invalid("   \t\r\n").detail()).isEqualTo(CodeProblem.EMPTY);
  }

  @Test
  void normalize_aimPrefixOnly_isEmpty() {
    assertThat(invalid("]C1").detail()).isEqualTo(CodeProblem.EMPTY);
  }

  @Test
  void normalize_sixtyFourCharacters_isAccepted_sixtyFiveIsTooLong() {
    assertThat(valid("C" + "1".repeat(63))).hasSize(64);
    Rejection tooLong = invalid("C" + "1".repeat(64));
    assertThat(tooLong.detail()).isEqualTo(CodeProblem.TOO_LONG);
    assertThat(tooLong.message()).contains("65").contains("64");
  }

  @Test
  void normalize_hundredThousandCharacters_isTooLong() {
    assertThat(invalid("C".repeat(100_000)).detail()).isEqualTo(CodeProblem.TOO_LONG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"C1\u0000", "C\u00071", "C\u001b[31m1", "C1\u200b2", "C\u007f1"})
  void normalize_controlOrFormatCharacterInside_isRejected(String raw) {
    assertThat(invalid(raw).detail()).isEqualTo(CodeProblem.CONTROL_CHARACTER);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C1'; DROP TABLE bag;--",
        "<script>alert(1)</script>",
        "P1 OR 1=1",
        "C1/../../etc/passwd",
        "C1_2",
        "Ｃ１", // full-width look-alikes
        "С1", // Cyrillic Es, looks like C
        "P1001-З", // Cyrillic Ze, looks like 3
        "ı1", // dotless i: upper-cases to ASCII I
        "ſB12345", // long s: upper-cases to ASCII S
        "Cé1",
        "C1 C2",
      })
  void normalize_charactersOutsideTheAlphabet_areRejectedBeforeUpperCasing(String raw) {
    Rejection rejection = invalid(raw);
    assertThat(rejection.detail()).isEqualTo(CodeProblem.INVALID_CHARACTER);
    assertThat(rejection.message()).contains("position");
  }

  @Test
  void normalize_turkishLocaleDefault_stillUsesRootRules() {
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
      assertThat(valid("p1-3")).isEqualTo("P1-3");
      // "i" must become "I", never the dotted capital U+0130
      assertThat(valid("cmd-finish")).isEqualTo("CMD-FINISH");
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @Test
  void normalize_validOutput_isAlwaysInTheAlphabetAndBounded() {
    Property.check(1000, random -> {
      String raw = Gen.anyString(random, 80);
      if (CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String code)) {
        assertThat(code).as("from %s", escaped(raw)).matches("[A-Z0-9-]{1,64}");
      }
    });
  }

  @Test
  void normalize_isIdempotent() {
    Property.check(1000, random -> {
      String raw = codeLike(random);
      if (CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String code)) {
        assertThat(CodeNormalizer.normalize(code)).isEqualTo(new CodeInput.Valid(code));
      }
    });
  }

  @Test
  void normalize_ignoresCaseAndSurroundingSpace() {
    Property.check(1000, random -> {
      String raw = codeLike(random);
      CodeInput plain = CodeNormalizer.normalize(raw);
      assertThat(CodeNormalizer.normalize("  " + raw.toLowerCase(java.util.Locale.ROOT) + "\r\n"))
          .as(raw).isEqualTo(plain);
    });
  }

  @Test
  void normalize_aimPrefix_neverChangesTheCode() {
    Property.check(1000, random -> {
      String raw = codeLike(random);
      String symbology = "" + Gen.anyChar(random) + Gen.anyChar(random);
      CodeInput plain = CodeNormalizer.normalize(raw);
      if (plain instanceof CodeInput.Valid) {
        assertThat(CodeNormalizer.normalize("]" + symbology + raw)).as("]%s%s", escaped(symbology), raw).isEqualTo(plain);
      }
    });
  }

  @Test
  void normalize_anyControlCharacterInside_isRejected() {
    Property.check(1000, random -> {
      String raw = codeLike(random);
      char control = control(random);
      String poisoned = raw.isEmpty() ? "C" + control + "1" : raw.charAt(0) + "" + control + raw + "1";
      assertThat(CodeNormalizer.normalize(poisoned)).as(escaped(poisoned)).isInstanceOf(CodeInput.Invalid.class);
    });
  }

  private static String codeLike(Random random) {
    return Gen.stringOf(random, "ABCPScp0123456789-", 1, 70);
  }

  /** A C0 control character that is not white space (white space at the ends is trimmed). */
  private static char control(Random random) {
    char c;
    do {
      c = (char) Gen.intBetween(random, 0x00, 0x1f);
    } while (Character.isWhitespace(c));
    return c;
  }

  /** The string with every non-ASCII or control unit as a Java escape, for failure messages. */
  private static String escaped(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
    }
    return out.toString();
  }
}
