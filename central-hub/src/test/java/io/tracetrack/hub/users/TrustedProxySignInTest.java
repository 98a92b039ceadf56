package io.tracetrack.hub.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sign-in locks and the audit trail behind a reverse proxy, over real HTTP. The test client connects
 * from 127.0.0.1, so with {@code --trusted-proxies 127.0.0.1} it plays the proxy and says in
 * {@code X-Forwarded-For} which client it forwards; without the setting it is a client that lies.
 */
class TrustedProxySignInTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ATTACKER = "203.0.113.7";
  private static final String OWNER = "198.51.100.9";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HubTestServer hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private HttpResponse<String> signIn(String password, String forwardedFor) throws Exception {
    // the per-name bucket slows every address alike; time enough for one more try, well inside the lock
    hub.clock.advance(Duration.ofSeconds(10));
    HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri("/api/v1/auth/token")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            JSON.writeValueAsString(Map.of("username", "admin", "password", password))));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void failFiveTimes(String forwardedFor) throws Exception {
    for (int i = 0; i < Users.MAX_FAILURES; i++) {
      assertThat(signIn("Wrong-Passw0rd-" + i, forwardedFor).statusCode()).isEqualTo(401);
    }
  }

  private JsonNode lastAreaEntry() throws Exception {
    HubTestServer.Answer audit = hub.send("GET", "/api/v1/audit?entityType=AREA&limit=1", hub.adminToken(), null, null);
    assertThat(audit.status()).isEqualTo(200);
    return audit.json().get("entries").get(0);
  }

  private HubTestServer.Answer createArea(String id, String forwardedFor) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri("/api/v1/areas")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + hub.adminToken())
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("id", id, "name", id))));
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new HubTestServer.Answer(res.statusCode(), "", res.body());
  }

  @Nested
  class BehindATrustedProxy {

    @Test
    void anAttackersGuesses_lockTheAttacker_notTheOwnerBehindTheSameProxy() throws Exception {
      hub = HubTestServer.start("h2", "--trusted-proxies", "127.0.0.1, ::1");
      failFiveTimes(ATTACKER);
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, ATTACKER).statusCode()).isEqualTo(423);
      // a spoofed left-most entry from the attacker does not dodge the lock: our proxy appended the real one
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, "192.0.2.1, " + ATTACKER).statusCode()).isEqualTo(423);
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, OWNER).statusCode()).isEqualTo(200);
      // before the setting existed every client was 127.0.0.1, so the owner was locked out with the attacker
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theAuditEntry_carriesTheForwardedAddress() throws Exception {
      hub = HubTestServer.start("h2", "--trusted-proxies", "127.0.0.0/8");
      assertThat(createArea("EAST", "192.0.2.1, " + OWNER).status()).isEqualTo(201);
      assertThat(lastAreaEntry().get("ip").asText()).isEqualTo(OWNER);
    }
  }

  @Nested
  class WithoutTheSetting {

    @Test
    void forwardedFor_isIgnored_soASpoofedHeaderDoesNotDodgeTheLock() throws Exception {
      hub = HubTestServer.start("h2");
      failFiveTimes(ATTACKER);
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, OWNER).statusCode()).isEqualTo(423);
      assertThat(signIn(HubTestServer.ADMIN_PASSWORD, null).statusCode()).isEqualTo(423);
    }

    @Test
    void theAuditEntry_carriesThePeer_notTheHeader() throws Exception {
      hub = HubTestServer.start("h2");
      assertThat(createArea("EAST", OWNER).status()).isEqualTo(201);
      assertThat(lastAreaEntry().get("ip").asText()).isEqualTo("127.0.0.1");
    }
  }
}
