package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubConfig;
import io.tracetrack.hub.Main;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.Passwords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V21 on a hub created before the one user-name rule (H2 and PostgreSQL): a fresh database is
 * migrated to V20, given the rows an older hub could hold ({@code Asha}, {@code BOB} with a
 * promotion request and a notification, the colliding {@code Carl} and {@code carl}, {@code -cmd}),
 * then opened as the hub opens it (migrating to the latest version).
 */
class UserNamesMigrationTest {

  static final String PASSWORD = "Good-Password-42";
  static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));
  private static final String HASH = Passwords.hash(PASSWORD);
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  /** A database as an older hub left it, then upgraded. */
  static HubDatabase upgraded(String kind) throws Exception {
    TestDatabases.Unmigrated empty = TestDatabases.unmigrated(kind);
    empty.migrations("20").migrate();
    try (Connection c = empty.connect(); Statement s = c.createStatement()) {
      s.execute("insert into area (id, name, created_at) values ('NORTH', 'North', current_timestamp)");
      try (PreparedStatement p = c.prepareStatement("insert into app_user (username, role, area_id, password_hash,"
          + " created_at, updated_at) values (?, ?, ?, ?, current_timestamp, current_timestamp)")) {
        String[][] users = {{"admin", "ADMIN", null}, {"Asha", "BILLER", null}, {"BOB", "DISPATCHER", "NORTH"},
            {"Carl", "DISPATCHER", "NORTH"}, {"carl", "BILLER", null}, {"-cmd", "DISPATCHER", "NORTH"}};
        for (String[] u : users) {
          p.setString(1, u[0]);
          p.setString(2, u[1]);
          p.setString(3, u[2]);
          p.setString(4, HASH);
          p.addBatch();
        }
        p.executeBatch();
      }
      s.execute("insert into promotion_request (username, requested_role, reason, status, created_at)"
          + " values ('BOB', 'BILLER', 'more work', 'PENDING', current_timestamp)");
      s.execute("insert into notification (username, created_at, kind, message) values"
          + " ('BOB', current_timestamp, 'PROMOTION', 'for bob'), ('Carl', current_timestamp, 'PROMOTION', 'for Carl')");
      s.execute("insert into bill (id, destination, vehicle_number, capacity, status, created_by, created_at, updated_at)"
          + " values ('B1', 'Pune', 'MH12', 10, 'OPEN', 'Asha', current_timestamp, current_timestamp)");
      // Zed was deleted: the bag keeps the name, which no account holds
      s.execute("insert into bag (code, role, limit_count, created_by, created_at, finished_by) values"
          + " ('P1-3', 'PARENT', 3, 'Asha', current_timestamp, 'BOB'), ('P2-3', 'PARENT', 3, 'Zed', current_timestamp, null)");
      s.execute("insert into bill_parent (parent_code, bill_id, added_by, added_at) values ('P1-3', 'B1', 'Asha', current_timestamp)");
      s.execute("insert into bag_event (at, kind, bag_code, actor, source) values (current_timestamp, 'CREATED', 'P1-3', 'Asha', 'API')");
      s.execute("insert into audit_entry (at, actor, action, entity_type, entity_id)"
          + " values (current_timestamp, 'Asha', 'BAG_CREATED', 'bag', 'P1-3')");
      // on 10.0.0.2 the lower-cased key is taken already: that row stays
      s.execute("insert into sign_in_failure (username, address, failures, updated_at) values"
          + " ('Asha', '10.0.0.1', 2, current_timestamp), ('Asha', '10.0.0.2', 1, current_timestamp),"
          + " ('asha', '10.0.0.2', 3, current_timestamp)");
      s.execute("insert into revoked_token (jti, username, expires_at) values ('j1', 'BOB', current_timestamp)");
    }
    return empty.open();
  }

  private static List<String> column(HubDatabase db, String sql) {
    return db.dsl().fetch(sql).getValues(0, String.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void upgrade_lowerCasesNamesAndWhatNamesThem_leavingCollisionsUnfixableNamesAndAudit(String kind) throws Exception {
    try (HubDatabase db = upgraded(kind)) {
      assertThat(column(db, "select username from app_user"))
          .containsExactlyInAnyOrder("admin", "asha", "bob", "Carl", "carl", "-cmd");
      assertThat(column(db, "select username from promotion_request")).containsExactly("bob");
      assertThat(column(db, "select username from notification")).containsExactlyInAnyOrder("bob", "Carl");
      assertThat(column(db, "select created_by from bill")).containsExactly("asha");
      assertThat(column(db, "select added_by from bill_parent")).containsExactly("asha");
      assertThat(column(db, "select created_by from bag order by code")).containsExactly("asha", "Zed");
      assertThat(column(db, "select finished_by from bag where code = 'P1-3'")).containsExactly("bob");
      assertThat(column(db, "select actor from bag_event")).containsExactly("asha");
      assertThat(column(db, "select username from revoked_token")).containsExactly("bob");
      assertThat(column(db, "select username || '@' || address from sign_in_failure"))
          .containsExactlyInAnyOrder("asha@10.0.0.1", "Asha@10.0.0.2", "asha@10.0.0.2");
      // hash-chained history stays as written
      assertThat(column(db, "select actor from audit_entry")).containsExactly("Asha");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void afterUpgrade_signInTakesAnyCase_refusesNamesOutsideTheRule_andAdminReachesEveryAccount(String kind) throws Exception {
    try (HubDatabase db = upgraded(kind)) {
      TestClock clock = new TestClock(Instant.parse("2026-11-22T12:00:00Z"));
      Users users = new Users(db, clock);
      assertThat(ok(users.signIn("asha", PASSWORD)).principal().username()).isEqualTo("asha");
      assertThat(ok(users.signIn("Asha", PASSWORD)).principal().username()).isEqualTo("asha");
      assertThat(ok(users.signIn("BOB", PASSWORD)).principal().username()).isEqualTo("bob");
      // the rule's form of "Carl" is carl's name: the legacy Carl cannot sign in until an admin acts
      assertThat(ok(users.signIn("Carl", PASSWORD)).principal().username()).isEqualTo("carl");
      assertThat(users.signIn("-cmd", PASSWORD)).isEqualTo(
          new Users.SignIn.Refused(ErrorCode.BAD_CREDENTIALS, "wrong user name or password"));

      // failures counted under the stored form are cleared by a success typed in any case
      users.signIn("asha", "Wrong-Password-1");
      users.signIn("asha", "Wrong-Password-2");
      assertThat(users.failures("asha", Users.LOCAL)).isEqualTo(2);
      ok(users.signIn("Asha", PASSWORD));
      assertThat(users.failures("asha", Users.LOCAL)).isZero();

      UserAdmin admin = new UserAdmin(db, new AuditLog(db, clock), name -> db.dsl().fetchCount(
          db.dsl().selectOne().from("bill").where("status = 'OPEN' and created_by = ?", name)), clock);
      assertThat(admin.namesOutsideTheRule().count()).isEqualTo(2);
      assertThat(admin.namesOutsideTheRule().examples()).containsExactlyInAnyOrder("-cmd", "Carl");
      assertThat(admin.list(new UserAdmin.Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 50))
          .items()).extracting(UserView::username).contains("-cmd", "Carl", "carl", "asha");
      assertThat(admin.get("Carl")).map(UserView::username).contains("Carl");
      assertThat(admin.get("carl")).map(UserView::username).contains("carl");
      assertThat(admin.get("Asha")).map(UserView::username).contains("asha");
      // Asha's bill followed her: she is still the biller with an open bill
      assertThat(admin.changeRole("Asha", Role.DISPATCHER, "NORTH", ADMIN))
          .isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.BILLER_HAS_OPEN_BILLS));

      assertThat(admin.edit("-cmd", new UserAdmin.Edit(Optional.empty(), Optional.of(true)), ADMIN))
          .isInstanceOfSatisfying(Outcome.Done.class, d -> assertThat(((UserView) d.value()).disabled()).isTrue());
      assertThat(admin.delete("-cmd", ADMIN)).isInstanceOf(Outcome.Done.class);
      assertThat(admin.delete("Carl", ADMIN)).isInstanceOf(Outcome.Done.class);
      assertThat(column(db, "select username from notification")).containsExactly("bob");
      assertThat(admin.namesOutsideTheRule().warning()).isEmpty();
      assertThat(admin.get("carl")).map(UserView::username).contains("carl");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void upgradedHub_warnsOnceAtStart_andAnAdminDisablesAndDeletesALegacyNameOverHttp(String kind) throws Exception {
    List<LogRecord> warnings = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel() == Level.WARNING) {
          warnings.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(Main.class.getName());
    log.addHandler(capture);
    HubDatabase db = upgraded(kind);
    HubConfig config = HubConfig.parse(new String[] {"--port", "0", "--bind", "127.0.0.1",
        "--data", Files.createTempDirectory("hub-names-").toString()}, Map.of());
    try (Main.Hub hub = Main.Hub.start(config, db, new TestClock(Instant.parse("2026-11-22T12:00:00Z")))) {
      log.removeHandler(capture);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getMessage()).startsWith("2 stored user name(s) break the user-name rule").contains("-cmd", "Carl");

      Http http = new Http(hub.server().port());
      String token = http.send("POST", "/api/v1/auth/token", null,
          "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}").path("access_token").asText();
      assertThat(http.send("POST", "/api/v1/auth/token", null,
          "{\"username\":\"Asha\",\"password\":\"" + PASSWORD + "\"}").path("access_token").asText()).isNotEmpty();
      assertThat(http.status).isEqualTo(200);
      JsonNode refused = http.send("POST", "/api/v1/auth/token", null, "{\"username\":\"-cmd\",\"password\":\"" + PASSWORD + "\"}");
      assertThat(http.status).isEqualTo(401);
      assertThat(refused.path("code").asText()).isEqualTo("BAD_CREDENTIALS");

      assertThat(http.send("GET", "/api/v1/users?limit=200", token, null).path("items").findValuesAsText("username"))
          .contains("-cmd", "Carl");
      // a page may end on a legacy name: it is a valid cursor
      http.send("GET", "/api/v1/users?after=-cmd", token, null);
      assertThat(http.status).isEqualTo(200);
      assertThat(http.send("GET", "/api/v1/users/-cmd", token, null).path("username").asText()).isEqualTo("-cmd");
      assertThat(http.send("GET", "/api/v1/users/Asha", token, null).path("username").asText()).isEqualTo("asha");
      assertThat(http.send("PATCH", "/api/v1/users/-cmd", token, "{\"disabled\":true}").path("disabled").asBoolean()).isTrue();
      assertThat(http.status).isEqualTo(200);
      http.send("DELETE", "/api/v1/users/-cmd", token, null);
      assertThat(http.status).isEqualTo(200);
      assertThat(http.send("GET", "/api/v1/users/-cmd", token, null).path("code").asText()).isEqualTo("USER_NOT_FOUND");
      assertThat(http.status).isEqualTo(404);
    } finally {
      log.removeHandler(capture);
    }
  }

  private static Users.SignIn.Ok ok(Users.SignIn s) {
    assertThat(s).isInstanceOf(Users.SignIn.Ok.class);
    return (Users.SignIn.Ok) s;
  }

  /** A small client that remembers the last status. */
  private static final class Http {
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();
    int status;

    Http(int port) {
      this.port = port;
    }

    JsonNode send(String method, String path, String token, String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      status = res.statusCode();
      return res.body().isEmpty() ? JSON.nullNode() : JSON.readTree(res.body());
    }
  }
}
