package io.tracetrack.hub.users;

import static io.tracetrack.hub.users.UserAdminOnDatabaseTest.ADMIN;
import static io.tracetrack.hub.users.UserAdminOnDatabaseTest.PASSWORD;
import static io.tracetrack.hub.users.UserAdminOnDatabaseTest.done;
import static io.tracetrack.hub.users.UserAdminOnDatabaseTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every writer of a user a dock cares about appends exactly its user.v1 entries to the change log
 * in its own transaction, for the right docks; a refused change appends none.
 */
class UserChangesTest {

  static List<String> kinds() {
    return UserAdminOnDatabaseTest.kinds();
  }

  /**
   * The user.v1 entries after {@code at}, as "key audience active|inactive", the audience an area or
   * "hub" (no dock hears it); "+hash" when the entry carries a password hash.
   */
  private static List<String> after(UserAdminOnDatabaseTest.Fixture f, long at) {
    return f.db().dsl().resultQuery("select entity_key, audience_area, payload, hub_only from change_log where seq > ?"
        + " order by seq", at)
        .fetch(r -> r.get(0, String.class) + " " + (r.get(3, Boolean.class) ? "hub" : r.get(1, String.class)) + " "
            + (r.get(2, String.class).contains("\"active\":true") ? "active" : "inactive")
            + (r.get(2, String.class).contains("$argon2id$") ? "+hash" : ""));
  }

  private static long head(UserAdminOnDatabaseTest.Fixture f) {
    return new ChangeLog(f.db()).head();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void eachUserWriter_appendsItsEntries_andRefusalsNone(String kind) {
    try (UserAdminOnDatabaseTest.Fixture f = UserAdminOnDatabaseTest.Fixture.on(kind)) {
      assertThat(after(f, 0)).as("the first admin reaches no dock").containsExactly("admin hub active");
      f.area("NORTH", 5);
      f.area("SOUTH", 5);

      long at = head(f);
      f.user("nina", Role.DISPATCHER, "NORTH");
      assertThat(after(f, at)).containsExactly("nina NORTH active+hash");
      assertThat(f.db().dsl().fetchValue("select payload from change_log where seq = ?", at + 1).toString())
          .contains("\"role\":\"DISPATCHER\"", "\"passwordHash\":\"$argon2id$");

      at = head(f);
      refused(f.admin().create(new UserAdmin.NewUser("nina", Role.DISPATCHER, "NORTH", PASSWORD), ADMIN));
      refused(f.admin().create(new UserAdmin.NewUser("weak", Role.BILLER, null, "short"), ADMIN));
      refused(f.admin().edit("nobody", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN));
      refused(f.admin().changeRole("admin", Role.BILLER, null, ADMIN));
      refused(f.admin().resetPassword("nina", "short", ADMIN));
      refused(f.admin().delete("admin", ADMIN));
      assertThat(refused(f.admin().changeOwnPassword(UserAdminOnDatabaseTest.as("nina", Role.DISPATCHER), "wrong",
          "Another-Good-Password-1"))).isEqualTo(ErrorCode.WRONG_PASSWORD);
      assertThat(after(f, at)).as("refusals append nothing").isEmpty();

      at = head(f);
      done(f.admin().edit("nina", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN));
      assertThat(after(f, at)).as("the area's docks refuse her; the hub's cache hears it")
          .containsExactly("nina NORTH inactive", "nina hub inactive");
      at = head(f);
      done(f.admin().edit("nina", new UserAdmin.Edit(Optional.empty(), Optional.of(false)), ADMIN));
      assertThat(after(f, at)).containsExactly("nina NORTH active+hash");
      at = head(f);
      done(f.admin().edit("nina", new UserAdmin.Edit(Optional.empty(), Optional.of(false)), ADMIN));
      assertThat(after(f, at)).as("no change, no entry").isEmpty();

      at = head(f);
      done(f.admin().edit("nina", new UserAdmin.Edit(Optional.of("SOUTH"), Optional.empty()), ADMIN));
      assertThat(after(f, at)).as("the new area's docks; the old area's refuse her from their next pull")
          .containsExactly("nina SOUTH active+hash", "nina NORTH inactive");

      at = head(f);
      done(f.admin().changeRole("nina", Role.BILLER, null, ADMIN));
      assertThat(after(f, at)).as("a biller reaches no dock").containsExactly("nina SOUTH inactive", "nina hub active");

      at = head(f);
      done(f.admin().resetPassword("nina", "Reset-Good-Password-7", ADMIN));
      assertThat(after(f, at)).containsExactly("nina hub active");

      at = head(f);
      done(f.admin().grantDockAccess("nina", "NORTH", ADMIN));
      assertThat(after(f, at)).as("granted, the biller reaches NORTH's docks").containsExactly("nina NORTH active+hash");
      at = head(f);
      done(f.admin().grantDockAccess("nina", "NORTH", ADMIN));
      assertThat(after(f, at)).as("granted twice: no change, no entry").isEmpty();
      refused(f.admin().grantDockAccess("nina", "WEST", ADMIN));
      refused(f.admin().grantDockAccess("nobody", "NORTH", ADMIN));

      at = head(f);
      done(f.admin().changeOwnPassword(UserAdminOnDatabaseTest.as("nina", Role.BILLER), "Reset-Good-Password-7",
          "Own-Good-Password-8"));
      assertThat(after(f, at)).containsExactly("nina NORTH active+hash");

      at = head(f);
      done(f.admin().revokeDockAccess("nina", "NORTH", ADMIN));
      assertThat(after(f, at)).containsExactly("nina NORTH inactive", "nina hub active");

      f.user("bob", Role.BILLER, null);
      at = head(f);
      long request = done(f.promotions().request(UserAdminOnDatabaseTest.as("bob", Role.BILLER), Role.ADMIN, null, "nights")).id();
      assertThat(after(f, at)).as("a request changes no user").isEmpty();
      done(f.promotions().approve(request, null, ADMIN));
      assertThat(after(f, at)).containsExactly("bob hub active");

      f.user("dee", Role.DISPATCHER, "NORTH");
      done(f.admin().grantDockAccess("dee", "SOUTH", ADMIN));
      at = head(f);
      done(f.admin().delete("dee", ADMIN));
      assertThat(after(f, at)).as("under the name the docks know, inactive, for every area that had her")
          .containsExactly("dee NORTH inactive", "dee SOUTH inactive", "dee hub inactive");
      assertThat(f.db().dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.USER_DOCK_ACCESS)).isZero();
    }
  }
}
