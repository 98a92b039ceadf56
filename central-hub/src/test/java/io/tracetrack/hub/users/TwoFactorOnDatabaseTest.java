package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.auth.Totp;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TOTP enrolment, confirmation and sign-in, with a clock the test moves. */
class TwoFactorOnDatabaseTest {

  private static final String PASSWORD = "Admin-Password-1";
  private static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static String secretOf(String provisioningUri) {
    String query = URI.create(provisioningUri).getQuery();
    for (String part : query.split("&")) {
      if (part.startsWith("secret=")) {
        return part.substring("secret=".length());
      }
    }
    throw new AssertionError("no secret in " + provisioningUri);
  }

  private static String code(Users.SignIn signIn) {
    return signIn instanceof Users.SignIn.Refused r ? r.code().name() : "OK";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void enrolVerifySignIn_withFixedClock_asksForAndChecksCodes(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:10Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      TwoFactor twoFactor = new TwoFactor(db, new AuditLog(db, clock), clock);
      Totp totp = new Totp(clock);

      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.qr(ADMIN))).isEqualTo(ErrorCode.TOTP_NOT_PENDING);
      String uri = UserAdminOnDatabaseTest.done(twoFactor.start(ADMIN)).provisioningUri();
      assertThat(uri).startsWith("otpauth://totp/TraceTrack:admin?secret=").contains("&issuer=TraceTrack");
      String secret = secretOf(uri);
      assertThat(UserAdminOnDatabaseTest.done(twoFactor.qr(ADMIN))).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
      // pending is not enabled: sign-in does not ask for a code yet
      assertThat(code(users.signIn("admin", PASSWORD))).isEqualTo("OK");

      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.confirm(ADMIN, "000000"))).isEqualTo(ErrorCode.BAD_TOTP);
      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.confirm(ADMIN, "abc"))).isEqualTo(ErrorCode.BAD_TOTP);
      String now = totp.codeAt(secret, clock.instant());
      assertThat(UserAdminOnDatabaseTest.done(twoFactor.confirm(ADMIN, now)).totpEnabled()).isTrue();
      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.qr(ADMIN))).isEqualTo(ErrorCode.TOTP_ALREADY_ENABLED);
      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.start(ADMIN))).isEqualTo(ErrorCode.TOTP_ALREADY_ENABLED);

      assertThat(code(users.signIn("admin", PASSWORD))).isEqualTo("TOTP_REQUIRED");
      assertThat(code(users.signIn("admin", PASSWORD, "123456".equals(now) ? "654321" : "123456"))).isEqualTo("BAD_TOTP");
      // the code used to confirm is spent: a replay is refused
      assertThat(code(users.signIn("admin", PASSWORD, now))).isEqualTo("BAD_TOTP");
      clock.advance(Duration.ofSeconds(30));
      assertThat(code(users.signIn("admin", PASSWORD, totp.codeAt(secret, clock.instant())))).isEqualTo("OK");
      // one step late still counts (a slow typist, a drifting phone); two steps late does not
      clock.advance(Duration.ofSeconds(30));
      String previous = totp.codeAt(secret, clock.instant().minusSeconds(30));
      String older = totp.codeAt(secret, clock.instant().minusSeconds(60));
      assertThat(code(users.signIn("admin", PASSWORD, older))).isEqualTo("BAD_TOTP");
      clock.advance(Duration.ofSeconds(30));
      assertThat(code(users.signIn("admin", PASSWORD, totp.codeAt(secret, clock.instant().minusSeconds(30))))).isEqualTo("OK");
      assertThat(previous).hasSize(6);
      // a wrong password never reveals that a code is needed
      assertThat(code(users.signIn("admin", "Wrong-Password-1", null))).isEqualTo("BAD_CREDENTIALS");

      assertThat(UserAdminOnDatabaseTest.refused(twoFactor.disable(ADMIN, "Wrong-Password-1"))).isEqualTo(ErrorCode.WRONG_PASSWORD);
      assertThat(UserAdminOnDatabaseTest.done(twoFactor.disable(ADMIN, PASSWORD)).totpEnabled()).isFalse();
      assertThat(code(users.signIn("admin", PASSWORD))).isEqualTo("OK");
      assertThat(((Number) db.dsl().fetchValue("select count(*) from audit_entry where before_json like '%" + secret
          + "%' or after_json like '%" + secret + "%'")).longValue()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void wrongCodes_countTowardLockout(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:10Z"));
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      Users users = new Users(db, clock);
      users.ensureFirstAdmin(PASSWORD);
      TwoFactor twoFactor = new TwoFactor(db, new AuditLog(db, clock), clock);
      String secret = secretOf(UserAdminOnDatabaseTest.done(twoFactor.start(ADMIN)).provisioningUri());
      UserAdminOnDatabaseTest.done(twoFactor.confirm(ADMIN, new Totp(clock).codeAt(secret, clock.instant())));
      for (int i = 0; i < Users.MAX_FAILURES; i++) {
        assertThat(code(users.signIn("admin", PASSWORD, "99999" + i))).isIn("BAD_TOTP");
      }
      clock.advance(Duration.ofSeconds(30));
      assertThat(code(users.signIn("admin", PASSWORD, new Totp(clock).codeAt(secret, clock.instant())))).isEqualTo("ACCOUNT_LOCKED");
    }
  }
}
