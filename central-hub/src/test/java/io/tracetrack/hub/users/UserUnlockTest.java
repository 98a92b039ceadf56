package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An admin lifts a sign-in lock without resetting the password (H2 and PostgreSQL). */
class UserUnlockTest {

  private static final String PASSWORD = "Right-Passw0rd!";
  private static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));

  static Stream<String> kinds() {
    return TestDatabases.kinds();
  }

  private static String code(Users.SignIn signIn) {
    return signIn instanceof Users.SignIn.Refused r ? r.code().name() : "OK";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void unlock_lockedFromTwoAddresses_signsInAgainWithTheSamePassword_andIsAudited(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      AuditLog audit = new AuditLog(db, clock);
      UserAdmin admin = new UserAdmin(db, audit, username -> 0, clock);
      admin.create(new UserAdmin.NewUser("bea", Role.BILLER, null, PASSWORD), ADMIN);
      for (String address : new String[] {"10.0.0.7", "10.0.0.8"}) {
        for (int i = 0; i < Users.MAX_FAILURES; i++) {
          users.signIn("bea", "Wrong-Passw0rd-" + i, null, address);
        }
        assertThat(code(users.signIn("bea", PASSWORD, null, address))).isEqualTo("ACCOUNT_LOCKED");
      }

      Outcome<UserView> unlocked = admin.unlock("BEA", ADMIN);

      assertThat(unlocked).isInstanceOf(Outcome.Done.class);
      assertThat(code(users.signIn("bea", PASSWORD, null, "10.0.0.7"))).isEqualTo("OK");
      assertThat(code(users.signIn("bea", PASSWORD, null, "10.0.0.8"))).isEqualTo("OK");
      assertThat(audit.query(Optional.empty(), Optional.of(AuditAction.USER_UNLOCKED), Optional.empty(),
          Optional.of("bea"), Optional.empty(), 10)).hasSize(1).first()
          .satisfies(e -> assertThat(e.actor()).isEqualTo("admin"));
      assertThat(audit.verify().intact()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void unlock_unknownUser_refusedUserNotFound(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      new Users(db, clock).ensureFirstAdmin(PASSWORD);
      UserAdmin admin = new UserAdmin(db, new AuditLog(db, clock), username -> 0, clock);
      Outcome<UserView> answer = admin.unlock("nobody", ADMIN);
      assertThat(answer).isInstanceOfSatisfying(Outcome.Refused.class,
          r -> assertThat(r.code()).isEqualTo(ErrorCode.USER_NOT_FOUND));
    }
  }
}
