package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A token stops working once {@link AccountCheck#FRESHNESS} has passed after its account was
 * disabled or re-roled, on a real server whose clock the test moves.
 */
class RevocationTest {

  @Test
  void disablingOrReRolingAnAccount_endsItsTokens() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      assertThat(s.send("GET", "/api/v1/stats", null, "biller").statusCode()).isEqualTo(200);
      assertThat(s.send("GET", "/api/v1/stats", null, "dispatcher").statusCode()).isEqualTo(200);
      assertThat(s.send("PATCH", "/api/v1/users/bella", "{\"disabled\":true}", "admin").statusCode()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/nina/role", "{\"role\":\"BILLER\"}", "admin").statusCode()).isEqualTo(200);
      s.clock.advance(AccountCheck.FRESHNESS.plus(Duration.ofSeconds(1)));
      assertThat(s.send("GET", "/api/v1/stats", null, "biller").statusCode()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/stats", null, "dispatcher").statusCode()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/stats", null, "admin").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void changingThePassword_endsTokensSignedInWithTheOldOne() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      assertThat(s.send("GET", "/api/v1/me", null, "dispatcher-south").statusCode()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/sam/password", "{\"password\":\"Reset-Passw0rd!2\"}", "admin").statusCode())
          .isBetween(200, 204);
      s.clock.advance(AccountCheck.FRESHNESS.plus(Duration.ofSeconds(1)));
      assertThat(s.send("GET", "/api/v1/me", null, "dispatcher-south").statusCode()).isEqualTo(401);
      assertThat(s.send("GET", "/api/v1/me", null, "dispatcher").statusCode()).isEqualTo(200);
    }
  }
}
