package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import org.junit.jupiter.api.Test;

/**
 * A token stops working within {@link AccountCheck#FRESHNESS} when its account is disabled,
 * re-roled or deleted, on a real server. The wait is the cache's own expiry, polled, not slept.
 */
class RevocationTest {

  private static void awaitStatus(HubTestServer s, String who, int status) throws Exception {
    long deadline = System.nanoTime() + AccountCheck.FRESHNESS.multipliedBy(4).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = s.send("GET", "/api/v1/stats", null, who).statusCode();
      if (last == status) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("expected " + status + " for " + who + " but kept getting " + last);
  }

  @Test
  void disablingOrReRolingAnAccount_endsItsTokens() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      assertThat(s.send("GET", "/api/v1/stats", null, "biller").statusCode()).isEqualTo(200);
      assertThat(s.send("PATCH", "/api/v1/users/bella", "{\"disabled\":true}", "admin").statusCode()).isEqualTo(200);
      awaitStatus(s, "biller", 401);
      assertThat(s.send("GET", "/api/v1/stats", null, "dispatcher").statusCode()).isEqualTo(200);
      assertThat(s.send("PUT", "/api/v1/users/nina/role", "{\"role\":\"BILLER\"}", "admin").statusCode()).isEqualTo(200);
      awaitStatus(s, "dispatcher", 401);
      assertThat(s.send("GET", "/api/v1/stats", null, "admin").statusCode()).isEqualTo(200);
    }
  }
}
