package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A signed-in caller cannot use the password-checking routes to guess passwords at speed. */
class PasswordGuessingTest {

  @Test
  void wrongOldPasswords_runIntoTheSignInBudget() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      int limitedAt = -1;
      for (int i = 1; i <= SignInLimiter.PER_USERNAME.burst() + 1; i++) {
        HttpResponse<String> res = s.send("PUT", "/api/v1/me/password",
            "{\"oldPassword\":\"guess-" + i + "\",\"newPassword\":\"Brand-New-Passw0rd!\"}", "biller");
        if (res.statusCode() == 429) {
          limitedAt = i;
          assertThat(res.headers().firstValue("Retry-After")).isPresent();
          assertThat(HubTestServer.json(res).get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
          break;
        }
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
      }
      assertThat(limitedAt).as("the sixth guess in a row is refused").isEqualTo(SignInLimiter.PER_USERNAME.burst() + 1);
    }
  }
}
