package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.testing.Gen;
import io.tracetrack.testing.Property;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeGrammarTest {

  private final CodeGrammar grammar = CodeGrammar.defaults();

  private CodeProblem problemOf(String raw) {
    CodeKind kind = grammar.read(raw);
    assertThat(kind).isInstanceOf(CodeKind.NotACode.class);
    return ((CodeKind.NotACode) kind).rejection().detail();
  }

  @Nested
  class Parents {
    @Test
    void countedParent_limitIsTheCountInTheCode() {
      assertThat(grammar.read("P123-10")).isEqualTo(new CodeKind.Parent("P123-10", 10, 10));
      assertThat(grammar.read("p1001-3")).isEqualTo(new CodeKind.Parent("P1001-3", 3, 3));
      assertThat(grammar.read("P1-30")).isEqualTo(new CodeKind.Parent("P1-30", 30, 30));
      assertThat(grammar.read("P1-1")).isEqualTo(new CodeKind.Parent("P1-1", 1, 1));
    }

    @Test
    void countedParent_leadingZeroInCount_isTheSameCount() {
      assertThat(grammar.read("P7-05")).isEqualTo(new CodeKind.Parent("P7-05", 5, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1-0", "P1-31", "P1-99", "P1-00"})
    void countedParent_countOutside1To30_isRejected(String code) {
      assertThat(problemOf(code)).isEqualTo(CodeProblem.COUNT_OUT_OF_RANGE);
    }

    @Test
    void sbParent_hasNoCountAndLimit30() {
      assertThat(grammar.read("SB12345")).isEqualTo(new CodeKind.Parent("SB12345", null, 30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SB1234", "SB123456", "SBABCDE", "P-3", "P12-", "P12-3-4", "PX1-3"})
    void malformedParents_areUnknownFormat(String code) {
      assertThat(problemOf(code)).isEqualTo(CodeProblem.UNKNOWN_FORMAT);
    }

    @Test
    void limit_isTheCountWhenInRange_andNeverAbove30() {
      Property.check(1000, random -> {
        int n = Gen.intBetween(random, 0, 99);
        CodeKind kind = grammar.read("P42-" + n);
        if (n >= 1 && n <= 30) {
          assertThat(kind).isEqualTo(new CodeKind.Parent("P42-" + n, n, n));
        } else {
          assertThat(kind).isInstanceOf(CodeKind.NotACode.class);
        }
      });
    }
  }

  @Nested
  class Children {
    @Test
    void childCode_isAChild() {
      assertThat(grammar.read("C1")).isEqualTo(new CodeKind.Child("C1"));
      assertThat(grammar.read(" c000042 ")).isEqualTo(new CodeKind.Child("C000042"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "CX1", "C1-2", "1", "B1"})
    void malformedChildren_areUnknownFormat(String code) {
      assertThat(problemOf(code)).isEqualTo(CodeProblem.UNKNOWN_FORMAT);
    }
  }

  @Nested
  class Commands {
    @Test
    void commandBarcodes_areCommandsInAnyCase() {
      assertThat(grammar.read("CMD-UNDO")).isEqualTo(new CodeKind.Command(StationCommand.UNDO));
      assertThat(grammar.read("cmd-finish")).isEqualTo(new CodeKind.Command(StationCommand.FINISH));
      assertThat(grammar.read("]C0CMD-CANCEL")).isEqualTo(new CodeKind.Command(StationCommand.CANCEL));
    }

    @Test
    void commandTexts_neverMatchTheDefaultBagFormats() {
      for (StationCommand command : StationCommand.values()) {
        assertThat(grammar.countedParent().matcher(command.barcode()).matches()).isFalse();
        assertThat(grammar.plainParent().matcher(command.barcode()).matches()).isFalse();
        assertThat(grammar.child().matcher(command.barcode()).matches()).isFalse();
      }
    }
  }

  @Nested
  class Configuration {
    @Test
    void codeMatchingParentAndChild_isAmbiguous_notGuessed() {
      CodeGrammar loose = CodeGrammar.of("P[0-9]+-(?<count>[0-9]+)", "SB[0-9]{5}", "[A-Z0-9-]+", "[A-Z0-9]{6,20}");
      assertThat(loose.read("P1-3")).isInstanceOf(CodeKind.NotACode.class);
      assertThat(((CodeKind.NotACode) loose.read("P1-3")).rejection().detail()).isEqualTo(CodeProblem.AMBIGUOUS);
      assertThat(loose.read("X9")).isEqualTo(new CodeKind.Child("X9"));
    }

    @Test
    void customGrammar_isUsed() {
      CodeGrammar custom = CodeGrammar.of("BAG[0-9]+X(?<count>[0-9]+)", "SB[0-9]{6}", "K[0-9]+", "B[0-9]{5}");
      assertThat(custom.read("bag9x12")).isEqualTo(new CodeKind.Parent("BAG9X12", 12, 12));
      assertThat(custom.read("K77")).isEqualTo(new CodeKind.Child("K77"));
      assertThat(custom.read("C1")).isInstanceOf(CodeKind.NotACode.class);
      // a dock with its own formats names them as configured
      assertThat(((CodeKind.NotACode) custom.read("C1")).rejection().message())
          .isEqualTo("C1 is not a bag code here: parents match BAG[0-9]+X(?<count>[0-9]+) or SB[0-9]{6}, children K[0-9]+");
    }

    @Test
    void anUnknownCode_isExplainedWithExamples_notARegularExpression() {
      String message = ((CodeKind.NotACode) grammar.read("P9009-5-NOT-A-CODE")).rejection().message();
      assertThat(message).isEqualTo(
          "P9009-5-NOT-A-CODE is not a bag code here: parents look like P1001-30 or SB12345, children like C12345");
    }

    @Test
    void invalidRegex_isRefusedWithItsName() {
      assertThatThrownBy(() -> CodeGrammar.of("P(?<count>[0-9]+", "SB", "C", "B"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("counted-parent");
      assertThatThrownBy(() -> CodeGrammar.of("P(?<count>[0-9]+)", "SB", " ", "B"))
          .hasMessageContaining("child pattern is empty");
    }

    @Test
    void countedParentWithoutCountGroup_isRefused() {
      assertThatThrownBy(() -> CodeGrammar.of("P[0-9]+-[0-9]+", "SB", "C", "B"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(?<count>");
    }

    @Test
    void hugeCountDigitRun_isOutOfRange_notAnOverflow() {
      CodeGrammar digits = CodeGrammar.of("P[0-9]+-(?<count>[0-9]+)", "SB[0-9]{5}", "C[0-9]+", "[A-Z0-9]{6,20}");
      assertThat(((CodeKind.NotACode) digits.read("P1-99999999999999999999")).rejection().detail())
          .isEqualTo(CodeProblem.COUNT_OUT_OF_RANGE);
      assertThat(digits.read("P1-0000000000000000000007")).isEqualTo(new CodeKind.Parent("P1-0000000000000000000007", 7, 7));
    }
  }

  @Nested
  class BillIds {
    @ParameterizedTest
    @ValueSource(strings = {"BILL01", "ABCDEF123456", "12345678901234567890"})
    void billId_sixToTwentyLettersOrDigits_isValid(String id) {
      assertThat(grammar.billIdProblem(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"B1", "ABCDE", "123456789012345678901", "BILL-01"})
    void billId_otherwise_isRefused(String id) {
      assertThat(grammar.billIdProblem(id)).get().extracting(Rejection::message).asString().contains(id);
    }
  }
}
