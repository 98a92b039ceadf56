package io.tracetrack.hub.bag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A dispatcher's refusals never name a bag outside their area; an admin's still do. */
class AreaPrivacyTest {

  @Test
  void linkRefused_forAChildOnAParentInAnotherArea_doesNotNameThatParent() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      assertThat(s.send("POST", "/api/v1/bags", "{\"code\":\"P900-5\"}", "dispatcher-south").statusCode()).isEqualTo(201);
      assertThat(s.send("POST", "/api/v1/links", "{\"parent\":\"P900-5\",\"child\":\"C900\"}", "dispatcher-south").statusCode())
          .isEqualTo(200);
      assertThat(s.send("POST", "/api/v1/bags", "{\"code\":\"P901-5\"}", "dispatcher").statusCode()).isEqualTo(201);

      HttpResponse<String> north = s.send("POST", "/api/v1/links", "{\"parent\":\"P901-5\",\"child\":\"C900\"}", "dispatcher");
      assertThat(north.statusCode()).isEqualTo(409);
      JsonNode problem = HubTestServer.json(north);
      assertThat(problem.get("code").asText()).isEqualTo("CHILD_ALREADY_LINKED");
      assertThat(problem.has("otherBag")).isFalse();
      assertThat(north.body()).doesNotContain("P900");
      assertThat(problem.get("detail").asText()).contains("another area");

      // the SOUTH dispatcher, who can see that parent, and an admin are told which one it is
      HttpResponse<String> admin = s.send("POST", "/api/v1/links", "{\"parent\":\"P901-5\",\"child\":\"C900\"}", "admin");
      assertThat(HubTestServer.json(admin).get("otherBag").asText()).isEqualTo("P900-5");
    }
  }
}
