package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every F-ADMIN guard on real databases (H2 and PostgreSQL, a fresh one per test). */
class UserAdminOnDatabaseTest {

  static final String ADMIN_PASSWORD = "Admin-Password-1";
  static final String PASSWORD = "Good-Password-42";
  static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  /** A hub's user services on one fresh database; {@code openBills} answers the biller guard. */
  record Fixture(HubDatabase db, UserAdmin admin, Promotions promotions, AuditLog audit, AtomicInteger openBills)
      implements AutoCloseable {

    static Fixture on(String kind) {
      HubDatabase db = TestDatabases.fresh(kind, 5);
      TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
      new Users(db, clock).ensureFirstAdmin(ADMIN_PASSWORD);
      AuditLog audit = new AuditLog(db, clock);
      AtomicInteger open = new AtomicInteger();
      UserAdmin admin = new UserAdmin(db, audit, username -> open.get(), clock);
      return new Fixture(db, admin, new Promotions(db, admin, audit, clock), audit, open);
    }

    UserView user(String name, Role role, String area) {
      return done(admin.create(new UserAdmin.NewUser(name, role, area, PASSWORD), ADMIN));
    }

    void area(String id, int max) {
      done(admin.createArea(id, "Area " + id, max, ADMIN));
    }

    long count(String sql) {
      return ((Number) db.dsl().fetchValue(sql)).longValue();
    }

    @Override
    public void close() {
      db.close();
    }
  }

