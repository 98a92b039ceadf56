package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.Concurrently;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sign-in lock on real H2 and PostgreSQL: every failure counts even when they arrive together,
 * the lock binds (user name, address) so a stranger cannot lock the owner out, and an unknown name
 * is answered exactly like a real one.
 */
class SignInLockoutTest {

  private static final String PASSWORD = "Right-Passw0rd!";

  static Stream<String> kinds() {
    return TestDatabases.kinds();
  }

  private static String code(Users.SignIn signIn) {
    return signIn instanceof Users.SignIn.Refused r ? r.code().name() : "OK";
  }

  private static String message(Users.SignIn signIn) {
    return signIn instanceof Users.SignIn.Refused r ? r.message() : "";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void twentyWrongPasswordsAtOnce_eachCount_andTheAddressEndsLocked(String kind) throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 25)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      List<String> answers = Concurrently.run(20, i -> () -> code(users.signIn("admin", "Wrong-Passw0rd-" + i, null, "10.0.0.7")));
      assertThat(answers).allMatch(a -> a.equals("BAD_CREDENTIALS") || a.equals("ACCOUNT_LOCKED"));
      // a read-then-write count loses the failures that overlap; counted in SQL, none is lost
      long checked = answers.stream().filter("BAD_CREDENTIALS"::equals).count();
      assertThat(users.failures("admin", "10.0.0.7")).isEqualTo((int) checked);
      assertThat(checked).isGreaterThanOrEqualTo(Users.MAX_FAILURES);
      assertThat(code(users.signIn("admin", PASSWORD, null, "10.0.0.7"))).isEqualTo("ACCOUNT_LOCKED");
      // the owner, elsewhere, is not locked out by someone else's guessing
      assertThat(code(users.signIn("admin", PASSWORD, null, "10.0.0.8"))).isEqualTo("OK");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void unknownName_isAnsweredLikeAWrongPassword_andLocksLikeOne(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      for (int i = 0; i < Users.MAX_FAILURES; i++) {
        Users.SignIn real = users.signIn("admin", "Wrong-Passw0rd-" + i, null, "10.0.0.7");
        Users.SignIn madeUpName = users.signIn("nobody", "Wrong-Passw0rd-" + i, null, "10.0.0.7");
        assertThat(code(real)).isEqualTo("BAD_CREDENTIALS").isEqualTo(code(madeUpName));
        assertThat(message(real)).isEqualTo(message(madeUpName));
      }
      Users.SignIn real = users.signIn("admin", PASSWORD, null, "10.0.0.7");
      Users.SignIn madeUp = users.signIn("nobody", PASSWORD, null, "10.0.0.7");
      assertThat(code(real)).isEqualTo("ACCOUNT_LOCKED").isEqualTo(code(madeUp));
      assertThat(message(real)).isEqualTo(message(madeUp));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theLockEnds_afterItsTime_andASuccessClearsTheCount(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      for (int i = 0; i < Users.MAX_FAILURES; i++) {
        users.signIn("admin", "Wrong-Passw0rd-" + i, null, "10.0.0.7");
      }
      assertThat(code(users.signIn("admin", PASSWORD, null, "10.0.0.7"))).isEqualTo("ACCOUNT_LOCKED");
      clock.advance(Users.LOCKOUT.plus(Duration.ofSeconds(1)));
      // after the lock, one more failure from that address locks it again at once
      assertThat(code(users.signIn("admin", "Wrong-Passw0rd-x", null, "10.0.0.7"))).isEqualTo("BAD_CREDENTIALS");
      assertThat(code(users.signIn("admin", PASSWORD, null, "10.0.0.7"))).isEqualTo("ACCOUNT_LOCKED");
      clock.advance(Users.LOCKOUT.plus(Duration.ofSeconds(1)));
      assertThat(code(users.signIn("admin", PASSWORD, null, "10.0.0.7"))).isEqualTo("OK");
      assertThat(users.failures("admin", "10.0.0.7")).isZero();
    }
  }
}
