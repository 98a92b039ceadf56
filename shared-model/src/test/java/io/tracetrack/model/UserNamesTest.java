package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UserNamesTest {

  @Test
  void normalize_mixedCase_storesLowerCase() {
    assertThat(UserNames.normalize("Alice.B_2-x")).hasValue("alice.b_2-x");
    assertThat(UserNames.normalize("ALICE")).isEqualTo(UserNames.normalize("alice"));
  }

  @Test
  void normalize_turkishLocaleIrrelevant_usesRootLocale() {
    // "I".toLowerCase(tr) would give a dotless i, which the pattern refuses
    assertThat(UserNames.normalize("INGE")).hasValue("inge");
  }

  @Test
  void normalize_canonicallyEqualSpelling_sameName() {
    assertThat(UserNames.normalize("\u212aelvin")).hasValue("kelvin"); // Kelvin sign is K under NFC
  }

  @Test
  void normalize_limits_oneToSixtyFour() {
    assertThat(UserNames.normalize("a")).hasValue("a");
    assertThat(UserNames.normalize("a".repeat(64))).isPresent();
    assertThat(UserNames.normalize("a".repeat(65))).isEmpty();
    assertThat(UserNames.problem("a".repeat(65))).hasValueSatisfying(p -> assertThat(p).contains("64"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-cmd", "--help", ".hidden", "_x", "a b", "a/b", "a\u0000b", "a\nb", "al\u00e9", "e\u0301",
      "\u0430dmin", "admin\u200b", "a:b", "a@b", "\u0130nge"})
  void normalize_hostileNames_refusedWithReason(String name) {
    assertThat(UserNames.normalize(name)).isEmpty();
    assertThat(UserNames.problem(name)).isPresent();
  }

  @Test
  void problem_leadingDash_saysSo() {
    assertThat(UserNames.problem("-cmd")).hasValueSatisfying(p -> assertThat(p).contains("starts with a letter or digit"));
    assertThat(UserNames.problem("a\u0007")).hasValueSatisfying(p -> assertThat(p).contains("control"));
    assertThat(UserNames.problem(null)).isPresent();
  }

  @Test
  void problem_goodName_empty() {
    assertThat(UserNames.problem("Dispatcher.7")).isEmpty();
  }

  @Test
  void normalize_storedFormIsAFixedPoint() {
    String once = UserNames.normalize("Mixed.Case").orElseThrow();
    assertThat(UserNames.normalize(once)).hasValue(once);
  }
}
