package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void hash_verifies_onlyTheSamePassword() {
    String hash = Passwords.hash("Correct-Horse-9");
    assertThat(hash).startsWith("$argon2id$");
    assertThat(Passwords.verify("Correct-Horse-9", hash)).isTrue();
    assertThat(Passwords.verify("correct-horse-9", hash)).isFalse();
    assertThat(Passwords.verify("Correct-Horse-9", "not a hash")).isFalse();
  }

  @Test
  void theAppsHashAtOwaspCost_onlyTheBuildsTestSwitchLowersIt() {
    // the apps' processes never have the property: they get the 19 MiB, 2-pass baseline
    assertThat(Passwords.function(null)).isSameAs(Passwords.OWASP);
    assertThat(Passwords.function("false")).isSameAs(Passwords.OWASP);
    assertThat(Passwords.function("TRUE ")).isSameAs(Passwords.OWASP);
    assertThat(Passwords.function("true")).isSameAs(Passwords.TEST_COST);
    String owasp = com.password4j.Password.hash("Correct-Horse-9").addRandomSalt(16).with(Passwords.OWASP).getResult();
    assertThat(owasp).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    // a hash carries its cost: one made at either cost verifies wherever it is checked
    assertThat(Passwords.verify("Correct-Horse-9", owasp)).isTrue();
    assertThat(Passwords.verify("Correct-Horse-8", owasp)).isFalse();
  }

  /**
   * An unknown user's check costs what a real one does: the written dummies are real hashes, each
   * at exactly the cost of the function it stands in for (a dummy at a lower cost would let a
   * stopwatch tell unknown users from known ones).
   */
  @Test
  void theDummyHashes_areRealHashes_atTheCostTheyStandFor() {
    assertThat(Passwords.verify("no such user, no such password", Passwords.DUMMY_OWASP)).isTrue();
    assertThat(Passwords.verify("no such user, no such password", Passwords.DUMMY_TEST_COST)).isTrue();
    assertThat(cost(com.password4j.Argon2Function.getInstanceFromHash(Passwords.DUMMY_OWASP))).isEqualTo(cost(Passwords.OWASP));
    assertThat(cost(com.password4j.Argon2Function.getInstanceFromHash(Passwords.DUMMY_TEST_COST)))
        .isEqualTo(cost(Passwords.TEST_COST));
  }

  private static String cost(com.password4j.Argon2Function f) {
    return f.getVariant() + " m=" + f.getMemory() + " t=" + f.getIterations() + " p=" + f.getParallelism() + " out="
        + f.getOutputLength() + " v=" + f.getVersion();
  }

  @Test
  void problem_policy() {
    assertThat(Passwords.problem("short-Pw1")).isPresent(); // 9 chars: the old dock minimum of 8 passed it
    assertThat(Passwords.problem("alllowercaseletters")).isPresent();
    assertThat(Passwords.problem("x".repeat(300))).isPresent();
    assertThat(Passwords.problem("Twelve-chars")).isEmpty();
    assertThat(Passwords.problem(null)).isPresent();
  }

  @Test
  void lockout_minutesLeft_roundsUp() {
    assertThat(Lockout.minutesLeft(61_000, 0)).isEqualTo(2);
    assertThat(Lockout.minutesLeft(1, 0)).isEqualTo(1);
  }
}
