package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.model.Role;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sign-in answers that tell nothing about which names exist, and sign-out, over real HTTP. */
class SignInAndOutTest {

  static Stream<String> kinds() {
    return TestDatabases.kinds();
  }

  private static String credentials(String user, String password) {
    return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
  }

  @Test
  void wrongPassword_andUnknownName_getTheSameAnswer_beforeAndAfterTheLock() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      s.addUser("lena", Role.BILLER, null); // never signed in: the whole per-name budget is left
      for (int i = 0; i < io.tracetrack.hub.users.Users.MAX_FAILURES; i++) {
        HubTestServer.Answer real = s.send("POST", "/api/v1/auth/token", null, "application/json", credentials("lena", "Wrong-Passw0rd-" + i));
        HubTestServer.Answer madeUp = s.send("POST", "/api/v1/auth/token", null, "application/json", credentials("nobody", "Wrong-Passw0rd-" + i));
        assertThat(real.status()).isEqualTo(401).isEqualTo(madeUp.status());
        assertThat(real.json().get("code").asText()).isEqualTo("BAD_CREDENTIALS");
        assertThat(real.json().get("detail")).isEqualTo(madeUp.json().get("detail"));
      }
      // the per-name budget (burst 5) refills; the lock does not
      s.clock.advance(Duration.ofMinutes(1));
      HubTestServer.Answer real = s.send("POST", "/api/v1/auth/token", null, "application/json", credentials("lena", HubTestServer.PASSWORD));
      HubTestServer.Answer madeUp = s.send("POST", "/api/v1/auth/token", null, "application/json", credentials("nobody", HubTestServer.PASSWORD));
      assertThat(real.status()).as(real.text()).isEqualTo(423).isEqualTo(madeUp.status());
      assertThat(real.json().get("code").asText()).isEqualTo("ACCOUNT_LOCKED").isEqualTo(madeUp.json().get("code").asText());
      assertThat(real.json().get("detail")).isEqualTo(madeUp.json().get("detail"));
      // an admin's password reset lifts the lock for the owner
      assertThat(s.send("PUT", "/api/v1/users/lena/password", "{\"password\":\"Reset-Passw0rd!2\"}", "admin").statusCode()).isBetween(200, 204);
      assertThat(s.send("POST", "/api/v1/auth/token", null, "application/json", credentials("lena", "Reset-Passw0rd!2")).status())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void logout_endsThatToken_onEveryInstance_andNoOther(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      String first = s.tokenFor("lena", Role.BILLER, null);
      String second = token(s, "lena");
      assertThat(other.send("GET", "/api/v1/me", first, null, null).status()).isEqualTo(200);
      assertThat(s.send("POST", "/api/v1/auth/logout", first, null, null).status()).isEqualTo(204);
      assertThat(s.send("GET", "/api/v1/me", first, null, null).status()).as("this instance: at once").isEqualTo(401);
      // the other instance refuses a change at once, and a read within a second (AccountCheck.READ_FRESHNESS)
      assertThat(other.send("POST", "/api/v1/me/logout-all", first, null, null).status()).isEqualTo(401);
      assertThat(HubTestServer.eventually(java.time.Duration.ofSeconds(3), () -> other.send("GET", "/api/v1/me", first, null, null).status(), 401))
          .isEqualTo(401);
      assertThat(s.send("POST", "/api/v1/auth/logout", first, null, null).status()).isEqualTo(401);
      assertThat(other.send("GET", "/api/v1/me", second, null, null).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void logoutAll_endsEveryTokenOfTheAccount_onEveryInstance(String kind) throws Exception {
    try (HubTestServer s = HubTestServer.start(kind); HubTestServer.Instance other = s.anotherInstance()) {
      String first = s.tokenFor("lena", Role.BILLER, null);
      String second = token(s, "lena");
      assertThat(other.send("POST", "/api/v1/me/logout-all", second, null, null).status()).isEqualTo(204);
      assertThat(s.send("GET", "/api/v1/me", first, null, null).status()).isEqualTo(401);
      assertThat(other.send("GET", "/api/v1/me", second, null, null).status()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/me", null, "biller").statusCode()).isEqualTo(200);
      String fresh = token(s, "lena");
      assertThat(other.send("GET", "/api/v1/me", fresh, null, null).status()).isEqualTo(200);
    }
  }

  private static String token(HubTestServer s, String user) {
    HubTestServer.Answer res = s.send("POST", "/api/v1/auth/token", null, "application/json", credentials(user, HubTestServer.PASSWORD));
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    return res.json().get("access_token").asText();
  }
}
