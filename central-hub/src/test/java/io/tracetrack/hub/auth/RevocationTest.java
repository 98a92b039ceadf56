package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.model.Role;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A change to an account takes effect on that account's very next request, on every hub instance:
 * the test clock never moves here, so nothing is waited out. Run on H2 and on PostgreSQL, with a
 * second hub instance over the same database where it matters (a per-instance cache would fail it).
 */
class RevocationTest {

  static Stream<String> kinds() {
    return io.tracetrack.hub.TestDatabases.kinds();
  }

  /** Reads on another instance may use an account answer of the last second (AccountCheck.READ_FRESHNESS). */
  private static final java.time.Duration SECOND_AND_A_BIT = java.time.Duration.ofSeconds(3);

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void disablingOrReRolingAnAccount_endsItsTokens_atOnce(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind)) {
      assertThat(s.send("GET", "/api/v1/stats", null, "biller").statusCode()).isEqualTo(200);
      assertThat(s.send("GET", "/api/v1/stats", null, "dispatcher").statusCode()).isEqualTo(200);
      assertThat(s.send("PATCH", "/api/v1/users/bella", "{\"disabled\":true}", "admin").statusCode()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/nina/role", "{\"role\":\"BILLER\"}", "admin").statusCode()).isEqualTo(200);
      assertThat(s.send("GET", "/api/v1/stats", null, "biller").statusCode()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/stats", null, "dispatcher").statusCode()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/stats", null, "admin").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anAdminDemotedToBiller_cannotCreateAdmins_withTheOldToken_onAnyInstance(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      String ada = s.tokenFor("ada", Role.ADMIN, null);
      // both instances have just served ada as an admin (a cache would now hold her as one)
      assertThat(s.send("GET", "/api/v1/users", ada, null, null).status()).isEqualTo(200);
      assertThat(other.send("GET", "/api/v1/users", ada, null, null).status()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/ada/role", "{\"role\":\"BILLER\"}", "admin").statusCode()).isEqualTo(200);
      String newAdmin = "{\"username\":\"mallory\",\"role\":\"ADMIN\",\"password\":\"Mallory-Passw0rd!\"}";
      assertThat(other.send("POST", "/api/v1/users", ada, "application/json", newAdmin).status()).isEqualTo(401);
      assertThat(s.send("POST", "/api/v1/users", ada, "application/json", newAdmin).status()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/users/mallory", null, "admin").statusCode()).isEqualTo(404);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aBillerDemotedToDispatcher_cannotOpenABill_withTheOldToken(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      assertThat(other.send("GET", "/api/v1/bills", null, "biller").status()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/bella/role", "{\"role\":\"DISPATCHER\",\"area\":\"NORTH\"}", "admin").statusCode())
          .isEqualTo(200);
      HubTestServer.Answer bill = other.send("POST", "/api/v1/bills",
          "{\"id\":\"BILL77\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}", "biller");
      assertThat(bill.status()).as(bill.text()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/bills/BILL77", null, "admin").statusCode()).isEqualTo(404);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aDeletedUser_cannotListUsers_withTheOldToken(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      String ada = s.tokenFor("ada", Role.ADMIN, null);
      assertThat(other.send("GET", "/api/v1/users", ada, null, null).status()).isEqualTo(200);
      assertThat(s.send("DELETE", "/api/v1/users/ada", null, "admin").statusCode()).isBetween(200, 204);
      // a change through the other instance is refused at once; a read there within a second
      assertThat(other.send("POST", "/api/v1/areas", ada, "application/json", "{\"id\":\"WEST\",\"name\":\"West\"}").status())
          .isEqualTo(401);
      assertThat(HubTestServer.eventually(SECOND_AND_A_BIT, () -> other.send("GET", "/api/v1/users", ada, null, null).status(), 401))
          .isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/users", ada, null, null).status()).as("on the instance that made the change: at once")
          .isEqualTo(401);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changingThePassword_endsTokensSignedInWithTheOldOne_atOnce(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      assertThat(other.send("GET", "/api/v1/me", null, "dispatcher-south").status()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/sam/password", "{\"password\":\"Reset-Passw0rd!2\"}", "admin").statusCode())
          .isBetween(200, 204);
      assertThat(s.send("GET", "/api/v1/me", null, "dispatcher-south").statusCode()).isEqualTo(401);
      assertThat(other.send("PUT", "/api/v1/me/password", s.tokens.get("dispatcher-south"), "application/json",
          "{\"oldPassword\":\"" + HubTestServer.PASSWORD + "\",\"newPassword\":\"Brand-New-Passw0rd!\"}").status()).isEqualTo(401);
      assertThat(HubTestServer.eventually(SECOND_AND_A_BIT, () -> other.send("GET", "/api/v1/me", null, "dispatcher-south").status(), 401))
          .isEqualTo(401);
      assertThat(other.send("GET", "/api/v1/me", null, "dispatcher").status()).isEqualTo(200);
    }
  }
}
