package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
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
    assertThat(rejection.code()).isEqualTo(RejectCode.INVALID_CODE);
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

  @Property
  void normalize_validOutput_isAlwaysInTheAlphabetAndBounded(@ForAll String raw) {
    if (CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String code)) {
      assertThat(code).matches("[A-Z0-9-]{1,64}");
    }
  }

  @Property
  void normalize_isIdempotent(@ForAll("codeLike") String raw) {
    if (CodeNormalizer.normalize(raw) instanceof CodeInput.Valid(String code)) {
      assertThat(CodeNormalizer.normalize(code)).isEqualTo(new CodeInput.Valid(code));
    }
  }

  @Property
  void normalize_ignoresCaseAndSurroundingSpace(@ForAll("codeLike") String raw) {
    CodeInput plain = CodeNormalizer.normalize(raw);
    assertThat(CodeNormalizer.normalize("  " + raw.toLowerCase(java.util.Locale.ROOT) + "\r\n"))
        .isEqualTo(plain);
  }

  @Property
  void normalize_aimPrefix_neverChangesTheCode(
      @ForAll("codeLike") String raw, @ForAll @StringLength(2) String symbology) {
    CodeInput plain = CodeNormalizer.normalize(raw);
    if (plain instanceof CodeInput.Valid) {
      assertThat(CodeNormalizer.normalize("]" + symbology + raw)).isEqualTo(plain);
    }
  }

  @Property
  void normalize_anyControlCharacterInside_isRejected(
      @ForAll("codeLike") String raw, @ForAll("controls") char control) {
    String poisoned = raw.isEmpty() ? "C" + control + "1" : raw.charAt(0) + "" + control + raw + "1";
    assertThat(CodeNormalizer.normalize(poisoned)).isInstanceOf(CodeInput.Invalid.class);
  }

  @Provide
  Arbitrary<String> codeLike() {
    return Arbitraries.strings().withChars("ABCPScp0123456789-").ofMinLength(1).ofMaxLength(70);
  }

  @Provide
  Arbitrary<Character> controls() {
    return Arbitraries.chars().range('\u0000', '\u001f').filter(c -> !Character.isWhitespace(c));
  }
}