  static <T> T done(Outcome<T> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Done.class);
    return ((Outcome.Done<T>) outcome).value();
  }

  static ErrorCode refused(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
    return ((Outcome.Refused<?>) outcome).code();
  }

  static Caller as(String username, Role role) {
    return Caller.of(new Principal(username, role, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void demoteDisableOrDelete_lastActiveAdmin_refusedLastAdmin(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.user("ada", Role.ADMIN, null);
      Caller ada = as("ada", Role.ADMIN);
      // with two admins, ada may demote admin; then admin is a biller and ada the last admin
      assertThat(done(f.admin.changeRole("admin", Role.BILLER, null, ada)).role()).isEqualTo(Role.BILLER);
      f.user("root2", Role.ADMIN, null);
      done(f.admin.edit("root2", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ada));
      // root2 is disabled, so ada is the last *active* admin: nobody may take her away
      Caller root2 = as("root2", Role.ADMIN);
      assertThat(refused(f.admin.changeRole("ada", Role.BILLER, null, root2))).isEqualTo(ErrorCode.LAST_ADMIN);
      assertThat(refused(f.admin.edit("ada", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), root2)))
          .isEqualTo(ErrorCode.LAST_ADMIN);
      assertThat(refused(f.admin.delete("ada", root2))).isEqualTo(ErrorCode.LAST_ADMIN);
      assertThat(f.count("select count(*) from app_user where role = 'ADMIN' and disabled = false")).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changeRole_ofOneself_refusedOwnRole(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.user("ada", Role.ADMIN, null);
      assertThat(refused(f.admin.changeRole("admin", Role.BILLER, null, ADMIN))).isEqualTo(ErrorCode.OWN_ROLE);
      assertThat(refused(f.admin.delete("admin", ADMIN))).isEqualTo(ErrorCode.OWN_ACCOUNT);
      assertThat(refused(f.admin.edit("admin", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN)))
          .isEqualTo(ErrorCode.OWN_ACCOUNT);
      assertThat(f.admin.get("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void dispatcher_withoutArea_refusedAreaRequired_andOthersMayNotHaveOne(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.area("NORTH", 10);
      assertThat(refused(f.admin.create(new UserAdmin.NewUser("dan", Role.DISPATCHER, null, PASSWORD), ADMIN)))
          .isEqualTo(ErrorCode.AREA_REQUIRED);
      assertThat(refused(f.admin.create(new UserAdmin.NewUser("bea", Role.BILLER, "NORTH", PASSWORD), ADMIN)))
          .isEqualTo(ErrorCode.AREA_NOT_ALLOWED);
      assertThat(refused(f.admin.create(new UserAdmin.NewUser("dan", Role.DISPATCHER, "NOWHERE", PASSWORD), ADMIN)))
          .isEqualTo(ErrorCode.AREA_NOT_FOUND);
      f.user("bea", Role.BILLER, null);
      assertThat(refused(f.admin.changeRole("bea", Role.DISPATCHER, null, ADMIN))).isEqualTo(ErrorCode.AREA_REQUIRED);
      UserView dan = done(f.admin.changeRole("bea", Role.DISPATCHER, "NORTH", ADMIN));
      assertThat(dan.area()).isEqualTo("NORTH");
      // leaving the dispatcher role leaves the area too
      assertThat(done(f.admin.changeRole("bea", Role.BILLER, null, ADMIN)).area()).isNull();
      assertThat(f.count("select count(*) from app_user where username in ('dan')")).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void eleventhDispatcher_inAreaOfTen_refusedAreaFull(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      done(f.admin.createArea("SOUTH", "South", null, ADMIN));
      assertThat(f.admin.areas()).singleElement().satisfies(a -> assertThat(a.maxDispatchers()).isEqualTo(10));
      for (int i = 0; i < 10; i++) {
        f.user("disp" + i, Role.DISPATCHER, "SOUTH");
      }
      assertThat(refused(f.admin.create(new UserAdmin.NewUser("disp10", Role.DISPATCHER, "SOUTH", PASSWORD), ADMIN)))
          .isEqualTo(ErrorCode.AREA_FULL);
      f.user("bea", Role.BILLER, null);
      assertThat(refused(f.admin.changeRole("bea", Role.DISPATCHER, "SOUTH", ADMIN))).isEqualTo(ErrorCode.AREA_FULL);
      f.area("EAST", 1);
      f.user("eve", Role.DISPATCHER, "EAST");
      assertThat(refused(f.admin.edit("disp0", new UserAdmin.Edit(Optional.of("EAST"), Optional.empty()), ADMIN)))
          .isEqualTo(ErrorCode.AREA_FULL);
      // a disabled dispatcher keeps the seat; a deleted one frees it
      done(f.admin.edit("disp1", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN));
      assertThat(refused(f.admin.changeRole("bea", Role.DISPATCHER, "SOUTH", ADMIN))).isEqualTo(ErrorCode.AREA_FULL);
      done(f.admin.delete("disp1", ADMIN));
      assertThat(done(f.admin.changeRole("bea", Role.DISPATCHER, "SOUTH", ADMIN)).area()).isEqualTo("SOUTH");
      assertThat(f.admin.areas()).filteredOn(a -> a.id().equals("SOUTH")).singleElement()
          .satisfies(a -> assertThat(a.dispatchers()).isEqualTo(10));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void billerWithOpenBills_keepsTheRole(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.user("bea", Role.BILLER, null);
      f.openBills.set(2);
      assertThat(refused(f.admin.changeRole("bea", Role.ADMIN, null, ADMIN))).isEqualTo(ErrorCode.BILLER_HAS_OPEN_BILLS);
      f.openBills.set(0);
      assertThat(done(f.admin.changeRole("bea", Role.ADMIN, null, ADMIN)).role()).isEqualTo(Role.ADMIN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void passwords_outsidePolicy_refusedWeakPassword_andStoredOnlyAsArgon2(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      for (String weak : List.of("short1A!", "alllowercaseletters", "ALLUPPER1234567", " ".repeat(20))) {
        assertThat(refused(f.admin.create(new UserAdmin.NewUser("bea", Role.BILLER, null, weak), ADMIN)))
            .isEqualTo(ErrorCode.WEAK_PASSWORD);
      }
      f.user("bea", Role.BILLER, null);
      assertThat((String) f.db.dsl().fetchValue("select password_hash from app_user where username = 'bea'"))
          .startsWith("$argon2id$").doesNotContain(PASSWORD);
      Caller bea = as("bea", Role.BILLER);
      assertThat(refused(f.admin.changeOwnPassword(bea, "wrong-Password-1", "Another-Good-Pass-7"))).isEqualTo(ErrorCode.WRONG_PASSWORD);
      assertThat(refused(f.admin.changeOwnPassword(bea, PASSWORD, "weak"))).isEqualTo(ErrorCode.WEAK_PASSWORD);
      done(f.admin.changeOwnPassword(bea, PASSWORD, "Another-Good-Pass-7"));
      Users users = new Users(f.db, java.time.Clock.systemUTC());
      assertThat(users.signIn("bea", "Another-Good-Pass-7")).isInstanceOf(Users.SignIn.Ok.class);
      assertThat(refused(f.admin.resetPassword("bea", "tooweak", ADMIN))).isEqualTo(ErrorCode.WEAK_PASSWORD);
      done(f.admin.resetPassword("bea", "Reset-By-Admin-99", ADMIN));
      assertThat(users.signIn("bea", "Reset-By-Admin-99")).isInstanceOf(Users.SignIn.Ok.class);
      assertThat(f.count("select count(*) from audit_entry where before_json like '%argon2%' or after_json like '%argon2%'"))
          .isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void delete_user_leavesTombstone_pseudonymisesUnchainedAudit_keepsChainIntact(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.user("olga", Role.BILLER, null);
      Caller olga = as("olga", Role.BILLER);
      done(f.admin.changeOwnPassword(olga, PASSWORD, "Olga-New-Password-1")); // an entry with olga as actor
      assertThat(f.audit.chain()).isEqualTo(2); // USER_CREATED and USER_PASSWORD_CHANGED are now chained
      done(f.promotions.request(olga, Role.ADMIN, null, "I run the night shift"));
      done(f.admin.edit("olga", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN));
      long id = f.count("select id from app_user where username = 'olga'");

      UserAdmin.Deleted deleted = done(f.admin.delete("olga", ADMIN));

      String pseudonym = "deleted-user-" + id;
      assertThat(deleted.pseudonym()).isEqualTo(pseudonym);
      assertThat(deleted.auditEntriesRewritten()).isEqualTo(2); // the request and the disable
      assertThat(deleted.chainedAuditEntriesKept()).isEqualTo(2);
      assertThat(f.admin.get("olga")).isEmpty();
      assertThat(f.count("select count(*) from app_user where username = '" + pseudonym
          + "' and anonymised = true and disabled = true and totp_secret is null and area_id is null")).isEqualTo(1);
      assertThat(f.count("select count(*) from promotion_request where username = 'olga'")).isZero();
      assertThat(f.count("select count(*) from audit_entry where chain_seq is null and (actor = 'olga' or entity_id = 'olga'"
          + " or before_json like '%olga%' or after_json like '%olga%')")).isZero();
      assertThat(f.count("select count(*) from audit_entry where action = 'USER_DELETED' and entity_id = '" + pseudonym
          + "' and after_json not like '%olga%'")).isEqualTo(1);
      assertThat(f.audit.verify().intact()).isTrue();
      // the name is free again, and a sign-in as the tombstone is impossible
      f.user("olga", Role.BILLER, null);
      assertThat(new Users(f.db, java.time.Clock.systemUTC()).signIn(pseudonym, "!deleted"))
          .isInstanceOf(Users.SignIn.Refused.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void promotion_approvedThroughGuards_notifiesRequester(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.area("WEST", 1);
      f.user("bea", Role.BILLER, null);
      f.user("wes", Role.DISPATCHER, "WEST");
      Caller bea = as("bea", Role.BILLER);
      assertThat(refused(f.promotions.request(bea, Role.BILLER, null, "more"))).isEqualTo(ErrorCode.SAME_ROLE);
      Promotions.Request asked = done(f.promotions.request(bea, Role.DISPATCHER, "WEST", "I work the west dock now"));
      assertThat(refused(f.promotions.request(bea, Role.ADMIN, null, "or this"))).isEqualTo(ErrorCode.REQUEST_EXISTS);
      // the area is full: the approval is refused by the same guard, and the request stays pending
      assertThat(refused(f.promotions.approve(asked.id(), null, ADMIN))).isEqualTo(ErrorCode.AREA_FULL);
      assertThat(f.promotions.list(Optional.of(Promotions.Status.PENDING), Optional.empty(), 10)).hasSize(1);
      f.area("WEST2", 5);
      Promotions.Request approved = done(f.promotions.approve(asked.id(), "WEST2", ADMIN));
      assertThat(approved.status()).isEqualTo(Promotions.Status.APPROVED);
      assertThat(approved.decidedBy()).isEqualTo("admin");
      assertThat(f.admin.get("bea").orElseThrow()).satisfies(u -> {
        assertThat(u.role()).isEqualTo(Role.DISPATCHER);
        assertThat(u.area()).isEqualTo("WEST2");
      });
      assertThat(refused(f.promotions.approve(asked.id(), null, ADMIN))).isEqualTo(ErrorCode.NOT_PENDING);
      assertThat(refused(f.promotions.reject(999_999, null, ADMIN))).isEqualTo(ErrorCode.REQUEST_NOT_FOUND);
      assertThat(f.promotions.notifications("bea", 10)).singleElement()
          .satisfies(n -> assertThat(n.kind()).isEqualTo("PROMOTION_APPROVED"));

      Caller wes = as("wes", Role.DISPATCHER);
      Promotions.Request second = done(f.promotions.request(wes, Role.ADMIN, null, "please"));
      assertThat(done(f.promotions.reject(second.id(), "not this quarter", ADMIN)).status()).isEqualTo(Promotions.Status.REJECTED);
      assertThat(f.admin.get("wes").orElseThrow().role()).isEqualTo(Role.DISPATCHER);
      assertThat(f.promotions.notifications("wes", 10)).singleElement()
          .satisfies(n -> assertThat(n.message()).contains("rejected").contains("not this quarter"));
      // an admin cannot approve a promotion of their own
      f.user("ada", Role.ADMIN, null);
      Caller ada = as("ada", Role.ADMIN);
      Promotions.Request own = done(f.promotions.request(wes, Role.ADMIN, null, "again"));
      assertThat(done(f.promotions.approve(own.id(), null, ada)).status()).isEqualTo(Promotions.Status.APPROVED);
      Promotions.Request adaAsks = done(f.promotions.request(ada, Role.BILLER, null, "step down"));
      assertThat(refused(f.promotions.approve(adaAsks.id(), null, ada))).isEqualTo(ErrorCode.OWN_ROLE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void list_filtersAndPagesByUserName(String kind) {
    try (Fixture f = Fixture.on(kind)) {
      f.area("NORTH", 10);
      for (String name : List.of("b1", "b2", "b3", "b4", "b5")) {
        f.user(name + "x", Role.BILLER, null);
      }
      f.user("dana", Role.DISPATCHER, "NORTH");
      done(f.admin.edit("b3x", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN));
      UserAdmin.Page first = f.admin.list(new UserAdmin.Filter(Optional.of(Role.BILLER), Optional.empty(), Optional.empty(), Optional.empty(), 2));
      assertThat(first.items()).extracting(UserView::username).containsExactly("b1x", "b2x");
      UserAdmin.Page second = f.admin.list(new UserAdmin.Filter(Optional.of(Role.BILLER), Optional.empty(), Optional.empty(), Optional.of(first.next()), 2));
      assertThat(second.items()).extracting(UserView::username).containsExactly("b3x", "b4x");
      UserAdmin.Page last = f.admin.list(new UserAdmin.Filter(Optional.of(Role.BILLER), Optional.empty(), Optional.empty(), Optional.of(second.next()), 2));
      assertThat(last.items()).extracting(UserView::username).containsExactly("b5x");
      assertThat(last.next()).isNull();
      assertThat(f.admin.list(new UserAdmin.Filter(Optional.empty(), Optional.of("NORTH"), Optional.empty(), Optional.empty(), 200)).items())
          .extracting(UserView::username).containsExactly("dana");
      assertThat(f.admin.list(new UserAdmin.Filter(Optional.empty(), Optional.empty(), Optional.of(true), Optional.empty(), 200)).items())
          .extracting(UserView::username).containsExactly("b3x");
    }
  }
}
